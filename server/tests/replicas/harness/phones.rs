//! People's phones: the union of the replicas' `sms.jsonl` files, which their console SMS
//! gateways append one JSON line to per SMS handed over.

use std::path::Path;

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// One SMS as the console gateway logged it.
#[derive(Debug, Clone, Deserialize)]
pub struct Sms {
    /// The outbox row's id: the same SMS sent twice has the same id.
    pub id: String,
    pub to: String,
    pub code: String,
    pub sent_at: String,
}

impl Sms {
    pub fn sent_at(&self) -> OffsetDateTime {
        OffsetDateTime::parse(&self.sent_at, &Rfc3339).expect("sent_at is RFC 3339")
    }
}

/// One SMS and the replica (index) whose gateway sent it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub replica: usize,
    pub sms: Sms,
}

/// Every SMS in the given data directories, in file order; a line still being written is left
/// for the next read.
pub fn read(data_dirs: &[&Path]) -> Vec<Sent> {
    let mut all = Vec::new();
    for (replica, dir) in data_dirs.iter().enumerate() {
        let text = std::fs::read_to_string(dir.join("sms.jsonl")).unwrap_or_default();
        let complete = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
        for line in complete.lines().filter(|line| !line.trim().is_empty()) {
            let sms: Sms = serde_json::from_str(line).unwrap_or_else(|e| panic!("sms.jsonl line {line:?}: {e}"));
            all.push(Sent { replica, sms });
        }
    }
    all
}
