//! The API's JSON, read and written through the browser's own `JSON.parse`/`JSON.stringify`.
//!
//! Why not serde_json: with the derived visitors it made up a tenth of the wasm, and the first
//! load has a size budget. The protocol's serde derives still define the wire format: the
//! reverse lookups live in `protocol` (`from_wire`), and `tests/web.rs` decodes what serde writes
//! for every answer type.

use js_sys::{Array, Object, Reflect, JSON};
use protocol::{
    BusinessType, CheckOutcome, FieldError, InputField, LinkLanding, LinkState, ResendOutcome, Sender, Senders,
};
use wasm_bindgen::JsValue;

/// A parsed JSON value, read field by field.
pub struct Json(JsValue);

impl Json {
    /// Parses `text`; `None` when it is not JSON.
    pub fn parse(text: &str) -> Option<Json> {
        JSON::parse(text).ok().map(Json)
    }

    fn get(&self, key: &str) -> JsValue {
        if self.0.is_object() {
            Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    }

    pub fn string(&self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    /// A whole, non-negative number that fits `u64` exactly.
    pub fn unsigned(&self, key: &str) -> Option<u64> {
        self.get(key)
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=9.007_199_254_740_991e15).contains(n))
            .map(|n| n as u64)
    }

    /// The elements of an array field (none when the field is missing or not an array).
    pub fn array(&self, key: &str) -> Vec<Json> {
        let value = self.get(key);
        if Array::is_array(&value) {
            Array::from(&value).iter().map(Json).collect()
        } else {
            Vec::new()
        }
    }

    fn as_string(&self) -> Option<String> {
        self.0.as_string()
    }
}

/// A JSON object of string fields, as text: the shape of every request body people send.
pub fn object_of_strings(fields: &[(&str, &str)]) -> String {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    JSON::stringify(&object).ok().and_then(|text| text.as_string()).unwrap_or_default()
}

/// A value that can be read from an API answer.
pub trait FromJson: Sized {
    fn from_json(json: &Json) -> Option<Self>;
}

impl FromJson for CheckOutcome {
    fn from_json(json: &Json) -> Option<Self> {
        let tries_left = json.unsigned("tries_left").and_then(|n| u32::try_from(n).ok());
        CheckOutcome::from_wire(&json.string("outcome")?, json.string("name"), tries_left)
    }
}

impl FromJson for ResendOutcome {
    fn from_json(json: &Json) -> Option<Self> {
        ResendOutcome::from_wire(&json.string("outcome")?)
    }
}

impl FromJson for LinkLanding {
    fn from_json(json: &Json) -> Option<Self> {
        Some(LinkLanding {
            name: json.string("name")?,
            masked_phone: json.string("masked_phone")?,
            business_type: BusinessType::from_wire(&json.string("business_type")?)?,
            subject_name: json.string("subject_name")?,
            website_names: json.array("website_names").iter().filter_map(Json::as_string).collect(),
            state: LinkState::from_wire(&json.string("state")?)?,
            expires_at: json.string("expires_at").unwrap_or_default(),
            seconds_left: json.unsigned("seconds_left")?,
        })
    }
}

impl FromJson for Senders {
    fn from_json(json: &Json) -> Option<Self> {
        let senders = json
            .array("senders")
            .iter()
            .filter_map(|sender| Some(Sender { carrier: sender.string("carrier")?, number: sender.string("number")? }))
            .collect();
        Some(Senders { senders })
    }
}

/// The parts of a problem body (`application/problem+json`) the SPA uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemBody {
    pub title: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after_seconds: Option<u64>,
}

impl FromJson for ProblemBody {
    fn from_json(json: &Json) -> Option<Self> {
        let errors = json
            .array("errors")
            .iter()
            .filter_map(|error| {
                Some(FieldError::new(InputField::from_pointer(&error.string("field")?)?, error.string("message")?))
            })
            .collect();
        Some(ProblemBody {
            title: json.string("title"),
            errors,
            retry_after_seconds: json.unsigned("retry_after_seconds"),
        })
    }
}

/// Reads `text` as a `T`; `None` when it is not JSON or not a `T`.
pub fn decode<T: FromJson>(text: &str) -> Option<T> {
    T::from_json(&Json::parse(text)?)
}
