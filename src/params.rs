//! The control panel's fields: what the user typed, and where a problem with
//! it shows. Pure (no web types), tested natively.
//!
//! How each control changes the preset's scenario is the engine's
//! (`reuse_sim::edits`, one rule per control, shared with permalinks, the
//! export worker and `reuse-cli run --link`); the panel states the rule
//! next to each field:
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

use reuse_sim::edits::{apply_controls, Control, EditError};
use reuse_sim::{Protocol, Scenario, ScenarioError};

/// Upper bound on objects (the engine's rule).
pub use reuse_sim::edits::MAX_OBJECTS;

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

    /// The engine's control behind this field, if it edits the scenario.
    pub fn control(self) -> Option<Control> {
        match self {
            Field::Rtt => Some(Control::Rtt),
            Field::Bandwidth => Some(Control::Bandwidth),
            Field::Loss => Some(Control::Loss),
            Field::ObjectCount => Some(Control::Objects),
            Field::ObjectSize => Some(Control::ObjectSize),
            Field::InitialWindow => Some(Control::InitialWindow),
            Field::Tls => Some(Control::Tls),
            Field::KeepAlive => Some(Control::KeepAlive),
            Field::ConnectionLimit => Some(Control::ConnectionLimit),
            Field::Pipelining => Some(Control::Pipelining),
            Field::Protocols | Field::General => None,
        }
    }

    /// The field of an engine control.
    pub fn of_control(control: Control) -> Field {
        match control {
            Control::Rtt => Field::Rtt,
            Control::Bandwidth => Field::Bandwidth,
            Control::Loss => Field::Loss,
            Control::Objects => Field::ObjectCount,
            Control::ObjectSize => Field::ObjectSize,
            Control::InitialWindow => Field::InitialWindow,
            Control::Tls => Field::Tls,
            Control::KeepAlive => Field::KeepAlive,
            Control::ConnectionLimit => Field::ConnectionLimit,
            Control::Pipelining => Field::Pipelining,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Protocols => "Protocols shown",
            Field::General => "Scenario",
            other => other.control().map_or("", Control::label),
        }
    }

    pub fn unit(self) -> &'static str {
        self.control().map_or("", Control::unit)
    }

    /// The scenario field (dotted path from the engine's errors) a control
    /// edits, so that an engine error lands at the right control.
    pub fn for_scenario_path(path: &str) -> Field {
        Control::for_scenario_path(path).map_or(Field::General, Field::of_control)
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
    /// Shown protocols, in `Protocol::ALL` order (HTTP/3 last).
    pub protocols: [bool; 4],
    /// The congestion controller (`cc=` in a link; the full build's).
    #[cfg(feature = "cubic")]
    pub congestion: reuse_sim::scenario::CongestionControl,
    /// RACK-TLP on or off (`rack=0` in a link; the full build's).
    #[cfg(feature = "cubic")]
    pub rack_tlp: bool,
}

impl Form {
    /// The form showing a scenario's own values.
    pub fn from_scenario(s: &Scenario) -> Form {
        let text = |c: Control| c.text_of(s);
        Form {
            rtt: text(Control::Rtt),
            bandwidth: text(Control::Bandwidth),
            loss: text(Control::Loss),
            object_count: text(Control::Objects),
            object_size: text(Control::ObjectSize),
            initial_window: text(Control::InitialWindow),
            keep_alive: text(Control::KeepAlive),
            connection_limit: text(Control::ConnectionLimit),
            tls: text(Control::Tls),
            pipelining: s.client.pipelining,
            protocols: TCP_SHOWN,
            #[cfg(feature = "cubic")]
            congestion: s.tcp.congestion_control,
            #[cfg(feature = "cubic")]
            rack_tlp: s.tcp.rack_tlp,
        }
    }

    pub fn text(&self, field: Field) -> &str {
        field.control().map_or("", |c| self.control_text(c))
    }

    /// A control's value as text (Pipelining: `1` or `0`), as a link writes it.
    pub fn control_text(&self, control: Control) -> &str {
        match control {
            Control::Rtt => &self.rtt,
            Control::Bandwidth => &self.bandwidth,
            Control::Loss => &self.loss,
            Control::Objects => &self.object_count,
            Control::ObjectSize => &self.object_size,
            Control::InitialWindow => &self.initial_window,
            Control::KeepAlive => &self.keep_alive,
            Control::ConnectionLimit => &self.connection_limit,
            Control::Tls => &self.tls,
            Control::Pipelining => {
                if self.pipelining {
                    "1"
                } else {
                    "0"
                }
            }
        }
    }

    /// Every control's text, in the engine's control order.
    pub fn texts(&self) -> [(Control, &str); Control::ALL.len()] {
        Control::ALL.map(|c| (c, self.control_text(c)))
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
            Field::Pipelining => self.pipelining = value == "1",
            Field::Protocols | Field::General => {}
        }
    }

    pub fn shown_protocols(&self) -> Vec<Protocol> {
        Protocol::ALL.iter().zip(self.protocols).filter(|(_, on)| *on).map(|(p, _)| *p).collect()
    }
}

/// What the app shows unless a link or the reader says otherwise: the three
/// versions over TCP (the first-load build simulates them without QUIC).
pub const TCP_SHOWN: [bool; 4] = [true, true, true, false];

/// Presets whose lesson is HTTP/3: they open with HTTP/2 and HTTP/3 shown
/// (an app-side default; the loader in Trunk.toml starts the HTTP/3 build
/// for them, `full_build::link_needs_full_build`).
pub const H3_LESSONS: [&str; 1] = ["head-of-line"];

/// The protocols `preset_id` shows by default.
pub fn default_shown(preset_id: &str) -> [bool; 4] {
    if H3_LESSONS.contains(&preset_id) {
        [false, false, true, true]
    } else {
        TCP_SHOWN
    }
}

/// A problem with one field, in words for the person who typed it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

impl FieldError {
    /// An engine edit error, at its control's field.
    pub fn from_edit_error(e: EditError) -> Self {
        FieldError { field: e.control.map_or(Field::General, Field::of_control), message: e.message }
    }

    /// An engine validation error, placed at the control that edits it.
    pub fn from_scenario_error(e: &ScenarioError) -> Self {
        FieldError::from_edit_error(EditError::from_scenario_error(e))
    }
}

/// Reads the form against the preset's scenario: the scenario to simulate
/// and the protocols to show, or every field's problem. The reading and the
/// edits are the engine's (`reuse_sim::edits::apply_controls`), the path every
/// link takes too.
pub fn apply(form: &Form, preset: &Scenario) -> Result<(Scenario, Vec<Protocol>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let scenario = match apply_controls(preset, |c| Some(form.control_text(c))) {
        #[cfg(feature = "cubic")]
        Ok(mut s) => {
            s.tcp.congestion_control = form.congestion;
            s.tcp.rack_tlp = form.rack_tlp;
            Some(s)
        }
        #[cfg(not(feature = "cubic"))]
        Ok(s) => Some(s),
        Err(found) => {
            for e in found {
                errors.push(FieldError::from_edit_error(e));
            }
            None
        }
    };
    let shown = form.shown_protocols();
    if shown.is_empty() {
        errors.push(FieldError { field: Field::Protocols, message: "Show at least one protocol".into() });
    }
    match scenario {
        Some(s) if errors.is_empty() => Ok((s, shown)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::scenario::{Resumption, TlsVersion};
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
    fn the_title_tells_the_objects_the_form_asked_for() {
        let preset = page(3);
        let mut form = Form::from_scenario(&preset);
        form.object_count = "4".into();
        form.object_size = "2".into();
        let s = apply(&form, &preset).unwrap().0;
        // The engine's rule: the preset's topic, then the page and its objects.
        assert_eq!(s.name, "test page: index.html + 4 objects of 2 KB");
        assert!(s.description.starts_with("Edited from the preset “test page”"), "{}", s.description);
    }

    #[test]
    fn every_control_has_its_field_and_back() {
        for c in Control::ALL {
            let field = Field::of_control(c);
            assert_eq!(field.control(), Some(c));
            assert_eq!(field.label(), c.label());
        }
        let mut form = Form::from_scenario(&page(1));
        form.set_text(Field::Pipelining, "1".into());
        assert!(form.pipelining);
        assert_eq!(form.text(Field::Pipelining), "1");
    }

    #[test]
    fn at_least_one_protocol_is_shown() {
        let preset = page(1);
        let mut form = Form::from_scenario(&preset);
        form.protocols = [false, true, false, false];
        assert_eq!(apply(&form, &preset).unwrap().1, vec![Protocol::Http11]);
        form.protocols = [false, false, true, true];
        assert_eq!(apply(&form, &preset).unwrap().1, vec![Protocol::H2, Protocol::H3]);
        form.protocols = [false; 4];
        assert_eq!(apply(&form, &preset).unwrap_err()[0].field, Field::Protocols);
    }
}
