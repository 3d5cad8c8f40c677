//! `kill -9` of one replica while filings and checks pour in: nothing the cluster acknowledged
//! is lost, and the SMS the dead replica had claimed go out from the others once its lease ends.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use futures::future::join_all;
use protocol::{FilingState, VerificationState};

use crate::harness::people::{one_person_filing, zhang_phone, ZHANG};
use crate::harness::stuck_gateway::StuckGateway;
use crate::harness::Cluster;

/// The replica that dies. Its SMS gateway never answers, so it dies holding claimed SMS.
const VICTIM: usize = 1;
/// The SMS dispatcher's lease (`server/src/jobs/sms_dispatch.rs`): a claim lasts this long.
const LEASE: time::Duration = time::Duration::seconds(60);
const SUBMITTERS: usize = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replica_killed_under_load_loses_no_acknowledged_check_filing_or_sms() {
    let (gateway, gateway_url) = StuckGateway::start().await;
    let victim_settings = move |i: usize| match i {
        VICTIM => vec![
            ("BEIAN_SMS_GATEWAY".to_string(), gateway_url.clone()),
            ("BEIAN_OUTBOUND_TIMEOUT_SECS".to_string(), "600".to_string()),
        ],
        _ => Vec::new(),
    };
    let Some(cluster) = Cluster::start_each(&[], victim_settings).await else { return };

    // Load: submitters round robin over all three; a checker answers every SMS that arrives.
    let acknowledged: Mutex<HashMap<String, String>> = Mutex::default(); // phone -> filing id
    let checked: Mutex<Vec<String>> = Mutex::default(); // filing ids whose check was answered: verified
    let (next, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
    let submitters = join_all((0..SUBMITTERS).map(|_| async {
        while !stop.load(Ordering::Relaxed) {
            let n = next.fetch_add(1, Ordering::Relaxed);
            if let Ok(filing) = cluster.submit(n, &one_person_filing(n)).await {
                acknowledged.lock().unwrap().insert(zhang_phone(n), filing.id);
            }
        }
    }));
    let checker = async {
        let mut done = HashSet::new();
        let mut turn = 0;
        while !stop.load(Ordering::Relaxed) {
            for sent in cluster.sms() {
                let Some(id) = acknowledged.lock().unwrap().get(&sent.sms.to).cloned() else { continue };
                if done.contains(&id) {
                    continue;
                }
                turn += 1;
                if let Ok(outcome) = cluster.check(turn, &sent.sms.code, &sent.sms.to, ZHANG.2).await {
                    // Already verified: an earlier try reached the victim, which died before answering.
                    assert!(matches!(outcome.kind(), "completed" | "already_verified"), "{outcome:?}");
                    checked.lock().unwrap().push(id.clone());
                    done.insert(id);
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let killer = async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        cluster.replicas[VICTIM].kill_9().await;
        let killed_at = time::OffsetDateTime::now_utc();
        tokio::time::sleep(Duration::from_secs(3)).await;
        stop.store(true, Ordering::Relaxed);
        killed_at
    };
    let (_, (), killed_at) = tokio::join!(submitters, checker, killer);
    let acknowledged = acknowledged.into_inner().unwrap();
    let checked = checked.into_inner().unwrap();
    let handed = gateway.handed();
    println!(
        "{} filings and {} checks acknowledged; the victim held {} SMS at its gateway when killed",
        acknowledged.len(),
        checked.len(),
        handed.len()
    );
    assert!(!handed.is_empty(), "the victim claimed no SMS: the test proved nothing");

    // Every acknowledged filing's SMS arrives, the ones the victim held after its lease.
    let phones: Vec<String> = acknowledged.keys().cloned().collect();
    cluster.wait_for_sms(&phones, LEASE.unsigned_abs() + Duration::from_secs(60)).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let sent = cluster.sms();
    let mut times_sent: HashMap<&str, usize> = HashMap::new();
    for s in &sent {
        *times_sent.entry(s.sms.id.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = times_sent.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "SMS sent more than once: {twice:?}");
    for (id, handed_at) in &handed {
        let resent =
            sent.iter().find(|s| &s.sms.id == id).unwrap_or_else(|| panic!("SMS {id} the victim held was never sent"));
        assert_ne!(resent.replica, VICTIM);
        assert!(resent.sms.sent_at() > killed_at, "SMS {id} sent before the kill");
        // Claimed just before it was handed over: free again a lease later (1 s for rounding).
        assert!(
            resent.sms.sent_at() >= *handed_at + LEASE - time::Duration::seconds(1),
            "SMS {id} went out inside the lease"
        );
    }

    // Every acknowledged filing is there; every acknowledged check's verification stayed verified.
    let survivors = [0, 2];
    let views = join_all(acknowledged.values().enumerate().map(|(n, id)| cluster.filing(survivors[n % 2], id))).await;
    let by_id: HashMap<&str, _> = views.iter().map(|v| (v.id.as_str(), v)).collect();
    for id in &checked {
        let view = by_id[id.as_str()];
        assert_eq!(view.state, FilingState::Completed, "{view:?}");
        assert_eq!(view.verifications[0].state, VerificationState::Verified, "{view:?}");
    }
}
