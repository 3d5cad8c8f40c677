//! The table `cargo xtask test` ends with, and its closing `N passed, N failed` line.

use crate::counts::Counts;
use std::time::Duration;

pub enum Outcome {
    Ok,
    Failed,
    /// Not run: a step it needs failed, or what it needs is not on this machine (the log says).
    Skipped,
}

pub struct Step {
    pub name: &'static str,
    pub outcome: Outcome,
    pub tests: Option<Counts>,
    pub took: Duration,
}

/// Print the table and the closing line; true if no step failed.
pub fn print(steps: &[Step]) -> bool {
    let width = steps.iter().map(|s| s.name.len()).max().unwrap_or(4).max(4);
    println!();
    println!("{:<width$}  {:<7}  {:>6}  {:>6}  {:>8}", "step", "result", "passed", "failed", "time");
    let mut total = Counts::default();
    let mut all_ok = true;
    for step in steps {
        let result = match step.outcome {
            Outcome::Ok => "ok",
            Outcome::Failed => "FAILED",
            Outcome::Skipped => "skipped",
        };
        // A step skipped after a failure adds nothing (that failure counts); one skipped because
        // the machine lacks what it needs (said in the log) does not fail the run.
        all_ok &= !matches!(step.outcome, Outcome::Failed);
        let (passed, failed) = match step.tests {
            Some(counts) => {
                total += counts;
                (counts.passed.to_string(), counts.failed.to_string())
            }
            None => ("-".into(), "-".into()),
        };
        let secs = format!("{:.1} s", step.took.as_secs_f64());
        println!("{:<width$}  {result:<7}  {passed:>6}  {failed:>6}  {secs:>8}", step.name);
    }
    println!();
    println!("{} passed, {} failed", total.passed, total.failed);
    all_ok
}
