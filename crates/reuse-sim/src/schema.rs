//! JSON Schema (draft 2020-12) of the scenario format, for editors and
//! `reuse-cli schema`.

pub const SCENARIO_SCHEMA: &str = include_str!("scenario.schema.json");
