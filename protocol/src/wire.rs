//! Values from their wire names, for a client that reads JSON without serde (the SPA keeps
//! serde_json out of its wasm to stay within its size budget). Each enum's names are derived
//! once, by strum beside serde (docs/states.md); the tests below hold the two to each other.

use crate::OutcomeKind;
use crate::{BusinessType, CheckOutcome, InputField, LinkState, ResendOutcome};

impl CheckOutcome {
    /// The outcome named `kind` (as [`CheckOutcome::kind`] gives it), or `None` when the kind is
    /// unknown or a field it needs is missing.
    pub fn from_wire(kind: &str, name: Option<String>, tries_left: Option<u32>) -> Option<CheckOutcome> {
        Some(match kind.parse::<OutcomeKind>().ok()? {
            OutcomeKind::NotFound => CheckOutcome::NotFound,
            OutcomeKind::LinkDisabled => CheckOutcome::LinkDisabled,
            OutcomeKind::WrongSuffix => CheckOutcome::WrongSuffix { tries_left: tries_left? },
            OutcomeKind::Partial => CheckOutcome::Partial { name: name? },
            OutcomeKind::Completed => CheckOutcome::Completed { name: name? },
            OutcomeKind::AlreadyVerified => CheckOutcome::AlreadyVerified { name: name? },
            OutcomeKind::WrongCode => CheckOutcome::WrongCode { name: name?, tries_left: tries_left? },
            OutcomeKind::AttemptsUsedUp => CheckOutcome::AttemptsUsedUp { name: name? },
            OutcomeKind::Expired => CheckOutcome::Expired { name: name? },
            OutcomeKind::Returned => CheckOutcome::Returned { name: name? },
            OutcomeKind::NotNeeded => CheckOutcome::NotNeeded { name: name? },
        })
    }
}

impl CheckOutcome {
    /// One outcome of each kind, naming `name` with `tries_left` where a kind carries them: what
    /// a test walks to cover every outcome, including one added later.
    pub fn every_kind(name: &str, tries_left: u32) -> Vec<CheckOutcome> {
        use strum::IntoEnumIterator;
        OutcomeKind::iter()
            .map(|kind| CheckOutcome::from_wire(kind.into(), Some(name.to_owned()), Some(tries_left)))
            .collect::<Option<_>>()
            .expect("every kind is made from a name and tries left")
    }
}

impl ResendOutcome {
    /// The resend outcome named `kind` (`requested`, `sent`, `nothing_pending`, `limit_reached`).
    pub fn from_wire(kind: &str) -> Option<ResendOutcome> {
        kind.parse().ok()
    }
}

impl LinkState {
    /// The link state named `name` (`pending`, `verified`, ...).
    pub fn from_wire(name: &str) -> Option<LinkState> {
        name.parse().ok()
    }
}

impl BusinessType {
    /// The business type named `name` (`new_filing`, ...).
    pub fn from_wire(name: &str) -> Option<BusinessType> {
        name.parse().ok()
    }
}

impl InputField {
    /// The field named `name` (`code`, `phone`, `id_suffix`), as request bodies and forms name it
    /// (problem bodies point at it: [`InputField::pointer`]).
    pub fn from_wire(name: &str) -> Option<InputField> {
        name.parse().ok()
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
        for outcome in CheckOutcome::every_kind("张三", 2) {
            let json = to_value(&outcome).unwrap();
            let name = json.get("name").and_then(Value::as_str).map(str::to_owned);
            let tries_left = json.get("tries_left").and_then(Value::as_u64).map(|n| n as u32);
            assert_eq!(CheckOutcome::from_wire(&wire_name(&outcome), name, tries_left), Some(outcome));
        }
    }

    #[test]
    fn a_named_outcome_without_its_name_is_refused() {
        assert_eq!(CheckOutcome::from_wire("partial", None, None), None);
        assert_eq!(CheckOutcome::from_wire("wrong_code", Some("张三".into()), None), None);
        assert_eq!(CheckOutcome::from_wire("nonsense", Some("张三".into()), None), None);
    }

    #[test]
    fn every_resend_outcome_link_state_and_field_comes_back_from_its_wire_name() {
        for outcome in
            [ResendOutcome::Requested, ResendOutcome::Sent, ResendOutcome::NothingPending, ResendOutcome::LimitReached]
        {
            assert_eq!(ResendOutcome::from_wire(&wire_name(&outcome)), Some(outcome));
        }
        for state in LinkState::every() {
            assert_eq!(LinkState::from_wire(&wire_name(&state)), Some(state));
        }
        for field in [InputField::Code, InputField::Phone, InputField::IdSuffix] {
            assert_eq!(InputField::from_wire(&wire_name(&field)), Some(field));
            assert_eq!(field.name(), wire_name(&field));
        }
        for business in BusinessType::ALL {
            assert_eq!(BusinessType::from_wire(&wire_name(&business)), Some(business));
            assert_eq!(business.as_str(), wire_name(&business));
        }
    }

    #[test]
    fn every_state_and_reason_is_named_as_serde_writes_it_and_parses_back() {
        use crate::{FilingState, ReturnReason, VerificationState};
        for state in [FilingState::Pending, FilingState::Completed, FilingState::Returned] {
            assert_eq!(state.as_str(), wire_name(&state));
            assert_eq!(state.as_str().parse(), Ok(state));
        }
        for state in <VerificationState as strum::IntoEnumIterator>::iter() {
            assert_eq!(state.as_str(), wire_name(&state));
            assert_eq!(state.as_str().parse(), Ok(state));
        }
        for (history, state) in [
            (crate::HistoryKind::Completed, FilingState::Completed),
            (crate::HistoryKind::Returned, FilingState::Returned),
        ] {
            assert_eq!(history.as_str(), state.as_str(), "a filing's closing entry is named after its new state");
            assert_eq!(history.as_str(), wire_name(&history));
        }
        for reason in [ReturnReason::AttemptsUsedUp, ReturnReason::Expired] {
            assert_eq!(reason.as_str(), wire_name(&reason));
            assert_eq!(reason.as_str().parse(), Ok(reason));
        }
    }
}
