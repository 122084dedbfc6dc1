//! Scenario edits: the rules behind the web app's controls, which are also
//! the keys of a permalink (see [`crate::permalink`]). The app, its export
//! worker and `reuse-cli run --link` all change a preset through these
//! functions, so a link means the same scenario everywhere.
//!
//! A control's value is text (what a person typed, or what a link carries);
//! [`edit`] reads it and applies it to a scenario by the rules below, and
//! [`apply_controls`] does so for every control, then validates the result:
//!
//! - **RTT** (`rtt`, ms) sets `network.rtt_ms`.
//! - **Bandwidth** (`bw`, Mbit/s) sets the downlink; the uplink keeps the
//!   preset's ratio to the downlink, or equals it when the preset's downlink
//!   was unlimited; empty, `∞` or `inf` means both unlimited
//!   ([`set_bandwidth`]).
//! - **Loss** (`loss`) is in percent, 0 to 50 ([`set_loss_percent`]).
//! - **Objects** (`n`): the first request (the page) stays; a smaller count
//!   keeps the first objects, a larger one repeats them in order as `id#2`,
//!   `id#3` … ([`set_objects`]).
//! - **Object size** (`kb`, KB of 1000 bytes) sets every object but the page;
//!   empty keeps the preset's sizes ([`set_object_size_kb`]).
//! - **Initial window** (`iw`, segments), **Keep-alive timeout** (`ka`, ms),
//!   **Connections per host** (`cl`) and **Pipelining** (`pl`, `0` or `1`)
//!   set their field.
//! - **TLS** (`tls`: `none`, `tls1.2`, `tls1.3`): a version other than
//!   TLS 1.3 turns 0-RTT resumption into ticket resumption ([`set_tls`]).
//! - The **name and description** follow the request list ([`retitle`]).
//!
//! Pure: no I/O, no float printing (messages use [`crate::time::decimal`]).

use std::fmt;

use crate::scenario::{Resumption, Scenario, ScenarioError, TlsVersion};
use crate::time::decimal;

/// Upper bound on objects: keeps the app's page and its re-simulation quick.
pub const MAX_OBJECTS: usize = 500;

/// A control of the app; each is a key of the permalink format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Control {
    Rtt,
    Bandwidth,
    Loss,
    Objects,
    ObjectSize,
    InitialWindow,
    Tls,
    KeepAlive,
    ConnectionLimit,
    Pipelining,
}

impl Control {
    /// Every control, in the order a link writes them.
    pub const ALL: [Control; 10] = [
        Control::Rtt,
        Control::Bandwidth,
        Control::Loss,
        Control::Objects,
        Control::ObjectSize,
        Control::InitialWindow,
        Control::Tls,
        Control::KeepAlive,
        Control::ConnectionLimit,
        Control::Pipelining,
    ];

    /// The permalink key.
    pub fn key(self) -> &'static str {
        match self {
            Control::Rtt => "rtt",
            Control::Bandwidth => "bw",
            Control::Loss => "loss",
            Control::Objects => "n",
            Control::ObjectSize => "kb",
            Control::InitialWindow => "iw",
            Control::Tls => "tls",
            Control::KeepAlive => "ka",
            Control::ConnectionLimit => "cl",
            Control::Pipelining => "pl",
        }
    }

    /// The control's name for people; every message about it starts so.
    pub fn label(self) -> &'static str {
        match self {
            Control::Rtt => "RTT",
            Control::Bandwidth => "Bandwidth",
            Control::Loss => "Loss",
            Control::Objects => "Objects",
            Control::ObjectSize => "Object size",
            Control::InitialWindow => "Initial window",
            Control::Tls => "TLS",
            Control::KeepAlive => "Keep-alive timeout",
            Control::ConnectionLimit => "Connections per host",
            Control::Pipelining => "Pipelining",
        }
    }

    /// The unit its value is typed in (empty for none).
    pub fn unit(self) -> &'static str {
        match self {
            Control::Rtt | Control::KeepAlive => "ms",
            Control::Bandwidth => "Mbit/s",
            Control::Loss => "%",
            Control::ObjectSize => "KB",
            Control::InitialWindow => "segments",
            Control::Objects | Control::Tls | Control::ConnectionLimit | Control::Pipelining => "",
        }
    }

    /// The control that edits a scenario field (a dotted path as the
    /// engine's errors give it), if one does.
    pub fn for_scenario_path(path: &str) -> Option<Control> {
        let head = path.split('[').next().unwrap_or(path);
        match head {
            "network.rtt_ms" => Some(Control::Rtt),
            "network.downlink_mbps" | "network.uplink_mbps" => Some(Control::Bandwidth),
            "network.loss_rate" => Some(Control::Loss),
            "tcp.initial_cwnd_segments" => Some(Control::InitialWindow),
            "server.keep_alive_timeout_ms" => Some(Control::KeepAlive),
            "client.max_connections_per_host" => Some(Control::ConnectionLimit),
            "client.pipelining" => Some(Control::Pipelining),
            "requests" if path.ends_with("response_bytes") => Some(Control::ObjectSize),
            "requests" => Some(Control::Objects),
            _ if head.starts_with("tls.") => Some(Control::Tls),
            _ => None,
        }
    }

    /// The text this control shows for a scenario: what reading it back
    /// leaves unchanged. Object size is empty unless every object has the
    /// same size; Bandwidth is empty when unlimited.
    pub fn text_of(self, s: &Scenario) -> String {
        match self {
            Control::Rtt => decimal(s.network.rtt_ms),
            Control::Bandwidth => s.network.downlink_mbps.map(decimal).unwrap_or_default(),
            // Rounded to 1e-9 % so that 0.07 shows as 7, not 7.000000000000001.
            Control::Loss => decimal((s.network.loss_rate * 100.0 / 1e-9).round() * 1e-9),
            Control::Objects => objects(s).len().to_string(),
            Control::ObjectSize => {
                same_object_size(s).map(|b| decimal(b as f64 / 1000.0)).unwrap_or_default()
            }
            Control::InitialWindow => s.tcp.initial_cwnd_segments.to_string(),
            Control::Tls => s.tls.version.as_str().to_string(),
            Control::KeepAlive => decimal(s.server.keep_alive_timeout_ms),
            Control::ConnectionLimit => s.client.max_connections_per_host.to_string(),
            Control::Pipelining => if s.client.pipelining { "1" } else { "0" }.to_string(),
        }
    }
}

/// A bandwidth as the control reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bandwidth {
    /// Both directions unlimited (`null` in the scenario).
    Unlimited,
    /// The downlink, in Mbit/s.
    Mbps(f64),
}

/// A problem with a control's value (or, with no control, with the edited
/// scenario as a whole), in words for the person who typed it: the message
/// starts with the control's label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError {
    pub control: Option<Control>,
    pub message: String,
}

impl EditError {
    fn new(control: Control, message: impl Into<String>) -> Self {
        EditError { control: Some(control), message: message.into() }
    }

    /// A validation error of the edited scenario, at the control that edits
    /// its field when there is one.
    pub fn from_scenario_error(e: &ScenarioError) -> Self {
        match Control::for_scenario_path(&e.field) {
            Some(control) => EditError::new(control, [control.label(), " ", &e.reason].concat()),
            None => EditError { control: None, message: [e.field.as_str(), ": ", &e.reason].concat() },
        }
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads every control's text and applies it to `preset` ([`edit`], in
/// [`Control::ALL`] order), then [`retitle`]s and validates the result: the
/// scenario the app shows for a form or a link. `text` gives a control's
/// text, or `None` to keep the preset's value. On failure, every control's
/// problem in control order, or the edited scenario's first validation
/// error.
///
/// This is the one path from control values to a scenario: the app's form,
/// its permalinks, its export worker and `reuse-cli --link` all take it.
pub fn apply_controls<'t>(
    preset: &Scenario,
    text: impl Fn(Control) -> Option<&'t str>,
) -> Result<Scenario, Vec<EditError>> {
    let mut s = preset.clone();
    let mut errors = Vec::new();
    for control in Control::ALL {
        if let Some(text) = text(control) {
            if let Err(e) = edit(&mut s, control, text) {
                errors.push(e);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    retitle(preset, &mut s);
    s.validate().map_err(|e| vec![EditError::from_scenario_error(&e)])?;
    Ok(s)
}

/// [`apply_controls`] with the texts as a list; controls not in it keep the
/// preset's value.
pub fn apply_texts(preset: &Scenario, texts: &[(Control, &str)]) -> Result<Scenario, Vec<EditError>> {
    apply_controls(preset, |c| texts.iter().find(|(k, _)| *k == c).map(|(_, text)| *text))
}

/// Reads one control's text, as typed into the app or carried by a link,
/// and applies it to `s` by the control's rule (the `set_*` functions; RTT,
/// Initial window, Keep-alive timeout, Connections per host and Pipelining
/// set their field). Numbers accept a decimal comma and surrounding spaces;
/// they must be finite and not negative; counts must be whole. Every control
/// but Object size (empty = the preset's sizes) and Bandwidth (empty, `∞`,
/// `inf` = unlimited) needs a value; Pipelining is `1` or `0`.
pub fn edit(s: &mut Scenario, control: Control, text: &str) -> Result<(), EditError> {
    match control {
        Control::Rtt => s.network.rtt_ms = required(control, text)?,
        Control::Bandwidth => {
            let t = text.trim();
            let bandwidth = if t.is_empty() || t == "∞" || t.eq_ignore_ascii_case("inf") {
                Bandwidth::Unlimited
            } else {
                Bandwidth::Mbps(required(control, t)?)
            };
            set_bandwidth(s, bandwidth)?;
        }
        Control::Loss => set_loss_percent(s, required(control, text)?)?,
        Control::Objects => set_objects(s, whole(control, text)?)?,
        Control::ObjectSize => {
            if let Some(kb) = number(control, text)? {
                set_object_size_kb(s, kb)?;
            }
        }
        Control::InitialWindow => {
            s.tcp.initial_cwnd_segments = whole(control, text)?.min(u32::MAX as u64) as u32;
        }
        Control::KeepAlive => s.server.keep_alive_timeout_ms = required(control, text)?,
        Control::ConnectionLimit => {
            s.client.max_connections_per_host = whole(control, text)?.min(u32::MAX as u64) as u32;
        }
        Control::Tls => {
            let version = match text {
                "none" => TlsVersion::None,
                "tls1.2" => TlsVersion::Tls12,
                "tls1.3" => TlsVersion::Tls13,
                other => return Err(EditError::new(control, format!("TLS: unknown version \"{other}\""))),
            };
            set_tls(s, version);
        }
        Control::Pipelining => {
            s.client.pipelining = match text {
                "1" => true,
                "0" => false,
                other => {
                    return Err(EditError::new(
                        control,
                        format!("Pipelining must be 0 or 1 (got \"{other}\")"),
                    ))
                }
            };
        }
    }
    Ok(())
}

/// Bandwidth: `Mbps(d)` sets the downlink to `d` (above 0) and the uplink
/// to `d × uplink / downlink` of the scenario before the edit; when that
/// downlink was unlimited, the uplink becomes `d` too; when only the uplink
/// was unlimited, it stays so. `Unlimited` makes both unlimited.
pub fn set_bandwidth(s: &mut Scenario, bandwidth: Bandwidth) -> Result<(), EditError> {
    let down = match bandwidth {
        Bandwidth::Unlimited => {
            s.network.downlink_mbps = None;
            s.network.uplink_mbps = None;
            return Ok(());
        }
        Bandwidth::Mbps(down) => down,
    };
    if !down.is_finite() || down <= 0.0 {
        return Err(EditError::new(
            Control::Bandwidth,
            format!("Bandwidth must be above 0 Mbit/s, or empty for unlimited (got {})", decimal(down)),
        ));
    }
    s.network.uplink_mbps = match (s.network.downlink_mbps, s.network.uplink_mbps) {
        (Some(old), Some(up)) if old > 0.0 => Some(down * up / old),
        (Some(_), None) => None,
        (None, _) | (Some(_), Some(_)) => Some(down),
    };
    s.network.downlink_mbps = Some(down);
    Ok(())
}

/// Loss: `percent` from 0 to 50 sets `network.loss_rate` to `percent / 100`.
pub fn set_loss_percent(s: &mut Scenario, percent: f64) -> Result<(), EditError> {
    if !(0.0..=50.0).contains(&percent) {
        return Err(EditError::new(
            Control::Loss,
            format!("Loss must be between 0 and 50 % (got {})", decimal(percent)),
        ));
    }
    s.network.loss_rate = percent / 100.0;
    Ok(())
}

/// Objects: the first request (the page) stays and the objects after it
/// become `count` (at most [`MAX_OBJECTS`]). A smaller count keeps the first
/// `count` objects; a dependency on a dropped object falls back to the
/// page. A larger count repeats the objects in order, the k-th copy of `id`
/// named `id#k` (k from 2), with the same dependencies as the original.
/// A scenario with only the page has nothing to repeat and stays as it is.
pub fn set_objects(s: &mut Scenario, count: u64) -> Result<(), EditError> {
    if count > MAX_OBJECTS as u64 {
        return Err(EditError::new(
            Control::Objects,
            format!("Objects must be at most {MAX_OBJECTS} here (got {count})"),
        ));
    }
    let count = count as usize;
    if s.requests.len() <= 1 {
        return Ok(());
    }
    let originals = s.requests.split_off(1);
    let page_id = s.requests[0].id.clone();
    for k in 0..count {
        let template = &originals[k % originals.len()];
        let mut object = template.clone();
        let copy = k / originals.len();
        if copy > 0 {
            object.id = format!("{}#{}", template.id, copy + 1);
        }
        s.requests.push(object);
    }
    if count < originals.len() {
        let kept: Vec<String> = s.requests.iter().map(|r| r.id.clone()).collect();
        for r in s.requests.iter_mut().skip(1) {
            let before = r.after.len();
            r.after.retain(|id| kept.contains(id));
            if r.after.is_empty() && before > 0 {
                r.after.push(page_id.clone());
            }
        }
    }
    Ok(())
}

/// Object size: every object but the page gets `kb × 1000` bytes, rounded
/// to a whole byte, at least one.
pub fn set_object_size_kb(s: &mut Scenario, kb: f64) -> Result<(), EditError> {
    let bytes = (kb * 1000.0).round();
    if bytes.is_nan() || bytes < 1.0 {
        return Err(EditError::new(
            Control::ObjectSize,
            format!("Object size must be at least 0.001 KB (one byte) (got {})", decimal(kb)),
        ));
    }
    for object in s.requests.iter_mut().skip(1) {
        object.response_bytes = bytes as u64;
    }
    Ok(())
}

/// TLS: sets the version; 0-RTT resumption (early data) exists only in
/// TLS 1.3, so any other version turns it into ticket resumption.
pub fn set_tls(s: &mut Scenario, version: TlsVersion) {
    s.tls.version = version;
    if version != TlsVersion::Tls13 && s.tls.resumption == Resumption::EarlyData {
        s.tls.resumption = Resumption::Ticket;
    }
}

/// Name and description: while the request list has the preset's count
/// and sizes, both stay. Once Objects or Object size change them, the name
/// keeps the preset's topic (its text before the first `:`, or all of it)
/// and says what the page is now: the first request's id, `+ N objects`,
/// and `of S KB` when every object has the same size, e.g.
/// `Textbook page: index.html + 25 objects of 1 KB`. The description says
/// the scenario was edited from the preset (by name), then gives the
/// preset's own description as being about the preset.
pub fn retitle(preset: &Scenario, s: &mut Scenario) {
    // Objects and Object size change only the count and the sizes.
    let same = s.requests.len() == preset.requests.len()
        && s.requests.iter().zip(&preset.requests).all(|(a, b)| a.response_bytes == b.response_bytes);
    let Some(page) = s.requests.first().filter(|_| !same) else { return };
    let n = s.requests.len() - 1;
    let mut now =
        [page.id.as_str(), " + ", &n.to_string(), if n == 1 { " object" } else { " objects" }].concat();
    if let Some(bytes) = same_object_size(s) {
        now.push_str(" of ");
        now.push_str(&decimal(bytes as f64 / 1000.0));
        now.push_str(" KB");
    }
    let topic = preset.name.find(':').map_or(preset.name.as_str(), |i| &preset.name[..i]);
    s.name = [topic, if topic.is_empty() { "" } else { ": " }, &now].concat();
    let about = if preset.description.is_empty() { "”." } else { "”. About the preset: " };
    s.description = ["Edited from the preset “", &preset.name, about, &preset.description].concat();
}

/// The requests after the page.
fn objects(s: &Scenario) -> &[crate::RequestSpec] {
    &s.requests[1.min(s.requests.len())..]
}

/// The objects' size when there is at least one and all have the same.
fn same_object_size(s: &Scenario) -> Option<u64> {
    let objects = objects(s);
    let first = objects.first()?.response_bytes;
    objects.iter().all(|o| o.response_bytes == first).then_some(first)
}

/// A number, or `None` for an empty text.
fn number(control: Control, text: &str) -> Result<Option<f64>, EditError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match crate::time::parse_decimal(t) {
        Some(v) if v < 0.0 => {
            Err(EditError::new(control, format!("{} must not be negative (got {t})", control.label())))
        }
        Some(v) => Ok(Some(v)),
        _ => Err(EditError::new(
            control,
            format!("{} must be a number{} (got \"{t}\")", control.label(), in_unit(control)),
        )),
    }
}

fn required(control: Control, text: &str) -> Result<f64, EditError> {
    number(control, text)?.ok_or_else(|| {
        EditError::new(
            control,
            format!("{} is required: enter a number{}", control.label(), in_unit(control)),
        )
    })
}

fn whole(control: Control, text: &str) -> Result<u64, EditError> {
    let value = required(control, text)?;
    if value.fract() != 0.0 || value > 1e12 {
        return Err(EditError::new(
            control,
            format!("{} must be a whole number (got {})", control.label(), text.trim()),
        ));
    }
    Ok(value as u64)
}

/// `" in UNIT"` for a control's unit, when it has one.
fn in_unit(control: Control) -> &'static str {
    match control {
        Control::Rtt | Control::KeepAlive => " in ms",
        Control::Bandwidth => " in Mbit/s",
        Control::Loss => " in %",
        Control::ObjectSize => " in KB",
        Control::InitialWindow => " in segments",
        Control::Objects | Control::Tls | Control::ConnectionLimit | Control::Pipelining => "",
    }
}

#[cfg(test)]
mod tests;
