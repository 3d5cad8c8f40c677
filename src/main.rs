//! Entry point of the wasm bundle: everything else lives in the library so tests can mount it.

fn main() {
    // A panic then shows as a readable message in the console instead of `unreachable`.
    console_error_panic_hook::set_once();
    beian_verify::start();
}
