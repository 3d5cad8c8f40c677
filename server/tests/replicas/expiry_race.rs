//! A person's check arriving as their code runs out, while the expiry sweep of another replica
//! returns the same filing: exactly one of them closes it, and the person's answer agrees with
//! what happened to the filing.

use std::time::Duration;

use futures::future::join_all;
use protocol::{FilingState, FilingView};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::harness::people::{one_person_filing, zhang_phone, ZHANG};
use crate::harness::Cluster;

const FILINGS: usize = 60;
const VALIDITY_SECS: &str = "10";
/// Checks land from this long before their code's end to as long after it.
const SPREAD_MILLIS: i64 = 500;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checks_racing_the_expiry_sweep_of_other_replicas_close_each_filing_exactly_once() {
    let settings = [("BEIAN_CODE_VALIDITY_SECS", VALIDITY_SECS), ("BEIAN_JOB_INTERVAL_MILLIS", "5")];
    let Some(cluster) = Cluster::start(&settings).await else { return };
    let cluster = &cluster;
    let submitted = join_all((0..FILINGS).map(|n| async move { cluster.submit(n, &one_person_filing(n)).await })).await;
    let filings: Vec<FilingView> = submitted.into_iter().map(|f| f.expect("filing accepted")).collect();
    let phones: Vec<String> = (0..FILINGS).map(zhang_phone).collect();
    // Well inside the codes' validity, so the earliest checks still land before their end.
    let sms = cluster.wait_for_sms(&phones, Duration::from_secs(8)).await;

    // Filing n's check lands at its code's end plus an offset from -SPREAD to +SPREAD.
    let answers = join_all(filings.iter().enumerate().map(|(n, filing)| {
        let phone = &phones[n];
        let code = sms[phone].code.clone();
        let offset = -SPREAD_MILLIS + (2 * SPREAD_MILLIS * n as i64) / (FILINGS as i64 - 1);
        let at = expires_at(filing) + time::Duration::milliseconds(offset);
        async move {
            sleep_until(at).await;
            cluster.check(n, &code, phone, ZHANG.2).await.expect("answered")
        }
    }))
    .await;

    let (mut completed, mut returned) = (0, 0);
    for (n, (filing, answer)) in filings.iter().zip(&answers).enumerate() {
        let view = closed(cluster, n + 1, &filing.id).await;
        let transitions: Vec<&str> = view
            .events
            .iter()
            .map(|e| e.kind.as_str())
            .filter(|kind| matches!(*kind, "completed" | "returned"))
            .collect();
        assert_eq!(transitions.len(), 1, "filing {n}: {transitions:?}");
        match (answer.kind(), view.state) {
            ("completed", FilingState::Completed) => completed += 1,
            ("expired" | "returned", FilingState::Returned) => returned += 1,
            (answer, state) => panic!("filing {n}: the person was told {answer:?} but the filing is {state:?}"),
        }
    }
    println!("{completed} completed by their check, {returned} returned by expiry");
    // Both sides won some: the checks really landed on the edge.
    assert!(completed > 0 && returned > 0, "{completed} completed, {returned} returned");
}

fn expires_at(filing: &FilingView) -> OffsetDateTime {
    OffsetDateTime::parse(&filing.verifications[0].expires_at, &Rfc3339).expect("RFC 3339")
}

async fn sleep_until(at: OffsetDateTime) {
    let wait = at - OffsetDateTime::now_utc();
    if wait.is_positive() {
        tokio::time::sleep(wait.unsigned_abs()).await;
    }
}

/// The filing once it is no longer pending (the sweep runs every few milliseconds).
async fn closed(cluster: &Cluster, replica: usize, id: &str) -> FilingView {
    for _ in 0..200 {
        let view = cluster.filing(replica, id).await;
        if view.state != FilingState::Pending {
            return view;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("filing {id} still pending 5 s after its code ran out");
}
