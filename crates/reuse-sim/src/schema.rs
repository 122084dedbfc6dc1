//! JSON Schema (draft 2020-12) of the scenario format, for editors and
//! `reuse-cli schema`.
//!
//! The schema is hand-written for its descriptions; the crate's tests hold it
//! to the [`Scenario`](crate::Scenario) struct (same fields, defaults, ranges
//! and enums as `Scenario::validate`), so the two cannot drift apart. Two
//! rules it cannot state: request ids are unique and `after` has no cycle;
//! `tcp.rwnd_bytes` is at least `network.mss_bytes`.

/// The schema's JSON text.
pub const SCENARIO_SCHEMA: &str = include_str!("scenario.schema.json");
