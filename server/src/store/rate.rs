//! Abuse limits in the database, so every replica enforces the same ones: GCRA cells (the
//! generic cell rate algorithm). There are no windows, so nobody is told to wait for the top of
//! an hour, and one row per key is all it stores.
//!
//! GCRA lets a burst of `b` through and then one every `T`, so any stretch of time `W` holds at
//! most `b + W / T` uses. "At most `count` in any `period`" therefore takes half the count as the
//! burst and spreads the other half over the period.

use super::script::Script;
use super::script_row::{read_all, script_row};
use super::{Store, StoreResult};
use crate::clock::Millis;

/// At most `count` uses of `key` in any `period_millis`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub key: String,
    pub count: u32,
    pub period_millis: Millis,
}

impl RateLimit {
    /// Uses allowed at once.
    fn burst(&self) -> Millis {
        let count = Millis::from(self.count.max(1));
        count - count / 2
    }

    /// The time each use adds to the key's theoretical arrival time: the rest of the count spread
    /// over the period, rounded up so a period never holds one more.
    fn interval(&self) -> Millis {
        let spread = Millis::from(self.count) / 2;
        match spread {
            0 => self.period_millis + 1,
            spread => self.period_millis / spread + 1,
        }
    }

    /// How far ahead of now the arrival time may run.
    fn capacity(&self) -> Millis {
        self.burst() * self.interval()
    }

    /// Milliseconds until one more use fits, given the stored arrival time (0: it fits now).
    fn wait(&self, tat: Option<Millis>, now: Millis) -> Millis {
        let next = tat.unwrap_or(now).max(now) + self.interval();
        (next - self.capacity() - now).max(0)
    }
}

impl Store {
    /// Uses one of each limit, all or none, in one transaction; `Err(millis)` says how long until
    /// all of them would allow it.
    pub async fn take(&self, limits: &[RateLimit], now: Millis) -> StoreResult<Result<(), Millis>> {
        let mut tx = self.begin_direct_write().await?;
        let mut script = Script::default();
        push_take_cells(&mut script, limits, now);
        if tx.run(&mut script).await?.len() < limits.len() {
            drop(tx);
            return Ok(Err(self.longest_wait(limits, now).await?));
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Whether one more use of every limit would fit now, without using it.
    pub async fn peek(&self, limits: &[RateLimit], now: Millis) -> StoreResult<Result<(), Millis>> {
        match self.longest_wait(limits, now).await? {
            0 => Ok(Ok(())),
            wait => Ok(Err(wait)),
        }
    }

    pub(super) async fn longest_wait(&self, limits: &[RateLimit], now: Millis) -> StoreResult<Millis> {
        let mut script = Script::default();
        for limit in limits {
            script.push("SELECT key, tat FROM rate_limits WHERE key = $1", vec![limit.key.as_str().into()]);
        }
        let stored: Vec<CellRow> = read_all(&self.read(script).await?)?;
        let tat = |key: &str| stored.iter().find(|row| row.key == key).map(|row| row.tat);
        Ok(limits.iter().map(|limit| limit.wait(tat(&limit.key), now)).max().unwrap_or(0))
    }

    /// Drops the keys that limit nothing any more (their arrival time has passed).
    pub async fn forget_spent_limits(&self, now: Millis) -> StoreResult<u64> {
        let done = self.write_one(sqlx::query("DELETE FROM rate_limits WHERE tat < $1").bind(now)).await?;
        Ok(done.rows_affected())
    }
}

script_row! {
    /// A limit's cell: its key's theoretical arrival time.
    struct CellRow {
        key: String,
        tat: Millis,
    }
}

/// Adds moving each limit's cell forward to a script: each upsert returns a row only if its key
/// stays within its limit (so fewer rows than limits: one is full, and the caller rolls back).
/// Each upsert locks the key's row, so concurrent callers on any replica can never overshoot.
pub(super) fn push_take_cells(script: &mut Script, limits: &[RateLimit], now: Millis) {
    for limit in limits {
        script.push(
            "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3) \
             ON CONFLICT (key) DO UPDATE \
             SET tat = (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3 \
             WHERE (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3 - $2 <= $4 \
             RETURNING tat",
            vec![limit.key.as_str().into(), now.into(), limit.interval().into(), limit.capacity().into()],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::RateLimit;
    use crate::clock::Millis;

    const HOUR: Millis = 3_600_000;

    fn limit(count: u32) -> RateLimit {
        RateLimit { key: "k".into(), count, period_millis: HOUR }
    }

    /// Replays `attempts` (times in ms) against the limit the way the store does; returns the
    /// times that got through.
    fn allowed(limit: &RateLimit, attempts: impl IntoIterator<Item = Millis>) -> Vec<Millis> {
        let mut tat = None;
        let mut through = Vec::new();
        for now in attempts {
            if limit.wait(tat, now) == 0 {
                tat = Some(tat.unwrap_or(now).max(now) + limit.interval());
                through.push(now);
            }
        }
        through
    }

    #[test]
    fn half_the_count_goes_through_at_once() {
        assert_eq!(allowed(&limit(10), std::iter::repeat_n(0, 30)).len(), 5);
        assert_eq!(allowed(&limit(3), std::iter::repeat_n(0, 30)).len(), 2);
        assert_eq!(allowed(&limit(1), std::iter::repeat_n(0, 30)).len(), 1);
    }

    #[test]
    fn no_period_ever_holds_more_than_the_count_however_the_attempts_come() {
        for count in [1, 2, 3, 10, 20, 30] {
            let limit = limit(count);
            // An attempt every second for ten hours.
            let through = allowed(&limit, (0..36_000).map(|s| s * 1_000));
            for (i, start) in through.iter().enumerate() {
                let in_period = through[i..].iter().take_while(|t| **t < start + HOUR).count();
                assert!(in_period <= count as usize, "count {count}: {in_period} in the hour from {start}");
            }
            // And the limit is not much stricter than it says: over ten hours, about count each.
            assert!(through.len() as u32 >= count / 2 * 10, "count {count}: only {}", through.len());
        }
    }

    #[test]
    fn a_full_key_frees_one_use_after_an_interval_not_at_the_top_of_the_hour() {
        let limit = limit(10);
        let through = allowed(&limit, (0..3_600).map(|s| s * 1_000));
        assert_eq!(through[..5], [0, 1_000, 2_000, 3_000, 4_000]);
        // Then one every 12 minutes (and a millisecond), tried once a second.
        assert_eq!(through[5..8], [721_000, 1_441_000, 2_161_000]);
    }
}
