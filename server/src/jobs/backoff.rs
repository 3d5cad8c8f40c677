//! Retry delays for outbound calls: exponential, capped, with jitter so replicas spread out.

use rand::Rng;

use crate::clock::Millis;

/// Gives up after this many attempts.
pub const MAX_ATTEMPTS: u32 = 10;

/// Delay before attempt `attempts + 1`: 2 s, 4 s, 8 s … capped at 10 minutes, ±20 %.
pub fn delay_after(attempts: u32) -> Millis {
    let base: Millis = 2_000i64.saturating_mul(1i64 << attempts.saturating_sub(1).min(20)).min(600_000);
    let jitter = rand::thread_rng().gen_range(-(base / 5)..=base / 5);
    base + jitter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let first = delay_after(1);
        assert!((1_600..=2_400).contains(&first), "{first}");
        assert!(delay_after(30) <= 720_000);
        assert!(delay_after(5) > delay_after(1));
    }
}
