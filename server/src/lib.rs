//! beian-verify's server: the REST API, the verification rules, storage, SMS and background jobs.

pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod secrets;
pub mod service;
pub mod sms;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod webhook;

pub use config::Settings;
pub use startup::Application;
