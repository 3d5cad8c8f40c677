//! One flow for the three forms (code, short link, resend): parse what was typed, refuse on the
//! fields, send once, wait after a 429, recheck a refused field as it is corrected, and keep the
//! answer. The forms differ only in their fields, their parser and their call.

use std::{future::Future, pin::Pin};

use leptos::{prelude::*, task::spawn_local_scoped_with_cancellation};
use protocol::{CheckOutcome, FieldError, ResendOutcome};

use crate::{api::ApiError, FormState};

/// A request on its way: the call to the server, not started until awaited.
pub type Sending = Pin<Box<dyn Future<Output = Result<Reply, ApiError>>>>;

/// Parses what the form holds now into a request on its way, or the refused fields.
type Prepare = Box<dyn Fn() -> Result<Sending, Vec<FieldError>>>;

/// What the server answered a form with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Check(CheckOutcome),
    Resend(ResendOutcome),
}

/// A form's state and its one submit flow. `Copy`: handlers and views take it by value.
#[derive(Clone, Copy)]
pub struct FormController {
    /// Refused fields, the summary and the wait after a 429.
    pub state: FormState,
    pending: RwSignal<bool>,
    reply: RwSignal<Option<Result<Reply, ApiError>>>,
    prepare: StoredValue<Prepare, LocalStorage>,
    /// The component that made the form: a call still under way when it goes is dropped with it.
    owner: StoredValue<Option<Owner>, LocalStorage>,
}

impl FormController {
    /// A form whose `prepare` parses the typed values (untracked) and builds the call.
    pub fn new(prepare: impl Fn() -> Result<Sending, Vec<FieldError>> + 'static) -> FormController {
        FormController {
            state: FormState::new(),
            pending: RwSignal::new(false),
            reply: RwSignal::new(None),
            prepare: StoredValue::new_local(Box::new(prepare)),
            owner: StoredValue::new_local(Owner::current()),
        }
    }

    /// Sends what was typed if it parses (and nothing is under way or being waited out);
    /// otherwise shows the refusals on the fields and in a fresh summary.
    pub fn submit(self) {
        if self.pending.get_untracked() || self.state.wait.running_untracked() {
            return;
        }
        match self.prepare.with_value(|prepare| prepare()) {
            Err(errors) => self.state.refuse(errors),
            Ok(sending) => {
                self.state.accept();
                self.pending.set(true);
                let run = move || {
                    spawn_local_scoped_with_cancellation(async move {
                        let result = sending.await;
                        self.state.absorb(&result);
                        self.reply.set(Some(result));
                        self.pending.set(false);
                    })
                };
                match self.owner.get_value() {
                    Some(owner) => owner.with(run),
                    None => run(),
                }
            }
        }
    }

    /// After a refused submit, each edit re-checks, so a fixed field loses its error at once.
    pub fn recheck(self) {
        if self.state.has_refusals() {
            let errors = self.prepare.with_value(|prepare| prepare()).err().unwrap_or_default();
            self.state.revise(errors);
        }
    }

    /// Whether a request is under way (tracked).
    pub fn pending(self) -> Signal<bool> {
        self.pending.into()
    }

    /// Reads the last answer (tracked); `None` before the first one.
    pub fn with_reply<R>(self, read: impl FnOnce(Option<&Result<Reply, ApiError>>) -> R) -> R {
        self.reply.with(|reply| read(reply.as_ref()))
    }
}
