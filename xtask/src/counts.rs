//! Test counts read from what the test runners print: libtest's (and wasm-bindgen-test's)
//! `test result:` lines, and the `# pass` / `# fail` summary of node's TAP reporter.

use std::ops::AddAssign;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// Sum every `test result: ok. 3 passed; 1 failed; ...` line (one per test binary).
pub fn from_cargo(output: &str) -> Counts {
    let mut total = Counts::default();
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result:") else {
            continue;
        };
        for part in rest.split([';', '.']) {
            let mut words = part.split_whitespace();
            let (Some(n), Some(what)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<u64>() else { continue };
            match what {
                "passed" => total.passed += n,
                "failed" => total.failed += n,
                _ => {}
            }
        }
    }
    total
}

/// Node's TAP summary; a cancelled test (timeout, crashed file) counts as failed.
pub fn from_node_tap(output: &str) -> Counts {
    let mut total = Counts::default();
    for line in output.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#") {
            continue;
        }
        let (Some(what), Some(n), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        match what {
            "pass" => total.passed += n,
            "fail" | "cancelled" => total.failed += n,
            _ => {}
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_results_of_every_test_binary_are_summed() {
        let output = "\
running 2 tests
test a ... ok
test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

test result: FAILED. 5 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out; finished in 1.20s
";
        assert_eq!(from_cargo(output), Counts { passed: 7, failed: 1 });
    }

    #[test]
    fn wasm_bindgen_test_results_are_read_like_cargo_ones() {
        let output = "test result: ok. 4 passed; 0 failed; 0 ignored; 0 filtered out; finished in 0.05s\n";
        assert_eq!(from_cargo(output), Counts { passed: 4, failed: 0 });
    }

    #[test]
    fn node_tap_summary_counts_cancelled_as_failed() {
        let output = "\
ok 1 - home page shows the form
  # Subtest: nested
# tests 4
# suites 0
# pass 2
# fail 1
# cancelled 1
# skipped 0
# duration_ms 2034.5
";
        assert_eq!(from_node_tap(output), Counts { passed: 2, failed: 2 });
    }

    #[test]
    fn output_without_results_counts_nothing() {
        assert_eq!(from_cargo("error[E0425]: cannot find value"), Counts::default());
        assert_eq!(from_node_tap("# Subtest: a test named pass 3"), Counts::default());
    }
}
