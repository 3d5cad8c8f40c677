//! Attacks by someone who knows only a phone number (or holds a forwarded link), performed against
//! the real server. Each test would pass for the attacker on the code before the abuse-resistance
//! work, and must fail for them now.

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::helpers::*;

/// The limits as deployed: 10 wrong guesses an hour and 20 a day per number.
async fn spawn_with_default_guess_budget() -> TestApp {
    spawn_with(|s| {
        s.limits.wrong_guesses_per_phone_per_hour = 10;
        s.limits.wrong_guesses_per_phone_per_day = 20;
    })
    .await
}

/// A check as sent, with its status and, for a 429, its Retry-After.
async fn raw_check(app: &TestApp, code: &str, phone: &str, suffix: &str) -> (u16, Value, Option<u64>) {
    let response = app
        .client
        .post(app.url("/api/v1/checks"))
        .json(&json!({"code": code, "phone": phone, "id_suffix": suffix}))
        .send()
        .await
        .unwrap();
    let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().parse().unwrap());
    let (status, body) = status_json(response).await;
    (status, body, retry_after)
}

#[tokio::test]
async fn attack_lockout_bogus_checks_never_refuse_the_right_code_or_the_link() {
    let app = spawn_with_default_guess_budget().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &new_filing()).await;
    let zhang_code = app.code_for(ZHANG.1).await;
    let li_link = app.latest_sms(LI.1).await.link;

    // The attacker knows both numbers, not the suffixes: 40 bogus checks each.
    let mut refused = 0;
    for i in 0..40 {
        for phone in [ZHANG.1, LI.1] {
            let (status, body, retry_after) = raw_check(&app, "123456", phone, &format!("{:06}", 100_000 + i)).await;
            match status {
                200 => assert_eq!(body["outcome"], "not_found"),
                429 => {
                    refused += 1;
                    // Sliding: the next guess frees up within 12 minutes, not at the top of the hour.
                    assert!(retry_after.unwrap() <= 721, "{retry_after:?}");
                }
                other => panic!("{other}: {body}"),
            }
        }
    }
    assert!(refused >= 70, "the guesses were throttled ({refused} of 80 refused)");

    // The people themselves are not locked out.
    let (status, body, _) = raw_check(&app, &zhang_code, ZHANG.1, ZHANG.3).await;
    assert_eq!((status, body), (200, json!({"outcome": "partial", "name": "张三"})));
    let (status, body) =
        app.post(&format!("/api/v1/links/{}/checks", token_of(&li_link)), &json!({"id_suffix": LI.3})).await;
    assert_eq!((status, body), (200, json!({"outcome": "completed", "name": "李四"})));
    app.stop().await;
}

#[tokio::test]
async fn attack_lockout_is_not_until_the_top_of_the_hour() {
    let app = spawn_with_default_guess_budget().await;
    let mut retry_after = None;
    for i in 0..10 {
        let (status, _, after) = raw_check(&app, "123456", ZHANG.1, &format!("{:06}", 200_000 + i)).await;
        if status == 429 {
            retry_after = after;
            break;
        }
    }
    let wait = retry_after.expect("the number's budget ran out");
    app.clock.advance(wait as i64 * 1_000);
    let (status, body, _) = raw_check(&app, "123456", ZHANG.1, "300000").await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("not_found")), "one guess freed after {wait} s");
    app.stop().await;
}

#[tokio::test]
async fn attack_a_day_of_guessing_gets_at_most_twenty_wrong_guesses_per_number_and_ten_in_any_hour() {
    let app = spawn_with_default_guess_budget().await;
    let mut through = Vec::new();
    // A guess every five minutes for a day.
    for minute in (0..24 * 60).step_by(5) {
        let (status, _, _) = raw_check(&app, "123456", ZHANG.1, &format!("{:06}", 400_000 + minute)).await;
        if status == 200 {
            through.push(minute);
        }
        app.clock.advance(5 * 60_000);
    }
    assert!(through.len() <= 20, "{} guesses in a day: {through:?}", through.len());
    for (i, start) in through.iter().enumerate() {
        let in_hour = through[i..].iter().take_while(|m| **m < start + 60).count();
        assert!(in_hour <= 10, "{in_hour} guesses in the hour from minute {start}");
    }
    assert!(through.len() >= 15, "the budget is used, not stricter than it says: {through:?}");
    app.stop().await;
}

#[tokio::test]
async fn attack_eighty_concurrent_guesses_get_exactly_the_burst_through() {
    // 20 an hour: 10 at once.
    let app = spawn_with(|s| {
        s.limits.wrong_guesses_per_phone_per_hour = 20;
        s.limits.wrong_guesses_per_phone_per_day = 1_000;
    })
    .await;
    let guesses = (0..80).map(|i| {
        let app = &app;
        async move { raw_check(app, "123456", ZHANG.1, &format!("{:06}", 500_000 + i)).await.0 }
    });
    let statuses = futures::future::join_all(guesses).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 70);
    app.stop().await;
}

#[tokio::test]
async fn attack_probing_the_suffix_through_resends_gets_the_same_answer_either_way() {
    let app = spawn_with_default_guess_budget().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    app.latest_sms(ZHANG.1).await;
    app.clock.advance(61_000);

    let right = app.resend(ZHANG.1, ZHANG.3).await;
    let mut answers = HashSet::new();
    for i in 0..100 {
        answers.insert(app.resend(ZHANG.1, &format!("{:06}", 600_000 + i)).await);
    }
    // Too soon after the last SMS, with the right suffix: the same again.
    answers.insert(app.resend(ZHANG.1, ZHANG.3).await);
    assert_eq!(answers, HashSet::from([right.clone()]), "every answer is {right:?}");
    assert_eq!(right, (200, json!({"outcome": "requested"})));
    assert_eq!(app.wait_for_sms(ZHANG.1, 2).await.to.as_str(), ZHANG.1, "the person got their new code");

    // The wrong suffixes used the number's one budget: checks and links are refused now…
    let (status, _, _) = raw_check(&app, "123456", ZHANG.1, "999999").await;
    assert_eq!(status, 429, "the budget is shared with checks");
    let new_link = app.latest_sms(ZHANG.1).await.link;
    let (status, _) =
        app.post(&format!("/api/v1/links/{}/checks", token_of(&new_link)), &json!({"id_suffix": "999999"})).await;
    assert_eq!(status, 429, "and with links");
    // …but not the person's own right code.
    let code = app.latest_sms(ZHANG.1).await.code;
    assert_eq!(app.check(&code, ZHANG.1, ZHANG.3).await, json!({"outcome": "completed", "name": "张三"}));
    app.stop().await;
}

#[tokio::test]
async fn attack_used_up_resends_are_told_only_to_a_matching_suffix_and_only_while_the_budget_lasts() {
    let app = spawn_with_default_guess_budget().await;
    let key = app.new_provider("甲").await;
    app.submitted(&key, &single_person_filing()).await;
    for sent in 2..=3 {
        app.clock.advance(61_000);
        app.resend(ZHANG.1, ZHANG.3).await;
        app.wait_for_sms(ZHANG.1, sent).await;
    }
    app.clock.advance(61_000);
    assert_eq!(app.resend(ZHANG.1, ZHANG.3).await.1, json!({"outcome": "limit_reached"}));
    assert_eq!(app.resend(ZHANG.1, "999999").await.1, json!({"outcome": "requested"}));
    // A guesser spends the number's budget; from then on even the matching suffix reads the same.
    for i in 0..30 {
        app.resend(ZHANG.1, &format!("{:06}", 700_000 + i)).await;
    }
    assert_eq!(app.resend(ZHANG.1, ZHANG.3).await.1, json!({"outcome": "requested"}));
    app.stop().await;
}

#[tokio::test]
async fn attack_a_wrong_code_does_not_unmask_the_name() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let ouyang = ("欧阳娜娜", "13700137000", LI.2, LI.3);
    let mut filing = new_filing();
    filing["websites"][0]["principal"] = p(ouyang);
    app.submitted(&key, &filing).await;
    let zhang = app.latest_sms(ZHANG.1).await;
    let ouyang_sms = app.latest_sms(ouyang.1).await;

    let failed = app.check(wrong_code(&zhang.code), ZHANG.1, ZHANG.3).await;
    assert_eq!(failed, json!({"outcome": "wrong_code", "name": "张*", "tries_left": 2}));
    let failed = app.check(wrong_code(&ouyang_sms.code), ouyang.1, ouyang.3).await;
    assert_eq!(failed["name"], "欧阳**");
    let (_, landing) = app.get_as("", &format!("/api/v1/links/{}", token_of(&zhang.link))).await;
    assert_eq!(landing["name"], "张*");
    let text = serde_json::to_string(&landing).unwrap();
    assert!(!text.contains("张三"), "{text}");

    assert_eq!(app.check(&zhang.code, ZHANG.1, ZHANG.3).await, json!({"outcome": "partial", "name": "张三"}));
    app.stop().await;
}

#[tokio::test]
async fn attack_wrong_suffixes_through_a_forwarded_link_stop_the_link_not_the_filing() {
    let app = spawn_app().await;
    let key = app.new_provider("甲").await;
    let filing = app.submitted(&key, &single_person_filing()).await;
    let sms = app.latest_sms(ZHANG.1).await;
    let path = format!("/api/v1/links/{}/checks", token_of(&sms.link));

    let mut outcomes = Vec::new();
    for suffix in ["111111", "222222", "333333"] {
        outcomes.push(app.post(&path, &json!({"id_suffix": suffix})).await.1);
    }
    assert_eq!(
        outcomes,
        [
            json!({"outcome": "wrong_suffix", "tries_left": 2}),
            json!({"outcome": "wrong_suffix", "tries_left": 1}),
            json!({"outcome": "link_disabled"})
        ]
    );
    let view = app.filing(&key, filing["id"].as_str().unwrap()).await;
    assert_eq!(view["state"], "pending", "the filing was not returned");
    assert_eq!(view["verifications"][0]["attempts_used"], 0, "the code's tries are untouched");

    let (_, landing) = app.get_as("", &format!("/api/v1/links/{}", token_of(&sms.link))).await;
    assert_eq!(landing["state"], "link_disabled");
    let (status, body) = app.post(&path, &json!({"id_suffix": ZHANG.3})).await;
    assert_eq!((status, body), (200, json!({"outcome": "link_disabled"})), "the link stays stopped");
    assert_eq!(app.check(&sms.code, ZHANG.1, ZHANG.3).await["outcome"], "completed", "the form still works");
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_code_uses_a_try_only_on_the_newest_pending_request() {
    let app = spawn_app().await;
    let (first_key, second_key) = (app.new_provider("甲").await, app.new_provider("乙").await);
    let older = app.submitted(&first_key, &single_person_filing()).await;
    app.wait_for_sms(ZHANG.1, 1).await;
    app.clock.advance(1_000);
    let newer = app.submitted(&second_key, &single_person_filing()).await;
    let code = app.wait_for_sms(ZHANG.1, 2).await.code;

    app.check(wrong_code(&code), ZHANG.1, ZHANG.3).await;
    let attempts = |view: Value| view["verifications"][0]["attempts_used"].as_u64().unwrap();
    assert_eq!(attempts(app.filing(&second_key, newer["id"].as_str().unwrap()).await), 1);
    assert_eq!(attempts(app.filing(&first_key, older["id"].as_str().unwrap()).await), 0);
    app.stop().await;
}
