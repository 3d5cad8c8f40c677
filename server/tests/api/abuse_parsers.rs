//! Issue 8, attack 7: crash a connection with input a parser cannot take. A resident ID of 18
//! bytes that holds a two-byte character panicked while being sliced by byte, the connection
//! dropped without an answer, and the panic message quoted the ID digits.

use serde_json::json;

use crate::helpers::*;

/// 16 digits and `é` (two bytes): 18 bytes, 17 characters.
const MULTIBYTE_RESIDENT_ID: &str = "1101051949123100é";

#[tokio::test]
async fn attack_multibyte_resident_id_does_not_panic() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut filing = new_filing();
    filing["subject"]["principal"]["id_number"] = json!(MULTIBYTE_RESIDENT_ID);
    filing["websites"][0]["principal"]["id_number"] = json!("１１０１０５１９４９１２３１００２中");

    let response = app
        .client
        .post(app.url("/api/v1/filings"))
        .bearer_auth(&key)
        .json(&filing)
        .send()
        .await
        .expect("the server answers instead of dropping the connection");
    let (status, body) = status_json(response).await;

    assert_eq!(status, 422, "{body}");
    assert_eq!(body["code"], "invalid_input", "{body}");
    let refused: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(refused, ["/subject/principal/id_number", "/websites/0/principal/id_number"], "{body}");
    assert!(!body.to_string().contains("1101051949"), "the answer never repeats the ID digits: {body}");
    // The server keeps serving: the same provider's next, valid filing is taken.
    app.submitted(&key, &new_filing()).await;
}

#[tokio::test]
async fn attack_multibyte_check_fields_are_refused_field_by_field() {
    let app = spawn_app().await;
    let (status, body) =
        app.post("/api/v1/checks", &json!({"code": "12345é", "phone": "1380013800é", "id_suffix": "3100é"})).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["/code", "/phone", "/id_suffix"], "{body}");
    let (status, body) = app.post("/api/v1/resends", &json!({"phone": "😀3800138000", "id_suffix": "é1002X"})).await;
    assert_eq!(status, 422, "{body}");
}
