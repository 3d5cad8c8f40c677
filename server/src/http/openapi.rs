//! The API's OpenAPI 3.1 description, written by hand beside the code it describes
//! (`server/openapi.json`) and checked against the router by the API tests.

use axum::http::header;
use axum::response::IntoResponse;

pub const SPEC: &str = include_str!("../../openapi.json");

pub async fn spec() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], SPEC)
}

#[cfg(test)]
mod tests {
    use protocol::{FilingState, HistoryKind, LinkState, OutcomeKind, ReturnReason, VerificationState};
    use serde_json::Value;
    use strum::VariantNames;

    use super::SPEC;

    fn names(value: &Value) -> Vec<&str> {
        value.as_array().expect("an enum").iter().filter_map(Value::as_str).collect()
    }

    /// Until the document is generated from the types, the names it lists are held to theirs.
    #[test]
    fn the_documented_state_and_outcome_names_are_the_types_names() {
        let spec: Value = serde_json::from_str(SPEC).unwrap();
        let schemas = &spec["components"]["schemas"];
        assert_eq!(names(&schemas["FilingState"]["enum"]), FilingState::VARIANTS);
        assert_eq!(names(&schemas["VerificationState"]["enum"]), VerificationState::VARIANTS);
        assert_eq!(names(&schemas["LinkState"]["enum"]), LinkState::VARIANTS);
        assert_eq!(names(&schemas["ReturnReason"]["enum"]), ReturnReason::VARIANTS);
        assert_eq!(names(&schemas["WebhookEvent"]["properties"]["reason"]["enum"]), ReturnReason::VARIANTS);
        assert_eq!(names(&schemas["CheckOutcome"]["properties"]["outcome"]["enum"]), OutcomeKind::VARIANTS);
        assert_eq!(names(&schemas["FilingEvent"]["properties"]["kind"]["enum"]), HistoryKind::VARIANTS);
        for state in VerificationState::VARIANTS.iter().chain(FilingState::VARIANTS) {
            assert!(
                schemas["VerificationState"]["description"].as_str().unwrap().contains(&format!("{state}:"))
                    || schemas["FilingState"]["description"].as_str().unwrap().contains(&format!("{state}:")),
                "what {state} means is documented"
            );
        }
    }
}
