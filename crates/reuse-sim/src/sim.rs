//! The simulation.
use crate::result::SimOutput;
use crate::scenario::{Scenario, ScenarioError};
use std::fmt;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_events: u64,
    pub max_time_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_events: 20_000_000, max_time_ms: 4 * 3_600_000 }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    Scenario(ScenarioError),
    EventLimit { limit: u64, at_ms: f64 },
    TimeLimit { limit_ms: u64 },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Scenario(e) => e.fmt(f),
            SimError::EventLimit { limit, at_ms } => write!(f, "simulation: stopped after {limit} events at {at_ms} ms of simulated time; the scenario is too large or never settles"),
            SimError::TimeLimit { limit_ms } => write!(f, "simulation: simulated time passed {limit_ms} ms before the page loaded"),
        }
    }
}
impl std::error::Error for SimError {}
impl From<ScenarioError> for SimError {
    fn from(e: ScenarioError) -> Self { SimError::Scenario(e) }
}

pub fn simulate(scenario: &Scenario) -> Result<SimOutput, SimError> {
    simulate_with_limits(scenario, Limits::default())
}

pub fn simulate_with_limits(scenario: &Scenario, _limits: Limits) -> Result<SimOutput, SimError> {
    scenario.validate()?;
    todo!("engine in progress")
}
