//! Every `from_wire` lookup on any text: a value only for exactly that value's wire name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::{BusinessType, CheckOutcome, InputField, LinkState, ResendOutcome};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // After the first newline: the name a check outcome carries; a digit before it: tries left.
    let (name, person) = match text.split_once('\n') {
        Some((name, person)) => (name, Some(person.to_owned())),
        None => (text.as_ref(), None),
    };
    let tries_left = data.first().map(|b| u32::from(*b) * 1_000_003);
    let wire = |value: serde_json::Value| {
        value.as_str().map(str::to_owned).or_else(|| value["outcome"].as_str().map(str::to_owned))
    };

    if let Some(t) = BusinessType::from_wire(name) {
        assert_eq!(t.as_str(), name);
    }
    if let Some(outcome) = CheckOutcome::from_wire(name, person, tries_left) {
        assert_eq!(outcome.kind(), name);
    }
    if let Some(outcome) = ResendOutcome::from_wire(name) {
        assert_eq!(wire(serde_json::to_value(&outcome).unwrap()).as_deref(), Some(name));
    }
    if let Some(state) = LinkState::from_wire(name) {
        assert_eq!(wire(serde_json::to_value(state).unwrap()).as_deref(), Some(name));
    }
    if let Some(field) = InputField::from_wire(name) {
        assert_eq!(wire(serde_json::to_value(field).unwrap()).as_deref(), Some(name));
    }
});
