//! Values from their wire names, for a client that reads JSON without serde (the SPA keeps
//! serde_json out of its wasm to stay within its size budget). The serde derives remain the
//! definition of the wire format; the tests below hold these lookups to them.

use crate::{CheckOutcome, InputField, LinkState, ResendOutcome};

impl CheckOutcome {
    /// The outcome named `kind` (as [`CheckOutcome::kind`] gives it), or `None` when the kind is
    /// unknown or a field it needs is missing.
    pub fn from_wire(kind: &str, name: Option<String>, tries_left: Option<u32>) -> Option<CheckOutcome> {
        match kind {
            "not_found" => return Some(CheckOutcome::NotFound),
            "link_disabled" => return Some(CheckOutcome::LinkDisabled),
            "wrong_suffix" => return Some(CheckOutcome::WrongSuffix { tries_left: tries_left? }),
            _ => {}
        }
        let name = name?;
        Some(match kind {
            "partial" => CheckOutcome::Partial { name },
            "complete" => CheckOutcome::Complete { name },
            "already_verified" => CheckOutcome::AlreadyVerified { name },
            "failed" => CheckOutcome::Failed { name, tries_left: tries_left? },
            "attempts_used_up" => CheckOutcome::AttemptsUsedUp { name },
            "expired" => CheckOutcome::Expired { name },
            "returned" => CheckOutcome::Returned { name },
            "not_needed" => CheckOutcome::NotNeeded { name },
            _ => return None,
        })
    }
}

impl ResendOutcome {
    /// The resend outcome named `kind` (`sent`, `nothing_pending`, `limit_reached`).
    pub fn from_wire(kind: &str) -> Option<ResendOutcome> {
        match kind {
            "requested" => Some(ResendOutcome::Requested),
            "sent" => Some(ResendOutcome::Sent),
            "nothing_pending" => Some(ResendOutcome::NothingPending),
            "limit_reached" => Some(ResendOutcome::LimitReached),
            _ => None,
        }
    }
}

impl LinkState {
    /// The link state named `name` (`pending`, `verified`, ...).
    pub fn from_wire(name: &str) -> Option<LinkState> {
        match name {
            "pending" => Some(LinkState::Pending),
            "verified" => Some(LinkState::Verified),
            "failed" => Some(LinkState::Failed),
            "expired" => Some(LinkState::Expired),
            "returned" => Some(LinkState::Returned),
            "not_needed" => Some(LinkState::NotNeeded),
            "disabled" => Some(LinkState::Disabled),
            _ => None,
        }
    }
}

impl InputField {
    /// The field named `name` (`code`, `phone`, `id_suffix`), as request bodies and forms name it
    /// (problem bodies point at it: [`InputField::pointer`]).
    pub fn from_wire(name: &str) -> Option<InputField> {
        match name {
            "code" => Some(InputField::Code),
            "phone" => Some(InputField::Phone),
            "id_suffix" => Some(InputField::IdSuffix),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{to_value, Value};

    use super::*;

    fn wire_name<T: serde::Serialize>(value: &T) -> String {
        match to_value(value).unwrap() {
            Value::String(name) => name,
            Value::Object(map) => map["outcome"].as_str().unwrap().to_owned(),
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn every_check_outcome_comes_back_from_what_serde_writes() {
        let name = || "张三".to_owned();
        let all = [
            CheckOutcome::Partial { name: name() },
            CheckOutcome::Complete { name: name() },
            CheckOutcome::AlreadyVerified { name: name() },
            CheckOutcome::NotFound,
            CheckOutcome::Failed { name: name(), tries_left: 2 },
            CheckOutcome::AttemptsUsedUp { name: name() },
            CheckOutcome::Expired { name: name() },
            CheckOutcome::Returned { name: name() },
            CheckOutcome::NotNeeded { name: name() },
            CheckOutcome::WrongSuffix { tries_left: 1 },
            CheckOutcome::LinkDisabled,
        ];
        for outcome in all {
            let json = to_value(&outcome).unwrap();
            let name = json.get("name").and_then(Value::as_str).map(str::to_owned);
            let tries_left = json.get("tries_left").and_then(Value::as_u64).map(|n| n as u32);
            assert_eq!(CheckOutcome::from_wire(&wire_name(&outcome), name, tries_left), Some(outcome));
        }
    }

    #[test]
    fn a_named_outcome_without_its_name_is_refused() {
        assert_eq!(CheckOutcome::from_wire("partial", None, None), None);
        assert_eq!(CheckOutcome::from_wire("failed", Some("张三".into()), None), None);
        assert_eq!(CheckOutcome::from_wire("nonsense", Some("张三".into()), None), None);
    }

    #[test]
    fn every_resend_outcome_link_state_and_field_comes_back_from_its_wire_name() {
        for outcome in
            [ResendOutcome::Requested, ResendOutcome::Sent, ResendOutcome::NothingPending, ResendOutcome::LimitReached]
        {
            assert_eq!(ResendOutcome::from_wire(&wire_name(&outcome)), Some(outcome));
        }
        use LinkState::*;
        for state in [Pending, Verified, Failed, Expired, Returned, NotNeeded, Disabled] {
            assert_eq!(LinkState::from_wire(&wire_name(&state)), Some(state));
        }
        for field in [InputField::Code, InputField::Phone, InputField::IdSuffix] {
            assert_eq!(InputField::from_wire(&wire_name(&field)), Some(field));
        }
    }
}
