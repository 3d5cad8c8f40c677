//! The sliding-window counter (the weighted sum of the previous and current fixed windows): a
//! quota that refills smoothly instead of all at once at the top of a window, so nobody is told
//! to wait until midnight, and a burst across a window boundary still counts in full.

use crate::clock::Millis;

/// One quota's counts at the moment of asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCounts {
    /// Length of a window.
    pub window: Millis,
    /// What was taken in the previous fixed window, and in the current one so far.
    pub previous: u64,
    pub current: u64,
    /// How far into the current window we are (0 ≤ elapsed < window).
    pub elapsed: Millis,
}

/// Whether `wanted` more fit under `limit`; if not, the milliseconds until they would (assuming
/// nothing else is taken meanwhile).
pub fn admit(counts: WindowCounts, limit: u64, wanted: u64) -> Result<(), Millis> {
    let WindowCounts { window, previous, current, elapsed } = counts;
    let (window_u, elapsed_u) = (window.max(1) as u128, elapsed.clamp(0, window) as u128);
    // previous × (window − elapsed) / window + current + wanted ≤ limit, in integers (×window).
    let used = previous as u128 * (window_u - elapsed_u) + (current as u128 + wanted as u128) * window_u;
    if used <= limit as u128 * window_u {
        return Ok(());
    }
    if wanted > limit {
        return Err(2 * window);
    }
    let left_in_window = window - elapsed.clamp(0, window);
    if current + wanted > limit {
        // Only in the next window, once `current` (then the previous) has decayed enough:
        // current × (window − e) / window ≤ limit − wanted.
        let e = decay_point(current, limit - wanted, window);
        return Err(left_in_window + e);
    }
    // In this window, once `previous` has decayed: previous × (window − e) / window ≤ limit − current − wanted.
    let e = decay_point(previous, limit - current - wanted, window);
    Err((e - elapsed).max(1))
}

/// The least elapsed time `e` at which count × (window − e) / window ≤ room.
fn decay_point(count: u64, room: u64, window: Millis) -> Millis {
    if count <= room {
        return 0;
    }
    let w = window as u128;
    // e ≥ window × (count − room) / count, rounded up.
    let e = (w * (count - room) as u128).div_ceil(count as u128);
    e.min(w) as Millis
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Millis = 60_000;

    fn counts(previous: u64, current: u64, elapsed: Millis) -> WindowCounts {
        WindowCounts { window: MINUTE, previous, current, elapsed }
    }

    #[test]
    fn under_the_limit_is_admitted_and_the_limit_itself_is_reachable() {
        assert_eq!(admit(counts(0, 0, 0), 10, 1), Ok(()));
        assert_eq!(admit(counts(0, 9, 30_000), 10, 1), Ok(()));
        assert_eq!(admit(counts(0, 0, 0), 10, 10), Ok(()));
    }

    #[test]
    fn a_full_current_window_waits_for_the_next_one_to_decay_it() {
        // 10 of 10 taken, halfway through: 30 s to the boundary, then 6 s for 10 × (1 − e/60) ≤ 9.
        assert_eq!(admit(counts(0, 10, 30_000), 10, 1), Err(30_000 + 6_000));
    }

    #[test]
    fn the_previous_window_counts_in_proportion_to_what_is_left_of_it() {
        // 10 last minute, 15 s in: 10 × 0.75 = 7.5 taken; 2 more fit, 3 do not.
        assert_eq!(admit(counts(10, 0, 15_000), 10, 2), Ok(()));
        // 7.5 + 3 > 10 until 10 × (1 − e/60) ≤ 7, e = 18 s: 3 s from now.
        assert_eq!(admit(counts(10, 0, 15_000), 10, 3), Err(3_000));
    }

    #[test]
    fn a_burst_across_the_boundary_is_not_a_double_allowance() {
        // 10 in the last second of the previous window, then 10 at the start of this one: refused.
        assert!(admit(counts(10, 0, 1), 10, 10).is_err());
    }

    #[test]
    fn asking_for_more_than_the_limit_at_once_is_never_admitted() {
        assert_eq!(admit(counts(0, 0, 0), 10, 11), Err(2 * MINUTE));
    }

    #[test]
    fn the_wait_is_always_positive_and_within_two_windows() {
        for previous in 0..15 {
            for current in 0..15 {
                for elapsed in [0, 1, 29_999, 59_999] {
                    if let Err(wait) = admit(counts(previous, current, elapsed), 10, 1) {
                        assert!((1..=2 * MINUTE).contains(&wait), "{previous} {current} {elapsed}: {wait}");
                        // And after that wait it fits.
                        let at = elapsed + wait;
                        let later = match at / MINUTE {
                            0 => counts(previous, current, at),
                            1 => counts(current, 0, at - MINUTE),
                            _ => counts(0, 0, at % MINUTE),
                        };
                        assert_eq!(admit(later, 10, 1), Ok(()), "{previous} {current} {elapsed} + {wait}");
                    }
                }
            }
        }
    }
}
