//! The verification rules an operator may tune and the abuse limits: how long a code lives, tries,
//! resends, wrong guesses, SMS quotas, key rotation, and the provinces' rollout.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Verification rules and limits")]
pub struct LimitSettings {
    /// How long a code and its link stay valid.
    #[arg(long, env = "BEIAN_CODE_VALIDITY_SECS", default_value_t = 24 * 3600)]
    pub code_validity_secs: u64,

    /// Wrong codes allowed per verification; the last one returns the request.
    #[arg(long, env = "BEIAN_MAX_ATTEMPTS", default_value_t = 3)]
    pub max_attempts: u32,

    /// Resends a person may ask for per verification (MIIT practice: 2).
    #[arg(long, env = "BEIAN_MAX_RESENDS", default_value_t = 2)]
    pub max_resends: u32,

    /// Minimum time between two SMS for one verification.
    #[arg(long, env = "BEIAN_RESEND_INTERVAL_SECS", default_value_t = 60)]
    pub resend_interval_secs: u64,

    /// Wrong phone-number + ID-suffix guesses allowed per phone number per hour, shared by the
    /// form, short links and resends. Past it, only answers that would be wrong are refused: a
    /// right code, or a link with the right suffix, always goes through. With ~10^4–10^5 likely
    /// suffixes per person, 10 an hour and 20 a day keep guessing hopeless.
    #[arg(long, env = "BEIAN_WRONG_GUESSES_PER_PHONE_PER_HOUR", default_value_t = 10)]
    pub wrong_guesses_per_phone_per_hour: u32,

    /// The same budget per day.
    #[arg(long, env = "BEIAN_WRONG_GUESSES_PER_PHONE_PER_DAY", default_value_t = 20)]
    pub wrong_guesses_per_phone_per_day: u32,

    /// Wrong ID suffixes typed through one short link before the link stops working (the code
    /// still works on the form). They use none of the code's tries.
    #[arg(long, env = "BEIAN_WRONG_SUFFIXES_PER_LINK", default_value_t = 3)]
    pub wrong_suffixes_per_link: u32,

    /// Per client address (IPv6: per /64) per minute: checks that would be wrong, and resends.
    #[arg(long, env = "BEIAN_CHECKS_PER_CLIENT_PER_MINUTE", default_value_t = 30)]
    pub checks_per_client_per_minute: u32,

    /// SMS one access provider may cause per minute (submits and its resends), sliding window.
    /// Sized well above a real provider's peak so only a stolen key pumping SMS meets it.
    #[arg(long, env = "BEIAN_SMS_PER_PROVIDER_PER_MINUTE", default_value_t = 600)]
    pub sms_per_provider_per_minute: u32,

    /// SMS one access provider may cause per day (sliding 24 hours).
    #[arg(long, env = "BEIAN_SMS_PER_PROVIDER_PER_DAY", default_value_t = 50_000)]
    pub sms_per_provider_per_day: u32,

    /// SMS one phone number may receive per day (sliding 24 hours) across all providers, resends
    /// included. A person on a few filings with two resends each stays well below 10.
    #[arg(long, env = "BEIAN_SMS_PER_PHONE_PER_DAY", default_value_t = 10)]
    pub sms_per_phone_per_day: u32,

    /// After `POST /api/v1/keys/rotate` (or `rotate-key`), how long the previous key still works,
    /// so a provider can roll the new one out without an outage.
    #[arg(long, env = "BEIAN_KEY_ROTATION_OVERLAP_SECS", default_value_t = 24 * 3600)]
    pub key_rotation_overlap_secs: u64,

    /// The SMS-verification rollout by province (`code short name authority sms_from [site]` per
    /// line, all 31 provinces); default: the built-in table (the 2018 pilot FAQ's dates).
    #[arg(long, env = "BEIAN_PROVINCES_FILE")]
    pub provinces_file: Option<PathBuf>,
}

impl LimitSettings {
    pub fn code_validity(&self) -> Duration {
        Duration::from_secs(self.code_validity_secs)
    }

    pub fn resend_interval(&self) -> Duration {
        Duration::from_secs(self.resend_interval_secs)
    }
}
