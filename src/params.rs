//! The control panel's fields: what the user typed, how it is read, and how
//! it changes the preset's scenario. Pure (no web types), tested natively.
//!
//! Every edit is applied on top of the chosen preset, in a way the panel
//! states next to the field:
//! - **Bandwidth** sets the downlink; the uplink keeps the preset's ratio to
//!   the downlink (or equals it when the preset's was unlimited). Empty or
//!   `∞` means unlimited.
//! - **Objects**: the first request (the page) stays; the others are the
//!   objects. A smaller count keeps the first N objects; a larger one repeats
//!   the objects in order, naming each copy `id#2`, `id#3`, ….
//! - **Object size** sets the response size of every object (not the page).
//!   Empty keeps the preset's sizes.
//! - **TLS**: choosing a version other than TLS 1.3 turns 0-RTT resumption
//!   into ticket resumption, since early data exists only in TLS 1.3.

use reuse_sim::scenario::{Resumption, TlsVersion};
use reuse_sim::time::decimal;
use reuse_sim::{Protocol, Scenario, ScenarioError};

/// Upper bound on objects: keeps the page's DOM and the re-simulation quick.
pub const MAX_OBJECTS: usize = 500;

/// The fields of the control panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Rtt,
    Bandwidth,
    Loss,
    ObjectCount,
    ObjectSize,
    InitialWindow,
    Tls,
    KeepAlive,
    ConnectionLimit,
    Pipelining,
    Protocols,
    /// A problem that belongs to no single field (shown above the views).
    General,
}

impl Field {
    /// The text fields, in panel order.
    pub const TEXT: [Field; 8] = [
        Field::Rtt,
        Field::Bandwidth,
        Field::Loss,
        Field::ObjectCount,
        Field::ObjectSize,
        Field::InitialWindow,
        Field::KeepAlive,
        Field::ConnectionLimit,
    ];

    /// A stable id, used for element ids and test hooks.
    pub fn id(self) -> &'static str {
        match self {
            Field::Rtt => "rtt",
            Field::Bandwidth => "bandwidth",
            Field::Loss => "loss",
            Field::ObjectCount => "objects",
            Field::ObjectSize => "object-size",
            Field::InitialWindow => "initial-window",
            Field::Tls => "tls",
            Field::KeepAlive => "keep-alive",
            Field::ConnectionLimit => "connection-limit",
            Field::Pipelining => "pipelining",
            Field::Protocols => "protocols",
            Field::General => "general",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Rtt => "RTT",
            Field::Bandwidth => "Bandwidth",
            Field::Loss => "Loss",
            Field::ObjectCount => "Objects",
            Field::ObjectSize => "Object size",
            Field::InitialWindow => "Initial window",
            Field::Tls => "TLS",
            Field::KeepAlive => "Keep-alive timeout",
            Field::ConnectionLimit => "Connections per host",
            Field::Pipelining => "Pipelining",
            Field::Protocols => "Protocols shown",
            Field::General => "Scenario",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Field::Rtt | Field::KeepAlive => "ms",
            Field::Bandwidth => "Mbit/s",
            Field::Loss => "%",
            Field::ObjectSize => "KB",
            Field::InitialWindow => "segments",
            _ => "",
        }
    }

    /// The scenario field (dotted path from the engine's errors) a control
    /// edits, so that an engine error lands at the right control.
    pub fn for_scenario_path(path: &str) -> Field {
        let head = path.split('[').next().unwrap_or(path);
        match head {
            "network.rtt_ms" => Field::Rtt,
            "network.downlink_mbps" | "network.uplink_mbps" => Field::Bandwidth,
            "network.loss_rate" => Field::Loss,
            "tcp.initial_cwnd_segments" => Field::InitialWindow,
            "server.keep_alive_timeout_ms" => Field::KeepAlive,
            "client.max_connections_per_host" => Field::ConnectionLimit,
            "requests" if path.ends_with("response_bytes") => Field::ObjectSize,
            "requests" => Field::ObjectCount,
            _ if head.starts_with("tls.") => Field::Tls,
            _ => Field::General,
        }
    }
}

/// What the user typed or chose, exactly (an error never loses it).
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub rtt: String,
    pub bandwidth: String,
    pub loss: String,
    pub object_count: String,
    pub object_size: String,
    pub initial_window: String,
    pub keep_alive: String,
    pub connection_limit: String,
    /// `"none"`, `"tls1.2"` or `"tls1.3"`.
    pub tls: String,
    pub pipelining: bool,
    /// Shown protocols, in `Protocol::OVER_TCP` order.
    pub protocols: [bool; 3],
}

impl Form {
    /// The form showing a preset's own values.
    pub fn from_scenario(s: &Scenario) -> Form {
        let objects = &s.requests[1.min(s.requests.len())..];
        let same_size = objects
            .first()
            .map(|o| o.response_bytes)
            .filter(|&first| objects.iter().all(|o| o.response_bytes == first));
        Form {
            rtt: number(s.network.rtt_ms),
            bandwidth: s.network.downlink_mbps.map(number).unwrap_or_default(),
            loss: number(round_to(s.network.loss_rate * 100.0, 1e-9)),
            object_count: objects.len().to_string(),
            object_size: same_size.map(|b| number(b as f64 / 1000.0)).unwrap_or_default(),
            initial_window: s.tcp.initial_cwnd_segments.to_string(),
            keep_alive: number(s.server.keep_alive_timeout_ms),
            connection_limit: s.client.max_connections_per_host.to_string(),
            tls: s.tls.version.as_str().to_string(),
            pipelining: s.client.pipelining,
            protocols: [true; 3],
        }
    }

    pub fn text(&self, field: Field) -> &str {
        match field {
            Field::Rtt => &self.rtt,
            Field::Bandwidth => &self.bandwidth,
            Field::Loss => &self.loss,
            Field::ObjectCount => &self.object_count,
            Field::ObjectSize => &self.object_size,
            Field::InitialWindow => &self.initial_window,
            Field::KeepAlive => &self.keep_alive,
            Field::ConnectionLimit => &self.connection_limit,
            Field::Tls => &self.tls,
            _ => "",
        }
    }

    pub fn set_text(&mut self, field: Field, value: String) {
        match field {
            Field::Rtt => self.rtt = value,
            Field::Bandwidth => self.bandwidth = value,
            Field::Loss => self.loss = value,
            Field::ObjectCount => self.object_count = value,
            Field::ObjectSize => self.object_size = value,
            Field::InitialWindow => self.initial_window = value,
            Field::KeepAlive => self.keep_alive = value,
            Field::ConnectionLimit => self.connection_limit = value,
            Field::Tls => self.tls = value,
            _ => {}
        }
    }

    pub fn shown_protocols(&self) -> Vec<Protocol> {
        Protocol::OVER_TCP.iter().zip(self.protocols).filter(|(_, on)| *on).map(|(p, _)| *p).collect()
    }
}

/// A problem with one field, in words for the person who typed it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    fn new(field: Field, message: impl Into<String>) -> Self {
        FieldError { field, message: message.into() }
    }

    /// An engine validation error, placed at the control that edits it.
    pub fn from_scenario_error(e: &ScenarioError) -> Self {
        let field = Field::for_scenario_path(&e.field);
        let message =
            if field == Field::General { e.to_string() } else { format!("{} {}", field.label(), e.reason) };
        FieldError { field, message }
    }
}

/// Reads the form against the preset's scenario: the scenario to simulate
/// and the protocols to show, or every field's problem.
pub fn apply(form: &Form, preset: &Scenario) -> Result<(Scenario, Vec<Protocol>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut s = preset.clone();

    if let Some(rtt) = read_number(&mut errors, Field::Rtt, &form.rtt, Required::Yes) {
        s.network.rtt_ms = rtt;
    }

    let bandwidth = form.bandwidth.trim();
    if bandwidth.is_empty() || bandwidth == "∞" || bandwidth.eq_ignore_ascii_case("inf") {
        s.network.downlink_mbps = None;
        s.network.uplink_mbps = None;
    } else if let Some(down) = read_number(&mut errors, Field::Bandwidth, bandwidth, Required::Yes) {
        if down <= 0.0 {
            errors.push(FieldError::new(
                Field::Bandwidth,
                format!("Bandwidth must be above 0 Mbit/s, or empty for unlimited (got {})", decimal(down)),
            ));
        } else {
            s.network.downlink_mbps = Some(down);
            s.network.uplink_mbps = uplink_for(preset, down);
        }
    }

    if let Some(loss) = read_number(&mut errors, Field::Loss, &form.loss, Required::Yes) {
        if !(0.0..=50.0).contains(&loss) {
            errors.push(FieldError::new(
                Field::Loss,
                format!("Loss must be between 0 and 50 % (got {})", decimal(loss)),
            ));
        } else {
            s.network.loss_rate = loss / 100.0;
        }
    }

    if let Some(count) = read_whole(&mut errors, Field::ObjectCount, &form.object_count) {
        if count > MAX_OBJECTS as u64 {
            errors.push(FieldError::new(
                Field::ObjectCount,
                format!("Objects must be at most {MAX_OBJECTS} here (got {count})"),
            ));
        } else {
            resize_objects(&mut s, count as usize);
        }
    }

    if let Some(kb) = read_number(&mut errors, Field::ObjectSize, &form.object_size, Required::No) {
        let bytes = (kb * 1000.0).round();
        if bytes < 1.0 {
            errors.push(FieldError::new(
                Field::ObjectSize,
                format!("Object size must be at least 0.001 KB (one byte) (got {})", decimal(kb)),
            ));
        } else {
            for object in s.requests.iter_mut().skip(1) {
                object.response_bytes = bytes as u64;
            }
        }
    }

    if let Some(segments) = read_whole(&mut errors, Field::InitialWindow, &form.initial_window) {
        s.tcp.initial_cwnd_segments = segments.min(u32::MAX as u64) as u32;
    }

    if let Some(ms) = read_number(&mut errors, Field::KeepAlive, &form.keep_alive, Required::Yes) {
        s.server.keep_alive_timeout_ms = ms;
    }

    if let Some(n) = read_whole(&mut errors, Field::ConnectionLimit, &form.connection_limit) {
        s.client.max_connections_per_host = n.min(u32::MAX as u64) as u32;
    }

    match form.tls.as_str() {
        "none" => s.tls.version = TlsVersion::None,
        "tls1.2" => s.tls.version = TlsVersion::Tls12,
        "tls1.3" => s.tls.version = TlsVersion::Tls13,
        other => errors.push(FieldError::new(Field::Tls, format!("TLS: unknown version {other:?}"))),
    }
    if s.tls.version != TlsVersion::Tls13 && s.tls.resumption == Resumption::EarlyData {
        s.tls.resumption = Resumption::Ticket;
    }

    s.client.pipelining = form.pipelining;

    let shown = form.shown_protocols();
    if shown.is_empty() {
        errors.push(FieldError::new(Field::Protocols, "Show at least one protocol"));
    }

    if errors.is_empty() {
        if let Err(e) = s.validate() {
            errors.push(FieldError::from_scenario_error(&e));
        }
    }
    if errors.is_empty() {
        Ok((s, shown))
    } else {
        Err(errors)
    }
}

/// The uplink for a new downlink: the preset's ratio when both were set,
/// symmetric when the preset's uplink followed an unlimited downlink.
pub fn uplink_for(preset: &Scenario, downlink_mbps: f64) -> Option<f64> {
    match (preset.network.downlink_mbps, preset.network.uplink_mbps) {
        (Some(down), Some(up)) if down > 0.0 => Some(downlink_mbps * up / down),
        (Some(_), None) => None,
        (None, _) | (Some(_), Some(_)) => Some(downlink_mbps),
    }
}

/// Keeps the first request (the page) and resizes the objects after it to
/// `count`, as the module documentation describes.
pub fn resize_objects(s: &mut Scenario, count: usize) {
    if s.requests.is_empty() {
        return;
    }
    let originals: Vec<_> = s.requests[1..].to_vec();
    let page_id = s.requests[0].id.clone();
    s.requests.truncate(1);
    if originals.is_empty() {
        return;
    }
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
        // Dependencies on dropped objects fall back to the page.
        let kept: Vec<String> = s.requests.iter().map(|r| r.id.clone()).collect();
        for r in s.requests.iter_mut().skip(1) {
            let before = r.after.len();
            r.after.retain(|id| kept.contains(id));
            if r.after.is_empty() && before > 0 {
                r.after.push(page_id.clone());
            }
        }
    }
}

#[derive(PartialEq)]
enum Required {
    Yes,
    No,
}

fn read_number(errors: &mut Vec<FieldError>, field: Field, text: &str, required: Required) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        if required == Required::Yes {
            errors.push(FieldError::new(
                field,
                format!("{} is required: enter a number{}", field.label(), unit_suffix(field)),
            ));
        }
        return None;
    }
    match t.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => {
            if v < 0.0 {
                errors.push(FieldError::new(
                    field,
                    format!("{} must not be negative (got {t})", field.label()),
                ));
                return None;
            }
            Some(v)
        }
        _ => {
            errors.push(FieldError::new(
                field,
                format!("{} must be a number{} (got {t:?})", field.label(), unit_suffix(field)),
            ));
            None
        }
    }
}

fn read_whole(errors: &mut Vec<FieldError>, field: Field, text: &str) -> Option<u64> {
    let value = read_number(errors, field, text, Required::Yes)?;
    if value.fract() != 0.0 || value > 1e12 {
        errors.push(FieldError::new(
            field,
            format!("{} must be a whole number (got {})", field.label(), text.trim()),
        ));
        return None;
    }
    Some(value as u64)
}

fn unit_suffix(field: Field) -> String {
    match field.unit() {
        "" => String::new(),
        "%" => " in %".into(),
        unit => format!(" in {unit}"),
    }
}

/// A number as a person would type it: no trailing `.0`.
fn number(v: f64) -> String {
    decimal(v)
}

fn round_to(v: f64, quantum: f64) -> f64 {
    (v / quantum).round() * quantum
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::RequestSpec;

    fn page(objects: usize) -> Scenario {
        let mut requests = vec![RequestSpec::new("index.html", 10_000)];
        for i in 1..=objects {
            requests.push(RequestSpec::new(format!("img{i}.png"), 5_000).after(&["index.html"]));
        }
        Scenario::new("test page", 100.0, requests)
    }

    #[test]
    fn the_untouched_form_gives_back_the_preset() {
        let preset = page(10);
        let form = Form::from_scenario(&preset);
        let (s, shown) = apply(&form, &preset).expect("preset values are valid");
        assert_eq!(s, preset);
        assert_eq!(shown, Protocol::OVER_TCP.to_vec());
    }

    #[test]
    fn rtt_edits_the_network_and_bad_rtt_names_the_field() {
        let preset = page(2);
        let mut form = Form::from_scenario(&preset);
        form.rtt = "250".into();
        assert_eq!(apply(&form, &preset).unwrap().0.network.rtt_ms, 250.0);
        for bad in ["", "  ", "-5", "abc"] {
            form.rtt = bad.into();
            let errors = apply(&form, &preset).unwrap_err();
            assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
            assert_eq!(errors[0].field, Field::Rtt);
            assert!(errors[0].message.starts_with("RTT"), "{}", errors[0].message);
        }
    }

    #[test]
    fn every_bad_field_is_reported_not_just_the_first() {
        let preset = page(2);
        let mut form = Form::from_scenario(&preset);
        form.rtt = "-1".into();
        form.loss = "80".into();
        form.object_count = "2.5".into();
        let fields: Vec<Field> = apply(&form, &preset).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Rtt, Field::Loss, Field::ObjectCount]);
    }

    #[test]
    fn engine_range_errors_land_at_the_control() {
        let preset = page(2);
        let mut form = Form::from_scenario(&preset);
        form.connection_limit = "0".into();
        let errors = apply(&form, &preset).unwrap_err();
        assert_eq!(errors[0].field, Field::ConnectionLimit);
        assert!(errors[0].message.contains("between 1 and 64"), "{}", errors[0].message);
        assert_eq!(Field::for_scenario_path("requests[3].response_bytes"), Field::ObjectSize);
        assert_eq!(Field::for_scenario_path("tls.resumption"), Field::Tls);
        assert_eq!(Field::for_scenario_path("seed"), Field::General);
    }

    #[test]
    fn loss_is_typed_in_percent() {
        let preset = page(1);
        let mut form = Form::from_scenario(&preset);
        form.loss = "2".into();
        assert_eq!(apply(&form, &preset).unwrap().0.network.loss_rate, 0.02);
    }

    #[test]
    fn bandwidth_keeps_the_uplink_ratio_or_is_symmetric_or_unlimited() {
        let mut preset = page(1);
        preset.network.downlink_mbps = Some(20.0);
        preset.network.uplink_mbps = Some(5.0);
        let mut form = Form::from_scenario(&preset);
        assert_eq!(form.bandwidth, "20");
        form.bandwidth = "8".into();
        let s = apply(&form, &preset).unwrap().0;
        assert_eq!((s.network.downlink_mbps, s.network.uplink_mbps), (Some(8.0), Some(2.0)));
        form.bandwidth = "∞".into();
        let s = apply(&form, &preset).unwrap().0;
        assert_eq!((s.network.downlink_mbps, s.network.uplink_mbps), (None, None));
        let unlimited = page(1);
        let mut form = Form::from_scenario(&unlimited);
        assert_eq!(form.bandwidth, "");
        form.bandwidth = "10".into();
        let s = apply(&form, &unlimited).unwrap().0;
        assert_eq!((s.network.downlink_mbps, s.network.uplink_mbps), (Some(10.0), Some(10.0)));
        form.bandwidth = "0".into();
        assert_eq!(apply(&form, &unlimited).unwrap_err()[0].field, Field::Bandwidth);
    }

    #[test]
    fn object_count_shrinks_and_grows_the_dependent_objects() {
        let preset = page(3);
        let mut form = Form::from_scenario(&preset);
        form.object_count = "7".into();
        let s = apply(&form, &preset).unwrap().0;
        let ids: Vec<&str> = s.requests.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "index.html",
                "img1.png",
                "img2.png",
                "img3.png",
                "img1.png#2",
                "img2.png#2",
                "img3.png#2",
                "img1.png#3"
            ]
        );
        assert!(s.requests[1..].iter().all(|r| r.after == ["index.html"]));
        form.object_count = "1".into();
        let s = apply(&form, &preset).unwrap().0;
        assert_eq!(s.requests.len(), 2);
        form.object_count = "0".into();
        assert_eq!(apply(&form, &preset).unwrap().0.requests.len(), 1);
        form.object_count = (MAX_OBJECTS + 1).to_string();
        assert_eq!(apply(&form, &preset).unwrap_err()[0].field, Field::ObjectCount);
    }

    #[test]
    fn dropping_an_object_moves_its_dependents_onto_the_page() {
        let mut preset = page(2);
        preset.requests.push(RequestSpec::new("late.js", 100).after(&["img2.png"]));
        let mut s = preset.clone();
        resize_objects(&mut s, 1);
        assert_eq!(s.requests.len(), 2);
        // Keep 3 objects: img1, img2, late.js → late.js still waits for img2.
        let mut s = preset.clone();
        resize_objects(&mut s, 3);
        assert_eq!(s.requests[3].after, ["img2.png"]);
        // Keep 2 of the 3 then grow: copies of late.js wait for img2 (present).
        let mut s = preset;
        s.requests.swap(1, 3); // late.js first, waiting for img2.png
        resize_objects(&mut s, 1);
        assert_eq!(s.requests[1].after, ["index.html"]);
        s.validate().expect("the resized page is still valid");
    }

    #[test]
    fn object_size_sets_every_object_but_not_the_page() {
        let preset = page(3);
        let mut form = Form::from_scenario(&preset);
        assert_eq!(form.object_size, "5");
        form.object_size = "12.5".into();
        let s = apply(&form, &preset).unwrap().0;
        assert_eq!(s.requests[0].response_bytes, 10_000);
        assert!(s.requests[1..].iter().all(|r| r.response_bytes == 12_500));
        form.object_size = "".into();
        assert_eq!(apply(&form, &preset).unwrap().0, preset);
    }

    #[test]
    fn tls_choice_downgrades_early_data_outside_tls13() {
        let mut preset = page(1);
        preset.tls.version = TlsVersion::Tls13;
        preset.tls.resumption = Resumption::EarlyData;
        let mut form = Form::from_scenario(&preset);
        form.tls = "tls1.2".into();
        let s = apply(&form, &preset).unwrap().0;
        assert_eq!((s.tls.version, s.tls.resumption), (TlsVersion::Tls12, Resumption::Ticket));
    }

    #[test]
    fn at_least_one_protocol_is_shown() {
        let preset = page(1);
        let mut form = Form::from_scenario(&preset);
        form.protocols = [false, true, false];
        assert_eq!(apply(&form, &preset).unwrap().1, vec![Protocol::Http11]);
        form.protocols = [false; 3];
        assert_eq!(apply(&form, &preset).unwrap_err()[0].field, Field::Protocols);
    }
}
