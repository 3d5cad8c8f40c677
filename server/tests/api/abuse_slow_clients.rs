//! Item 8 of issue 8: connections held open by slow clients are closed, and a flood of them waits
//! for free slots instead of being served all at once.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_with, TestApp};

/// Slack for a loaded machine on top of a deadline.
const MARGIN: Duration = Duration::from_millis(1500);

async fn slow_app() -> TestApp {
    spawn_with(|s| {
        s.server.header_read_timeout_secs = 1;
        s.server.body_timeout_secs = 1;
        s.server.request_timeout_secs = 3;
    })
    .await
}

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.app.as_ref().unwrap().address()).await.unwrap()
}

/// Reads until the server closes the connection (or `give_up` passes); what it sent and when
/// it closed, counted from `since`.
async fn read_until_closed(stream: &mut TcpStream, since: Instant, give_up: Duration) -> (String, Option<Duration>) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout_at((since + give_up).into(), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&received).into(), Some(since.elapsed())),
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => return (String::from_utf8_lossy(&received).into(), None),
        }
    }
}

#[tokio::test]
async fn attack_slow_headers_connection_is_closed() {
    let app = slow_app().await;
    let mut stream = connect(&app).await;
    let started = Instant::now();
    stream.write_all(b"POST /api/v1/checks HTTP/1.1\r\nHost: beian.example.cn\r\nContent-Type: appl").await.unwrap();

    let (_, closed) = read_until_closed(&mut stream, started, Duration::from_secs(10)).await;

    let closed = closed.expect("the server closed a connection whose headers never ended");
    assert!(closed < Duration::from_secs(1) + MARGIN, "closed after {closed:?}");
    app.stop().await;
}

#[tokio::test]
async fn attack_silent_connection_is_closed() {
    let app = slow_app().await;
    let mut stream = connect(&app).await;
    let (_, closed) = read_until_closed(&mut stream, Instant::now(), Duration::from_secs(10)).await;
    let closed = closed.expect("the server closed a connection that never sent a byte");
    assert!(closed < Duration::from_secs(1) + MARGIN, "closed after {closed:?}");
    app.stop().await;
}

#[tokio::test]
async fn attack_slow_body_is_answered_408_and_the_connection_closed() {
    let app = slow_app().await;
    let mut stream = connect(&app).await;
    let head = "POST /api/v1/checks HTTP/1.1\r\nHost: beian.example.cn\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\n\r\n{\"code\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();

    let (answer, closed) = read_until_closed(&mut stream, started, Duration::from_secs(10)).await;

    let closed = closed.expect("the server closed a connection whose body stopped");
    assert!(closed < Duration::from_secs(1) + MARGIN, "closed after {closed:?}");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json") && answer.contains("request_timeout"), "{answer}");
    app.stop().await;
}

#[tokio::test]
async fn attack_body_trickled_byte_by_byte_is_cut_off_by_the_request_deadline() {
    let app = slow_app().await;
    let mut stream = connect(&app).await;
    let head = "POST /api/v1/checks HTTP/1.1\r\nHost: beian.example.cn\r\nContent-Type: application/json\r\n\
                Content-Length: 1000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    // A byte every 400 ms never trips the 1 s pause deadline; the 3 s request deadline ends it.
    let (mut reader, mut writer) = stream.into_split();
    let trickle = tokio::spawn(async move {
        for _ in 0..50 {
            if writer.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), reader.read_to_end(&mut answer)).await;
    trickle.abort();

    assert!(read.is_ok(), "the server closed the trickling connection");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(3) + MARGIN, "closed after {elapsed:?}");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 408"), "{}", String::from_utf8_lossy(&answer));
    app.stop().await;
}

#[tokio::test]
async fn attack_connection_flood_over_the_cap_waits_and_normal_requests_work_once_slots_free() {
    let app = spawn_with(|s| {
        s.server.header_read_timeout_secs = 1;
        s.server.max_connections = 2;
    })
    .await;
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut stream = connect(&app).await;
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: beian.example.cn\r\n").await.unwrap();
        slow.push(stream);
    }
    let started = Instant::now();
    let closing: Vec<_> = slow
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move { read_until_closed(&mut stream, started, Duration::from_secs(10)).await.1 })
        })
        .collect();

    let answered = app.client.get(app.url("/healthz")).send().await.unwrap();
    let healthz_after = started.elapsed();

    assert_eq!(answered.status(), 200);
    // Two slow connections at a time, each held for the 1 s header deadline: the fifth connection
    // is served only after two rounds.
    assert!(healthz_after >= Duration::from_millis(1800), "answered after {healthz_after:?}: not held back");
    let mut closed: Vec<Duration> = Vec::new();
    for handle in closing {
        closed.push(handle.await.unwrap().expect("every slow connection is closed"));
    }
    closed.sort();
    assert!(closed[1] < Duration::from_secs(1) + MARGIN, "the first two: {closed:?}");
    assert!(closed[2] >= Duration::from_millis(1800), "the last two waited for slots: {closed:?}");
    app.stop().await;
}
