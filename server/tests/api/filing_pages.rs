//! A provider walks its filings page by page with the `next` cursor: every filing once, in a
//! stable order, even while new filings arrive; a limit or cursor we cannot take is a 422.

use std::collections::HashSet;

use serde_json::Value;

use crate::helpers::*;

fn ids(page: &Value) -> Vec<String> {
    page["filings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect()
}

fn created_at(filing: &Value) -> time::OffsetDateTime {
    let text = filing["created_at"].as_str().unwrap();
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap()
}

#[tokio::test]
async fn walking_the_pages_gives_every_filing_once_newest_first_while_new_ones_arrive() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut before = Vec::new();
    for i in 0..8 {
        // Some share a millisecond: the order must not depend on the time alone.
        if i % 3 == 0 {
            app.clock.advance(1);
        }
        before.push(app.submitted(&key, &single_person_filing()).await["id"].as_str().unwrap().to_owned());
    }

    let mut seen: Vec<String> = Vec::new();
    let mut created = Vec::new();
    let mut path = "/api/v1/filings?limit=3".to_owned();
    let mut pages = 0;
    loop {
        let (status, page) = app.get_as(&key, &path).await;
        assert_eq!(status, 200, "{page}");
        assert!(ids(&page).len() <= 3);
        seen.extend(ids(&page));
        created.extend(page["filings"].as_array().unwrap().iter().map(created_at));
        pages += 1;
        // A new filing between pages, in the same millisecond as the newest and in a later one.
        app.submitted(&key, &single_person_filing()).await;
        app.clock.advance(1);
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/filings?limit=3&cursor={next}"),
            None => break,
        }
    }

    assert_eq!(pages, 3, "8 filings in pages of 3");
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a filing was repeated: {seen:?}");
    for id in &before {
        assert!(unique.contains(id), "{id} was missed");
    }
    assert!(created.windows(2).all(|pair| pair[0] >= pair[1]), "not newest first: {created:?}");
    app.stop().await;
}

#[tokio::test]
async fn filings_of_one_millisecond_page_by_id_and_those_arriving_in_it_meanwhile_come_once_at_most() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let mut before = HashSet::new();
    for _ in 0..10 {
        before.insert(app.submitted(&key, &single_person_filing()).await["id"].as_str().unwrap().to_owned());
    }
    // The clock stands still: every filing, old and new, has the same created_at, so only the id
    // orders them, and a new one may sort after the cursor (then it is listed later, once).
    let mut seen: Vec<String> = Vec::new();
    let mut path = Some("/api/v1/filings?limit=2".to_owned());
    for _ in 0..20 {
        let Some(here) = path.take() else { break };
        let (_, page) = app.get_as(&key, &here).await;
        seen.extend(ids(&page));
        app.submitted(&key, &single_person_filing()).await;
        path = page["next"].as_str().map(|next| format!("/api/v1/filings?limit=2&cursor={next}"));
    }
    assert_eq!(path, None, "the walk did not end");
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a filing was repeated: {seen:?}");
    assert!(before.is_subset(&unique), "missed: {:?}", before.difference(&unique).collect::<Vec<_>>());
    let mut descending = seen.clone();
    descending.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, descending, "ids of one millisecond run in one direction across pages");
    app.stop().await;
}

#[tokio::test]
async fn pages_keep_their_filters_and_the_last_page_says_there_is_no_next() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    for _ in 0..3 {
        app.submitted(&key, &single_person_filing()).await;
    }
    let mut beijing = single_person_filing();
    beijing["province"] = BEIJING.into();
    let complete = app.submitted(&key, &beijing).await;

    let (_, first) = app.get_as(&key, "/api/v1/filings?state=pending&limit=2").await;
    let next = first["next"].as_str().unwrap();
    let (_, second) = app.get_as(&key, &format!("/api/v1/filings?state=pending&limit=2&cursor={next}")).await;
    assert_eq!((ids(&first).len(), ids(&second).len()), (2, 1));
    assert_eq!(second["next"], Value::Null);
    assert!(!ids(&first).iter().chain(&ids(&second)).any(|id| *id == complete["id"]), "a complete filing was listed");

    let (_, exact) = app.get_as(&key, "/api/v1/filings?limit=4").await;
    assert_eq!((ids(&exact).len(), &exact["next"]), (4, &Value::Null), "a full last page has no next");
    app.stop().await;
}

#[tokio::test]
async fn a_limit_outside_one_to_five_hundred_or_a_cursor_we_did_not_give_is_a_422_naming_it() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    let cases = [
        ("limit=0", "/limit"),
        ("limit=501", "/limit"),
        ("limit=ten", "/limit"),
        ("cursor=not-a-cursor", "/cursor"),
        ("cursor=", "/cursor"),
        ("state=sideways", "/state"),
        ("page=2", ""),
    ];
    for (query, field) in cases {
        let (status, problem) = app.get_as(&key, &format!("/api/v1/filings?{query}")).await;
        assert_eq!((status, problem["code"].as_str()), (422, Some("invalid_input")), "{query}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
    for limit in [1, 500] {
        let (status, page) = app.get_as(&key, &format!("/api/v1/filings?limit={limit}")).await;
        assert_eq!((status, ids(&page).len()), (200, 1), "{limit}");
    }
    app.stop().await;
}
