//! A thousand filings submitted round robin to three replicas, whose SMS dispatchers all claim
//! from the one outbox: every SMS reaches a gateway exactly once.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use futures::stream::{self, StreamExt};

use crate::harness::people::{one_person_filing, zhang_phone};
use crate::harness::Cluster;

const FILINGS: usize = 1_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_filings_submitted_round_robin_send_every_sms_exactly_once_across_the_replicas() {
    let Some(cluster) = Cluster::start(&[]).await else { return };
    let ids: Vec<String> = stream::iter(0..FILINGS)
        .map(|n| {
            let cluster = &cluster;
            async move { cluster.submit(n, &one_person_filing(n)).await.expect("filing accepted").id }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let phones: Vec<String> = (0..FILINGS).map(zhang_phone).collect();
    cluster.wait_for_sms(&phones, Duration::from_secs(120)).await;
    // Long enough for any dispatcher that claimed a row twice to have sent it again.
    tokio::time::sleep(Duration::from_secs(2)).await;

    let sent = cluster.sms();
    let mut per_outbox_row: HashMap<&str, usize> = HashMap::new();
    let mut per_replica = [0; 3];
    for s in &sent {
        *per_outbox_row.entry(s.sms.id.as_str()).or_default() += 1;
        per_replica[s.replica] += 1;
    }
    let twice: Vec<_> = per_outbox_row.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "SMS sent more than once: {twice:?}");
    let receivers: HashSet<&str> = sent.iter().map(|s| s.sms.to.as_str()).collect();
    assert_eq!((sent.len(), receivers.len()), (FILINGS, FILINGS), "one SMS per filing, each to its own number");
    println!("SMS sent per replica: {per_replica:?}");

    // Each filing's history records its SMS as sent once, whichever replica is asked.
    let views: Vec<_> =
        stream::iter(ids.iter().enumerate()).map(|(n, id)| cluster.filing(n, id)).buffer_unordered(16).collect().await;
    for view in &views {
        let sent = view.events.iter().filter(|e| e.kind == protocol::HistoryKind::SmsSent).count();
        assert_eq!(sent, 1, "filing {}: {:?}", view.id, view.events);
    }
}
