//! The last two checks of one filing, sent at the same instant to two different replicas:
//! exactly one of them completes the filing, and its history says so once.

use std::time::Duration;

use futures::stream::{self, StreamExt};
use protocol::{FilingState, HistoryKind};

use crate::harness::people::{li_phone, two_person_filing, zhang_phone, LI, ZHANG};
use crate::harness::Cluster;

const ROUNDS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_rounds_of_the_last_two_checks_on_two_replicas_complete_each_filing_exactly_once() {
    let Some(cluster) = Cluster::start(&[]).await else { return };
    // Every filing first, round robin; then the rounds, one after another.
    let filings: Vec<String> = stream::iter(0..ROUNDS)
        .map(|n| {
            let cluster = &cluster;
            async move { cluster.submit(n, &two_person_filing(n)).await.expect("filing accepted").id }
        })
        .buffered(8)
        .collect()
        .await;
    let phones: Vec<String> = (0..ROUNDS).flat_map(|n| [zhang_phone(n), li_phone(n)]).collect();
    let sms = cluster.wait_for_sms(&phones, Duration::from_secs(60)).await;

    for (round, id) in filings.iter().enumerate() {
        let (zhang, li) = (zhang_phone(round), li_phone(round));
        let (a, b) = tokio::join!(
            cluster.check(round, &sms[&zhang].code, &zhang, ZHANG.2),
            cluster.check(round + 1, &sms[&li].code, &li, LI.2),
        );
        let mut outcomes = [a.expect("answered").kind(), b.expect("answered").kind()];
        outcomes.sort();
        assert_eq!(outcomes, ["completed", "partial"], "round {round}");

        let view = cluster.filing(round + 2, id).await;
        let completed = view.events.iter().filter(|e| e.kind == HistoryKind::Completed).count();
        assert_eq!((view.state, completed), (FilingState::Completed, 1), "round {round}: {view:?}");
    }
}
