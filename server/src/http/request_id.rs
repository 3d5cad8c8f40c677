//! Every request gets an id the server makes, echoed in `x-request-id` and logged. A client's own
//! `x-request-id` never becomes the id (it could collide with or impersonate another request in
//! the logs); it is set aside, cleaned, and logged beside ours as `client_request_id`.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use tower_http::request_id::{MakeRequestId, RequestId};

pub static HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Longest client request id kept for the log.
const CLIENT_ID_MAX_CHARS: usize = 64;

#[derive(Clone, Copy)]
pub struct RandomId;

impl MakeRequestId for RandomId {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        let id = crate::secrets::new_id("req");
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// What the client sent as `x-request-id`: visible ASCII only, at most 64 characters.
#[derive(Debug, Clone)]
pub struct ClientRequestId(pub String);

/// Takes the client's `x-request-id` off the request (so ours is always made) and keeps a
/// cleaned copy as an extension.
pub async fn set_aside_clients_id(mut request: Request) -> Request {
    if let Some(value) = request.headers_mut().remove(&HEADER) {
        let cleaned = clean(value.as_bytes());
        if !cleaned.is_empty() {
            request.extensions_mut().insert(ClientRequestId(cleaned));
        }
    }
    request
}

fn clean(bytes: &[u8]) -> String {
    bytes.iter().filter(|b| b.is_ascii_graphic()).take(CLIENT_ID_MAX_CHARS).map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn a_client_id_keeps_only_visible_ascii_and_64_characters() {
        assert_eq!(clean(b"abc-123"), "abc-123");
        assert_eq!(clean(b"a b\tc\x7f\xe4\xb8\xad"), "abc");
        assert_eq!(clean(&[b'x'; 500]).len(), 64);
    }
}
