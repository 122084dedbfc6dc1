//! Lessons: predict, then play. A lesson is a short list of steps, each a
//! scenario (a permalink), a question asked before anything is drawn, the
//! moments the player stops at, and a paragraph that explains the result
//! with the run's own numbers. Lessons are data, one JSON file each
//! (`lessons/*.json` at the repository root; the format is below), so a
//! teacher can copy one and edit it; `reuse-cli lesson FILE` checks a file
//! and prints every step's answer.
//!
//! ```json
//! { "id": "handshake", "title": "The cost of a handshake",
//!   "steps": [ {
//!     "link": "?v=1&p=textbook&cl=1&show=10",
//!     "question": "How many round trips until HTTP/1.0 has the page?",
//!     "answer": { "kind": "number", "protocol": "1.0", "metric": "page_load_ms", "unit": "rtt" },
//!     "pause_at": ["connection_opened"],
//!     "explain": "Two round trips per object: {10:page_load_ms/rtt} RTT, {10:page_load_ms}." } ] }
//! ```
//!
//! - `answer.kind` `first`: which of the step's shown protocols loads the
//!   page first (the choices are the link's `show=` list);
//!   `number`: a total of one protocol's run ([`TOTAL_METRICS`]' keys),
//!   in round trips with `"unit": "rtt"`.
//! - `pause_at`: [`PauseAt`] keys; the player stops at the first such
//!   event of each shown protocol.
//! - `explain` (and `question`) may quote a run's totals: `{P:KEY}` is the
//!   total `KEY` of protocol `P` (`10`, `11`, `2`, `3`), `{P:KEY/rtt}` the
//!   same in round trips. The answer is never written in the file: the
//!   engine computes it, so an edited scenario keeps its lesson right.

use serde::Deserialize;

use crate::permalink::{protocol_code, scenario_of};
use crate::result::{RunResult, TotalMetric, TOTAL_METRICS};
use crate::scenario::{Protocol, Scenario};
use crate::time::decimal;
use crate::trace::PauseAt;

/// Why a lesson file cannot be used: the field and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    /// `steps[2].answer.metric`, or `lesson` for the file as a whole.
    pub field: String,
    pub reason: String,
}

impl LessonError {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        LessonError { field: field.into(), reason: reason.into() }
    }
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// A lesson as its file says it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    /// One line under the title (optional).
    #[serde(default)]
    pub summary: String,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A Reuse Lab permalink (its query): the scenario and the protocols shown.
    pub link: String,
    pub question: String,
    pub answer: Answer,
    #[serde(default, deserialize_with = "pause_keys")]
    pub pause_at: Vec<PauseAt>,
    pub explain: String,
}

/// What the reader predicts.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Answer {
    /// Which shown protocol has the whole page first.
    First,
    /// A total of one protocol's run, in its own unit or in round trips.
    Number {
        #[serde(deserialize_with = "protocol_name")]
        protocol: Protocol,
        metric: String,
        #[serde(default)]
        unit: Unit,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// The metric's own (ms, or a count).
    #[default]
    Own,
    /// Round trips: a time divided by the scenario's RTT.
    Rtt,
}

fn pause_keys<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<PauseAt>, D::Error> {
    let keys = Vec::<String>::deserialize(d)?;
    keys.iter()
        .map(|k| {
            PauseAt::parse(k).ok_or_else(|| {
                let known: Vec<&str> = PauseAt::ALL.iter().map(|p| p.key()).collect();
                serde::de::Error::custom(format!("unknown moment \"{k}\" (use {})", known.join(", ")))
            })
        })
        .collect()
}

fn protocol_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Protocol, D::Error> {
    let text = String::deserialize(d)?;
    Protocol::parse(&text).map_err(|e| serde::de::Error::custom(e.reason))
}

fn metric(key: &str) -> Option<&'static TotalMetric> {
    TOTAL_METRICS.iter().find(|m| m.key == key)
}

/// What the engine says the answer is, and how to hear the reader's.
#[derive(Clone, Debug, PartialEq)]
pub enum Truth {
    /// The protocols that load the page first (more than one on a tie),
    /// and every shown protocol's page load, in the link's order.
    First {
        winners: Vec<Protocol>,
        loads: Vec<(Protocol, f64)>,
    },
    Number {
        value: f64,
        unit: NumberUnit,
        protocol: Protocol,
        label: &'static str,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberUnit {
    Ms,
    Count,
    Rtt,
}

impl Truth {
    /// Whether the reader's reply is right: a protocol code or label for
    /// `first`; for a number, a count exactly, round trips to half a round
    /// trip, a time to 10 %.
    pub fn accepts(&self, reply: &str) -> Result<bool, String> {
        match self {
            Truth::First { winners, .. } => {
                // A link's code ("11", as the app's choices send it) or any spelling ("HTTP/1.1").
                let p = Protocol::ALL
                    .into_iter()
                    .find(|&p| protocol_code(p) == reply.trim())
                    .map_or_else(|| Protocol::parse(reply), Ok)
                    .map_err(|_| "pick one of the protocols".to_string())?;
                Ok(winners.contains(&p))
            }
            Truth::Number { value, unit, .. } => {
                let typed = reply.trim().replace([',', '\u{202f}', ' '], "");
                let typed = typed.trim_end_matches("ms").trim_end_matches("RTT").trim_end_matches("rtt");
                let n: f64 = typed.parse().map_err(|_| "type a number".to_string())?;
                if !n.is_finite() {
                    return Err("type a number".into());
                }
                Ok(match unit {
                    NumberUnit::Count => (n - value).abs() < 0.5,
                    NumberUnit::Rtt => (n - value).abs() <= 0.5,
                    NumberUnit::Ms => (n - value).abs() <= 0.1 * value.abs(),
                })
            }
        }
    }

    /// The answer in words: "HTTP/1.0: 22 round trips (2200 ms)".
    pub fn says(&self, rtt_ms: f64) -> String {
        match self {
            Truth::First { winners, loads } => {
                let names: Vec<&str> = winners.iter().map(|p| p.label()).collect();
                let all: Vec<String> =
                    loads.iter().map(|(p, ms)| format!("{} {}", p.label(), ms_text(*ms))).collect();
                let verb = if winners.len() > 1 { "finish together" } else { "finishes first" };
                format!("{} {verb} (page load: {}).", names.join(" and "), all.join(", "))
            }
            Truth::Number { value, unit, protocol, label } => match unit {
                NumberUnit::Rtt => format!(
                    "{}: {} round trips ({} at RTT {}).",
                    protocol.label(),
                    round_trips(*value),
                    ms_text(value * rtt_ms),
                    ms_text(rtt_ms)
                ),
                NumberUnit::Ms => format!("{}: {} {}.", protocol.label(), lower(label), ms_text(*value)),
                NumberUnit::Count => format!("{}: {} {}.", protocol.label(), lower(label), decimal(*value)),
            },
        }
    }
}

fn lower(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// A time to a tenth of a millisecond, as the totals show it ("1237.8 ms").
fn ms_text(ms: f64) -> String {
    format!("{} ms", decimal((ms * 10.0).round() / 10.0))
}

/// Round trips to a tenth ("22", "2.5").
fn round_trips(n: f64) -> String {
    decimal((n * 10.0).round() / 10.0)
}

/// The lessons that ship with Reuse Lab, in teaching order: the files of
/// `lessons/` (their order here is the list's order in the app).
pub const BUILTIN: [&str; 7] = [
    include_str!("../../../lessons/handshake.json"),
    include_str!("../../../lessons/tls-and-quic.json"),
    include_str!("../../../lessons/connection-limit.json"),
    include_str!("../../../lessons/pipelining.json"),
    include_str!("../../../lessons/multiplexing-loss.json"),
    include_str!("../../../lessons/congestion-control.json"),
    include_str!("../../../lessons/keepalive-timeout.json"),
];

/// The built-in lesson with this id.
pub fn builtin(id: &str) -> Option<Lesson> {
    BUILTIN.iter().filter_map(|text| Lesson::from_json(text).ok()).find(|l| l.id == id)
}

/// Every built-in lesson's id and title, in order.
pub fn builtin_titles() -> Vec<(String, String)> {
    BUILTIN.iter().filter_map(|text| Lesson::from_json(text).ok()).map(|l| (l.id, l.title)).collect()
}

impl Lesson {
    /// Reads a lesson file and checks what can be checked without running
    /// it: fields, metrics, and that every step's link opens.
    pub fn from_json(text: &str) -> Result<Lesson, LessonError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let lesson: Lesson = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            LessonError::new(if path == "." { "lesson".into() } else { path }, e.into_inner().to_string())
        })?;
        if lesson.id.is_empty() || !lesson.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(LessonError::new("id", "letters, digits and - only, not empty"));
        }
        if lesson.steps.is_empty() {
            return Err(LessonError::new("steps", "a lesson needs at least one step"));
        }
        for (i, step) in lesson.steps.iter().enumerate() {
            let at = |f: &str| format!("steps[{i}].{f}");
            let (_, shown) =
                scenario_of(&step.link).map_err(|e| LessonError::new(at("link"), e.to_string()))?;
            match &step.answer {
                Answer::First if shown.len() < 2 => {
                    return Err(LessonError::new(
                        at("answer"),
                        "\"first\" needs two protocols or more in the link's show=",
                    ));
                }
                Answer::First => {}
                Answer::Number { protocol, metric: key, unit } => {
                    let m = metric(key).ok_or_else(|| {
                        let keys: Vec<&str> = TOTAL_METRICS.iter().map(|m| m.key).collect();
                        LessonError::new(
                            at("answer.metric"),
                            format!("unknown total \"{key}\" (use {})", keys.join(", ")),
                        )
                    })?;
                    if !shown.contains(protocol) {
                        return Err(LessonError::new(
                            at("answer.protocol"),
                            "not among the link's shown protocols",
                        ));
                    }
                    if *unit == Unit::Rtt && !m.ms {
                        return Err(LessonError::new(
                            at("answer.unit"),
                            "round trips need a time (a key ending in _ms)",
                        ));
                    }
                }
            }
            for (field, text) in [("question", &step.question), ("explain", &step.explain)] {
                for placeholder in placeholders(text) {
                    let (p, _, _) = parse_placeholder(placeholder)
                        .map_err(|reason| LessonError::new(at(field), reason))?;
                    if !shown.contains(&p) {
                        let reason = format!(
                            "{{{placeholder}}}: {} is not among the link's shown protocols",
                            p.label()
                        );
                        return Err(LessonError::new(at(field), reason));
                    }
                }
            }
        }
        Ok(lesson)
    }
}

impl Step {
    /// The step's scenario and shown protocols.
    pub fn scenario(&self) -> Result<(Scenario, Vec<Protocol>), LessonError> {
        scenario_of(&self.link).map_err(|e| LessonError::new("link", e.to_string()))
    }

    /// Runs the step's scenario under each shown protocol (for the command
    /// line and tests; the app answers from the runs it draws).
    pub fn simulate(&self) -> Result<(Scenario, Vec<(Protocol, crate::SimOutput)>), LessonError> {
        let (scenario, shown) = self.scenario()?;
        let outputs = crate::simulate_each(&scenario, &shown, crate::Limits::default())
            .map_err(|e| LessonError::new("link", e.to_string()))?;
        Ok((scenario, shown.into_iter().zip(outputs).collect()))
    }

    /// The answer, from the runs of the shown protocols.
    pub fn truth(&self, scenario: &Scenario, runs: &[(Protocol, &RunResult)]) -> Result<Truth, LessonError> {
        match &self.answer {
            Answer::First => {
                let loads: Vec<(Protocol, f64)> = runs.iter().map(|(p, r)| (*p, r.page_load_ms)).collect();
                let best = loads.iter().map(|(_, ms)| *ms).fold(f64::INFINITY, f64::min);
                // Equal to the engine's nanosecond clock.
                let winners =
                    loads.iter().filter(|(_, ms)| (ms - best).abs() < 1e-6).map(|(p, _)| *p).collect();
                Ok(Truth::First { winners, loads })
            }
            Answer::Number { protocol, metric: key, unit } => {
                let m = metric(key).ok_or_else(|| LessonError::new("answer.metric", "unknown total"))?;
                let r = run_of(runs, *protocol)?;
                let value = (m.value)(r);
                let (value, unit) = match (unit, m.ms) {
                    (Unit::Rtt, _) => (value / scenario.network.rtt_ms, NumberUnit::Rtt),
                    (Unit::Own, true) => (value, NumberUnit::Ms),
                    (Unit::Own, false) => (value, NumberUnit::Count),
                };
                Ok(Truth::Number { value, unit, protocol: *protocol, label: m.label })
            }
        }
    }

    /// `text` with every `{P:KEY}` replaced by the run's figure.
    pub fn fill(
        text: &str,
        scenario: &Scenario,
        runs: &[(Protocol, &RunResult)],
    ) -> Result<String, LessonError> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(len) = rest[open..].find('}') else { break };
            out.push_str(&rest[..open]);
            let inner = &rest[open + 1..open + len];
            let (protocol, m, unit) = parse_placeholder(inner).map_err(|r| LessonError::new("explain", r))?;
            let value = (m.value)(run_of(runs, protocol)?);
            out.push_str(&match (unit, m.ms) {
                (Unit::Rtt, _) => round_trips(value / scenario.network.rtt_ms),
                (Unit::Own, true) => ms_text(value),
                (Unit::Own, false) => decimal(value),
            });
            rest = &rest[open + len + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

fn run_of<'r>(runs: &[(Protocol, &'r RunResult)], p: Protocol) -> Result<&'r RunResult, LessonError> {
    runs.iter()
        .find(|(q, _)| *q == p)
        .map(|(_, r)| *r)
        .ok_or_else(|| LessonError::new("link", format!("{} is not shown", p.label())))
}

fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(inner, _)| inner))
}

/// `11:page_load_ms/rtt` → (HTTP/1.1, the metric, round trips).
fn parse_placeholder(inner: &str) -> Result<(Protocol, &'static TotalMetric, Unit), String> {
    let (code, key) =
        inner.split_once(':').ok_or_else(|| format!("{{{inner}}}: write {{PROTOCOL:TOTAL}}"))?;
    let protocol = Protocol::ALL
        .into_iter()
        .find(|&p| protocol_code(p) == code)
        .ok_or_else(|| format!("{{{inner}}}: unknown protocol \"{code}\" (use 10, 11, 2 or 3)"))?;
    let (key, unit) = match key.strip_suffix("/rtt") {
        Some(key) => (key, Unit::Rtt),
        None => (key, Unit::Own),
    };
    let m = metric(key).ok_or_else(|| format!("{{{inner}}}: unknown total \"{key}\""))?;
    if unit == Unit::Rtt && !m.ms {
        return Err(format!("{{{inner}}}: round trips need a time"));
    }
    Ok((protocol, m, unit))
}

#[cfg(test)]
mod tests;
