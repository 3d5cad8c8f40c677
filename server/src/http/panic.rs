//! A panic inside a request becomes a 500 problem like any other internal error. Its payload (the
//! panic message) is dropped unread: it may quote request data, such as the ID number that broke
//! a parser. Where it happened is logged by the panic hook (`telemetry`), without the message.

use std::any::Any;

use axum::response::{IntoResponse, Response};
use protocol::ProblemType;

use super::error::ApiError;

pub fn answer(_payload: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("request panicked; answered 500");
    ApiError::new(ProblemType::Internal).into_response()
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::post;
    use axum::Router;
    use tower::ServiceExt;

    use crate::http::edge::{self, Deadlines};

    /// Log lines written while a test runs.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Slices bytes as the resident-ID parser on 6edbec0 did; std's panic message then quotes
    /// the whole input.
    async fn parser_that_panics(body: String) -> String {
        body[..15].to_owned()
    }

    #[tokio::test]
    async fn a_panic_in_a_request_answers_the_generic_500_problem_and_logs_no_request_data() {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let deadlines = Deadlines { body: Duration::from_secs(5), request: Duration::from_secs(5) };
        let app = edge::layers(Router::new().route("/filings", post(parser_that_panics)), deadlines);

        let id_with_two_byte_char = "11010519491231中2";
        let request = Request::post("/filings").body(Body::from(id_with_two_byte_char)).unwrap();
        let response = app.oneshot(request).await.unwrap();

        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(content_type, "application/problem+json");
        let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        let problem: protocol::Problem = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem, protocol::Problem::new(protocol::ProblemType::Internal));
        let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert!(log.contains("request panicked; answered 500"), "{log}");
        assert!(log.contains("status=500"), "{log}");
        assert!(!log.contains("1101051949") && !log.contains("char boundary"), "{log}");
    }
}
