//! What the replica tests share: a database per test, replica processes, their phones, and a
//! cluster of three that a test talks to.

pub mod cluster;
pub mod database;
pub mod people;
pub mod phones;
pub mod replica;
pub mod stuck_gateway;

pub use cluster::Cluster;
