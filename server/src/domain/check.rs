//! What a check does, decided from a snapshot of the person's verifications. The store applies
//! the effects in the same transaction that read the snapshot. A person's full name is shown only
//! once their code (or link and ID suffix) was right; before that it is masked (张*).

use protocol::{CheckOutcome, ReturnReason};

use super::ids::{FilingId, VerificationId};
use super::name_mask::mask_name;
use super::plan::Completion;
use super::states::{FilingState, VerificationState};
use crate::clock::Millis;

/// One of the person's verifications (selected by phone number and ID suffix).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub verification_id: VerificationId,
    pub filing_id: FilingId,
    pub name: String,
    pub state: VerificationState,
    pub attempts_used: u32,
    pub issued_at: Millis,
    pub expires_at: Millis,
    /// Whether the typed code is this verification's code (compared in constant time by the caller).
    pub code_matches: bool,
}

/// A filing a candidate belongs to, with the states of all its verifications.
#[derive(Debug, Clone)]
pub struct FilingSnapshot {
    pub id: FilingId,
    pub state: FilingState,
    pub completion: Completion,
    pub verifications: Vec<(VerificationId, VerificationState)>,
}

/// A change to make. Each is applied only from the state the decision saw (a conditional update).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The person becomes `verified`.
    Verify { verification_id: VerificationId },
    /// The filing becomes `completed` (to review); its people still `pending` become `not_needed`.
    CompleteFiling { filing_id: FilingId },
    /// A wrong code with tries left: one try used, the person stays `pending`.
    UseTry { verification_id: VerificationId },
    /// The last wrong code allowed: the person becomes `attempts_used_up`.
    UseLastTry { verification_id: VerificationId },
    /// The code ran out: the person becomes `expired`.
    ExpireVerification { verification_id: VerificationId },
    /// The filing becomes `returned` (to its provider); its people still `pending` become
    /// `returned`.
    ReturnFiling { filing_id: FilingId, reason: ReturnReason },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: CheckOutcome,
    pub effects: Vec<Effect>,
}

/// Decide a check. `candidates` are newest first.
pub fn decide(now: Millis, max_attempts: u32, candidates: &[Candidate], filings: &[FilingSnapshot]) -> Decision {
    let Some(newest) = candidates.first() else {
        return Decision { outcome: CheckOutcome::NotFound, effects: vec![] };
    };
    let mut effects = Vec::new();
    let is_live = |c: &Candidate| c.state == VerificationState::Pending && c.expires_at > now;

    // Codes past their validity are closed first, whatever was typed: the request goes back.
    let expired_now: Vec<&Candidate> =
        candidates.iter().filter(|c| c.state == VerificationState::Pending && !is_live(c)).collect();
    for c in &expired_now {
        effects.push(Effect::ExpireVerification { verification_id: c.verification_id.clone() });
        effects.push(Effect::ReturnFiling { filing_id: c.filing_id.clone(), reason: ReturnReason::Expired });
    }

    if let Some(c) = candidates.iter().find(|c| is_live(c) && c.code_matches) {
        effects.push(Effect::Verify { verification_id: c.verification_id.clone() });
        let name = c.name.clone();
        let outcome = if completes(c, filings) {
            effects.push(Effect::CompleteFiling { filing_id: c.filing_id.clone() });
            CheckOutcome::Completed { name }
        } else {
            CheckOutcome::Partial { name }
        };
        return Decision { outcome, effects };
    }

    if let Some(c) = candidates.iter().find(|c| c.code_matches) {
        let expired = expired_now.iter().any(|e| e.verification_id == c.verification_id);
        let outcome = if expired { CheckOutcome::Expired { name: c.name.clone() } } else { settled(c, c.name.clone()) };
        return Decision { outcome, effects };
    }

    // A wrong code: one try used on the person's newest live verification only, so a typo for
    // one request cannot return the person's other requests (of other providers too).
    if let Some(c) = candidates.iter().find(|c| is_live(c)) {
        let used = c.attempts_used + 1;
        let name = mask_name(&c.name);
        let outcome = if used >= max_attempts {
            effects.push(Effect::UseLastTry { verification_id: c.verification_id.clone() });
            effects.push(Effect::ReturnFiling { filing_id: c.filing_id.clone(), reason: ReturnReason::AttemptsUsedUp });
            CheckOutcome::AttemptsUsedUp { name }
        } else {
            effects.push(Effect::UseTry { verification_id: c.verification_id.clone() });
            CheckOutcome::WrongCode { name, tries_left: max_attempts - used }
        };
        return Decision { outcome, effects };
    }

    if let Some(c) = expired_now.first() {
        return Decision { outcome: CheckOutcome::Expired { name: mask_name(&c.name) }, effects };
    }
    // Nothing is waiting: tell the person where their newest verification stands.
    Decision { outcome: settled(newest, mask_name(&newest.name)), effects }
}

/// Whether verifying `c` completes its request.
fn completes(c: &Candidate, filings: &[FilingSnapshot]) -> bool {
    let Some(filing) = filings.iter().find(|f| f.id == c.filing_id) else { return false };
    filing.state == FilingState::Pending
        && match filing.completion {
            Completion::Any => true,
            Completion::All => filing
                .verifications
                .iter()
                .all(|(id, state)| *id == c.verification_id || *state == VerificationState::Verified),
        }
}

/// The outcome that describes a verification that is no longer pending, naming the person as
/// `name` (in full only once the code was right).
fn settled(c: &Candidate, name: String) -> CheckOutcome {
    match c.state {
        VerificationState::Verified => CheckOutcome::AlreadyVerified { name },
        VerificationState::AttemptsUsedUp => CheckOutcome::AttemptsUsedUp { name },
        VerificationState::Expired | VerificationState::Pending => CheckOutcome::Expired { name },
        VerificationState::Returned => CheckOutcome::Returned { name },
        VerificationState::NotNeeded => CheckOutcome::NotNeeded { name },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_000_000;
    const LATER: Millis = NOW + 60_000;

    fn candidate(id: &str, filing: &str, state: VerificationState, code_matches: bool) -> Candidate {
        Candidate {
            verification_id: VerificationId::new(id),
            filing_id: FilingId::new(filing),
            name: "张三".into(),
            state,
            attempts_used: 0,
            issued_at: NOW - 1,
            expires_at: LATER,
            code_matches,
        }
    }

    fn filing(id: &str, completion: Completion, verifications: &[(&str, VerificationState)]) -> FilingSnapshot {
        FilingSnapshot {
            id: FilingId::new(id),
            state: FilingState::Pending,
            completion,
            verifications: verifications.iter().map(|(v, s)| (VerificationId::new(*v), *s)).collect(),
        }
    }

    use VerificationState::*;

    #[test]
    fn nobody_matching_phone_and_suffix_is_not_found() {
        assert_eq!(decide(NOW, 3, &[], &[]).outcome, CheckOutcome::NotFound);
    }

    #[test]
    fn right_code_with_others_pending_is_partial() {
        let c = candidate("v1", "f1", Pending, true);
        let f = filing("f1", Completion::All, &[("v1", Pending), ("v2", Pending)]);
        let d = decide(NOW, 3, &[c], &[f]);
        assert_eq!(d.outcome, CheckOutcome::Partial { name: "张三".into() });
        assert_eq!(d.effects, [Effect::Verify { verification_id: VerificationId::new("v1") }]);
    }

    #[test]
    fn right_code_of_the_last_pending_person_completes_the_request() {
        let c = candidate("v1", "f1", Pending, true);
        let f = filing("f1", Completion::All, &[("v1", Pending), ("v2", Verified)]);
        let d = decide(NOW, 3, &[c], &[f]);
        assert_eq!(d.outcome, CheckOutcome::Completed { name: "张三".into() });
        assert!(d.effects.contains(&Effect::CompleteFiling { filing_id: FilingId::new("f1") }));
    }

    #[test]
    fn any_one_request_completes_on_the_first_verification() {
        let c = candidate("v1", "f1", Pending, true);
        let f = filing("f1", Completion::Any, &[("v1", Pending), ("v2", Pending)]);
        assert_eq!(decide(NOW, 3, &[c], &[f]).outcome, CheckOutcome::Completed { name: "张三".into() });
    }

    #[test]
    fn code_of_a_verified_verification_is_already_verified() {
        let d = decide(NOW, 3, &[candidate("v1", "f1", Verified, true)], &[]);
        assert_eq!(d.outcome, CheckOutcome::AlreadyVerified { name: "张三".into() });
        assert!(d.effects.is_empty());
    }

    #[test]
    fn wrong_code_uses_one_try_on_the_newest_pending_verification_only() {
        let mut a = candidate("v1", "f1", Pending, false);
        a.attempts_used = 1;
        let mut b = candidate("v2", "f2", Pending, false);
        b.attempts_used = 2;
        let d = decide(NOW, 3, &[a, b], &[]);
        assert_eq!(d.outcome, CheckOutcome::WrongCode { name: "张*".into(), tries_left: 1 });
        assert_eq!(d.effects, [Effect::UseTry { verification_id: VerificationId::new("v1") }]);
    }

    #[test]
    fn third_wrong_code_fails_the_verification_and_returns_the_request() {
        let mut c = candidate("v1", "f1", Pending, false);
        c.attempts_used = 2;
        let d = decide(NOW, 3, &[c], &[]);
        assert_eq!(d.outcome, CheckOutcome::AttemptsUsedUp { name: "张*".into() });
        assert_eq!(
            d.effects,
            [
                Effect::UseLastTry { verification_id: VerificationId::new("v1") },
                Effect::ReturnFiling { filing_id: FilingId::new("f1"), reason: ReturnReason::AttemptsUsedUp }
            ]
        );
    }

    #[test]
    fn a_code_past_its_validity_expires_and_returns_the_request_even_if_right() {
        let mut c = candidate("v1", "f1", Pending, true);
        c.expires_at = NOW;
        let d = decide(NOW, 3, &[c], &[]);
        assert_eq!(d.outcome, CheckOutcome::Expired { name: "张三".into() });
        assert_eq!(
            d.effects,
            [
                Effect::ExpireVerification { verification_id: VerificationId::new("v1") },
                Effect::ReturnFiling { filing_id: FilingId::new("f1"), reason: ReturnReason::Expired }
            ]
        );
    }

    #[test]
    fn a_person_no_longer_pending_hears_the_outcome_named_like_their_state() {
        for state in [AttemptsUsedUp, Expired, Returned, NotNeeded] {
            for code_matches in [true, false] {
                let outcome = decide(NOW, 3, &[candidate("v1", "f1", state, code_matches)], &[]).outcome;
                assert_eq!(outcome.kind(), state.as_str(), "docs/states.md: one name per state");
            }
        }
    }

    #[test]
    fn a_person_on_a_returned_or_completed_request_is_told_so_named_in_full_only_with_the_right_code() {
        for (state, expected) in [
            (Returned, CheckOutcome::Returned { name: "张三".into() }),
            (NotNeeded, CheckOutcome::NotNeeded { name: "张三".into() }),
            (AttemptsUsedUp, CheckOutcome::AttemptsUsedUp { name: "张三".into() }),
            (Expired, CheckOutcome::Expired { name: "张三".into() }),
            (Verified, CheckOutcome::AlreadyVerified { name: "张三".into() }),
        ] {
            let d = decide(NOW, 3, &[candidate("v1", "f1", state, true)], &[]);
            assert_eq!(d.outcome, expected, "{state:?}");
            assert!(d.effects.is_empty());
            let d = decide(NOW, 3, &[candidate("v1", "f1", state, false)], &[]);
            assert_eq!(d.outcome.kind(), expected.kind(), "{state:?}");
            assert!(d.outcome.message().starts_with("张*") && !d.outcome.message().contains("张三"));
            assert!(d.effects.is_empty());
        }
    }

    #[test]
    fn a_wrong_code_never_shows_the_full_name() {
        let mut used_up = candidate("v1", "f1", Pending, false);
        used_up.attempts_used = 2;
        let mut expired = candidate("v2", "f2", Pending, false);
        expired.expires_at = NOW;
        for c in [candidate("v0", "f0", Pending, false), used_up, expired] {
            let message = decide(NOW, 3, &[c], &[]).outcome.message();
            assert!(!message.contains("张三") && message.starts_with("张*"), "{message}");
        }
    }

    #[test]
    fn right_code_for_one_request_leaves_the_persons_other_requests_untouched() {
        let a = candidate("v1", "f1", Pending, false);
        let b = candidate("v2", "f2", Pending, true);
        let f2 = filing("f2", Completion::All, &[("v2", Pending)]);
        let d = decide(NOW, 3, &[a, b], &[f2]);
        assert_eq!(d.outcome, CheckOutcome::Completed { name: "张三".into() });
        assert!(!d.effects.iter().any(|e| matches!(e, Effect::UseTry { .. })));
    }
}
