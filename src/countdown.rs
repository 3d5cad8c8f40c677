//! Seconds left until something: the wait after a 429, the time a short link stays valid.

use gloo_timers::future::TimeoutFuture;
use leptos::{prelude::*, task::spawn_local_scoped_with_cancellation};

/// A reactive count of whole seconds down to zero.
///
/// It counts against the clock rather than the number of ticks, because browsers slow timers down
/// in background tabs and a person coming back must see the true wait.
#[derive(Debug, Clone, Copy)]
pub struct Countdown {
    left: RwSignal<u64>,
    /// Bumped by each [`Countdown::start`], so an older loop notices it was replaced and stops.
    run: StoredValue<u32>,
}

impl Default for Countdown {
    fn default() -> Self {
        Countdown::new()
    }
}

impl Countdown {
    /// A countdown at zero (not running).
    pub fn new() -> Countdown {
        Countdown { left: RwSignal::new(0), run: StoredValue::new(0) }
    }

    /// Starts (or restarts) counting down from `seconds`. The loop ends with the owning component.
    pub fn start(self, seconds: u64) {
        let run = self.run.get_value().wrapping_add(1);
        self.run.set_value(run);
        self.left.set(seconds);
        let deadline = js_sys::Date::now() + seconds as f64 * 1000.0;
        spawn_local_scoped_with_cancellation(async move {
            while self.left.get_untracked() > 0 {
                TimeoutFuture::new(250).await;
                if self.run.try_get_value() != Some(run) {
                    return;
                }
                let left = ((deadline - js_sys::Date::now()) / 1000.0).ceil().max(0.0) as u64;
                if left != self.left.get_untracked() {
                    self.left.set(left);
                }
            }
        });
    }

    /// Seconds left (tracked: a view reading it updates every second).
    pub fn left(self) -> u64 {
        self.left.get()
    }

    /// Whether the count has not reached zero yet (tracked).
    pub fn running(self) -> bool {
        self.left.get() > 0
    }

    /// The same as [`Countdown::running`], without subscribing, for event handlers.
    pub fn running_untracked(self) -> bool {
        self.left.get_untracked() > 0
    }
}
