//! An SMS gateway that takes requests and never answers: a replica sending to it holds its
//! claimed SMS until it is killed, the way one dies mid-send. It records which SMS (the
//! `Idempotency-Key`, the outbox row's id) it was handed, and when.

use std::sync::{Arc, Mutex};

use time::OffsetDateTime;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

#[derive(Clone, Default)]
pub struct StuckGateway {
    handed: Arc<Mutex<Vec<(String, OffsetDateTime)>>>,
}

impl StuckGateway {
    /// Listens on 127.0.0.1; returns the gateway and its URL for `BEIAN_SMS_GATEWAY`.
    pub async fn start() -> (StuckGateway, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/sms", listener.local_addr().unwrap());
        let gateway = StuckGateway::default();
        let handed = gateway.handed.clone();
        tokio::spawn(async move {
            while let Ok((mut connection, _)) = listener.accept().await {
                let handed = handed.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buffer = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match connection.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buffer[..n]),
                        }
                    }
                    if let Some(id) = idempotency_key(&String::from_utf8_lossy(&head)) {
                        handed.lock().unwrap().push((id, OffsetDateTime::now_utc()));
                    }
                    // Never answer; hold the connection until the sender goes away.
                    while !matches!(connection.read(&mut buffer).await, Ok(0) | Err(_)) {}
                });
            }
        });
        (gateway, url)
    }

    /// The SMS handed over so far, and when.
    pub fn handed(&self) -> Vec<(String, OffsetDateTime)> {
        self.handed.lock().unwrap().clone()
    }
}

fn idempotency_key(head: &str) -> Option<String> {
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("idempotency-key").then(|| value.trim().to_string())
    })
}
