//! What a person sends to verify, and its one parser, shared by the SPA form and the server.

use std::fmt;

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use crate::{Code, IdSuffix, Phone};

/// The manual form: code, phone number and ID suffix, as typed. Debug output hides the code and
/// the suffix.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Code))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Phone))]
    pub phone: String,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::IdSuffix))]
    pub id_suffix: String,
}

/// The short-link path: the token is in the URL, the person types only the ID suffix. Debug
/// output hides it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkCheckRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::IdSuffix))]
    pub id_suffix: String,
}

impl fmt::Debug for CheckRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckRequest")
            .field("code", &HIDDEN)
            .field("phone", &self.phone)
            .field("id_suffix", &HIDDEN)
            .finish()
    }
}

impl fmt::Debug for LinkCheckRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkCheckRequest").field("id_suffix", &HIDDEN).finish()
    }
}

/// What debug output shows instead of a code or ID characters.
pub(crate) const HIDDEN: &str = "******";

/// The three inputs of a check, each as its typed value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCheck {
    pub code: Code,
    pub phone: Phone,
    pub id_suffix: IdSuffix,
}

/// The fields a person fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum InputField {
    /// The six-digit code from the SMS.
    Code,
    /// The mobile number the SMS went to.
    Phone,
    /// The last six characters of the person's ID document number.
    IdSuffix,
}

impl InputField {
    /// The field's JSON pointer into the request body, as problem bodies' `errors[].field` name it.
    pub fn pointer(self) -> &'static str {
        match self {
            InputField::Code => "/code",
            InputField::Phone => "/phone",
            InputField::IdSuffix => "/id_suffix",
        }
    }

    /// The field a problem body's `errors[].field` names, if it is one of these.
    pub fn from_pointer(pointer: &str) -> Option<InputField> {
        [InputField::Code, InputField::Phone, InputField::IdSuffix].into_iter().find(|f| f.pointer() == pointer)
    }

    pub fn label(self) -> &'static str {
        match self {
            InputField::Code => "短信验证码",
            InputField::Phone => "手机号码",
            InputField::IdSuffix => "证件号码后六位",
        }
    }
}

/// One refused field and why, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: InputField,
    pub message: String,
}

impl FieldError {
    pub fn new(field: InputField, message: impl Into<String>) -> FieldError {
        FieldError { field, message: message.into() }
    }
}

impl CheckRequest {
    /// Every field parsed, or every refused field with its reason (in form order).
    pub fn parse(&self) -> Result<ParsedCheck, Vec<FieldError>> {
        let code = Code::parse(&self.code).map_err(|e| FieldError::new(InputField::Code, e.message()));
        let phone = Phone::parse(&self.phone).map_err(|e| FieldError::new(InputField::Phone, e.message()));
        let id_suffix =
            IdSuffix::parse(&self.id_suffix).map_err(|e| FieldError::new(InputField::IdSuffix, e.message()));
        match (code, phone, id_suffix) {
            (Ok(code), Ok(phone), Ok(id_suffix)) => Ok(ParsedCheck { code, phone, id_suffix }),
            (code, phone, id_suffix) => Err([code.err(), phone.err(), id_suffix.err()].into_iter().flatten().collect()),
        }
    }
}

impl LinkCheckRequest {
    pub fn parse(&self) -> Result<IdSuffix, Vec<FieldError>> {
        IdSuffix::parse(&self.id_suffix).map_err(|e| vec![FieldError::new(InputField::IdSuffix, e.message())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_form_parses_into_typed_values() {
        let request =
            CheckRequest {
                code: "１２３４５６".into(), phone: "+86 138 0013 8000".into(), id_suffix: "31002x".into()
            };
        let parsed = request.parse().unwrap();
        assert_eq!(parsed.code.as_str(), "123456");
        assert_eq!(parsed.phone.as_str(), "13800138000");
        assert_eq!(parsed.id_suffix.as_str(), "31002X");
    }

    #[test]
    fn every_bad_field_is_reported_in_form_order() {
        let errors = CheckRequest::default().parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, [InputField::Code, InputField::Phone, InputField::IdSuffix]);
    }

    #[test]
    fn each_field_is_named_by_the_pointer_to_its_member_of_the_request_body() {
        let body = serde_json::to_value(CheckRequest::default()).unwrap();
        for field in [InputField::Code, InputField::Phone, InputField::IdSuffix] {
            assert!(body.pointer(field.pointer()).is_some(), "{field:?}");
            assert_eq!(InputField::from_pointer(field.pointer()), Some(field));
        }
        assert_eq!(InputField::from_pointer("code"), None);
    }

    #[test]
    fn debug_output_never_shows_the_code_or_the_suffix() {
        let request = CheckRequest { code: "123456".into(), phone: "13800138000".into(), id_suffix: "31002X".into() };
        let shown = format!("{request:?} {:?}", LinkCheckRequest { id_suffix: "31002X".into() });
        assert!(!shown.contains("123456") && !shown.contains("31002X"), "{shown}");
    }

    #[test]
    fn unknown_fields_are_refused_on_the_wire() {
        let json = r#"{"code":"123456","phone":"13800138000","id_suffix":"31002X","extra":1}"#;
        assert!(serde_json::from_str::<CheckRequest>(json).is_err());
    }
}
