//! The app's state and everything that changes it: one [`Action`] enum and a
//! reducer (`use_reducer`). Pure apart from calling the engine, so it is
//! tested natively as well as in the browser.

use std::rc::Rc;

use reuse_sim::presets;
use reuse_sim::trace::ConnId;
use reuse_sim::{Protocol, Scenario, SimError};
use yew::Reducible;

use crate::layout::{advance_playhead, axis_end, clamp_playhead, fit_rate, next_event, previous_event};
use crate::params::{apply, Field, FieldError, Form};
use crate::permalink::{self, Embed, ViewState};
use crate::view_model::{Explanation, Run};

/// Real time a whole timeline takes at the "fit" speed.
pub const FIT_WALL_MS: f64 = 4000.0;

/// Playback speed: fit the timeline into [`FIT_WALL_MS`], or a fixed
/// slow-motion factor (simulated ms per real ms).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    Fit,
    Factor(f64),
}

impl Speed {
    pub const CHOICES: [Speed; 6] = [
        Speed::Fit,
        Speed::Factor(0.1),
        Speed::Factor(0.25),
        Speed::Factor(0.5),
        Speed::Factor(1.0),
        Speed::Factor(2.0),
    ];

    pub fn label(self) -> String {
        match self {
            Speed::Fit => "Fit (4 s)".into(),
            Speed::Factor(f) => format!("{}×", crate::layout::num(f)),
        }
    }

    pub fn key(self) -> String {
        match self {
            Speed::Fit => "fit".into(),
            Speed::Factor(f) => crate::layout::num(f),
        }
    }

    pub fn parse(key: &str) -> Speed {
        Speed::CHOICES.into_iter().find(|s| s.key() == key).unwrap_or(Speed::Fit)
    }
}

/// The last good simulation and what it shows.
#[derive(Debug, PartialEq)]
pub struct Shown {
    pub run: Run,
    pub protocols: Vec<Protocol>,
}

impl Shown {
    pub fn new(run: Run, protocols: Vec<Protocol>) -> Shown {
        Shown { run, protocols }
    }

    /// The first event of any shown protocol after `t`.
    pub fn next_event(&self, t_ms: f64) -> Option<f64> {
        self.runs().filter_map(|r| next_event(&r.event_times, t_ms)).min_by(f64::total_cmp)
    }

    /// The last event of any shown protocol before `t`.
    pub fn previous_event(&self, t_ms: f64) -> Option<f64> {
        self.runs().filter_map(|r| previous_event(&r.event_times, t_ms)).max_by(f64::total_cmp)
    }

    pub fn runs(&self) -> impl Iterator<Item = &crate::view_model::ProtocolRun> {
        self.protocols.iter().filter_map(|p| self.run.get(*p))
    }

    /// End of the shared time axis.
    pub fn axis_end_ms(&self, follow_closes: bool) -> f64 {
        let loads: Vec<f64> = self.runs().map(|r| r.page_load_ms()).collect();
        let closes: Vec<f64> = self.runs().map(|r| r.last_close_ms).collect();
        axis_end(&loads, &closes, follow_closes)
    }
}

/// A shared value whose equality is identity: props holding one compare in
/// O(1), and a new simulation is a new pointer.
#[derive(Debug)]
pub struct Ptr<T>(pub Rc<T>);

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        Ptr(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Ptr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Ptr<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub preset_id: String,
    pub preset: Rc<Scenario>,
    pub form: Form,
    /// The form that produced `shown`: what a link shares while `form` has
    /// an error.
    pub shown_form: Form,
    pub errors: Vec<FieldError>,
    /// Why the address could not be opened (shown until dismissed).
    pub notice: Option<String>,
    /// Set when the page is embedded (`?embed=1`): no editor, chosen views.
    pub embed: Option<Embed>,
    /// The last simulation that succeeded: it stays on screen while the form
    /// has an error.
    pub shown: Ptr<Shown>,
    pub playhead_ms: f64,
    pub playing: bool,
    pub last_frame_ms: Option<f64>,
    pub speed: Speed,
    pub follow_closes: bool,
    /// The ladder's connection.
    pub ladder: Option<(Protocol, ConnId)>,
    pub waterfall: Protocol,
    pub explanation: Option<Rc<Explanation>>,
    /// Width of the views' column in CSS pixels.
    pub width_px: f64,
}

pub enum Action {
    SelectPreset(String),
    SetText(Field, String),
    SetPipelining(bool),
    SetProtocol(Protocol, bool),
    TogglePlay,
    Play,
    Pause,
    /// A new animation frame at this `performance.now()`.
    Frame(f64),
    StepForward,
    StepBack,
    Seek(f64),
    ToStart,
    ToEnd,
    SetSpeed(Speed),
    Faster,
    Slower,
    SetFollowCloses(bool),
    SelectConnection(Protocol, ConnId),
    SetWaterfall(Protocol),
    Explain(Option<Rc<Explanation>>),
    Resize(f64),
    DismissNotice,
}

impl AppState {
    /// The app at start: the first preset (or `preset_id` if it exists).
    pub fn initial(preset_id: Option<&str>) -> Result<AppState, SimError> {
        let preset = preset_id.and_then(presets::find).or_else(|| presets::all().first()).expect("a preset");
        let scenario = preset.scenario();
        let form = Form::from_scenario(&scenario);
        let run = Run::simulate(&scenario)?;
        let shown = Shown::new(run, form.shown_protocols());
        let first = shown.protocols[0];
        let ladder = shown.run.get(first).and_then(|r| r.connections.first()).map(|c| (first, c.id));
        // Open on the whole picture (the playhead at the end); Play starts over.
        let playhead_ms = shown.axis_end_ms(false);
        Ok(AppState {
            preset_id: preset.id.to_string(),
            preset: Rc::new(scenario),
            shown_form: form.clone(),
            form,
            errors: Vec::new(),
            notice: None,
            embed: None,
            shown: Ptr(Rc::new(shown)),
            playhead_ms,
            playing: false,
            last_frame_ms: None,
            speed: Speed::Fit,
            follow_closes: false,
            ladder,
            waterfall: first,
            explanation: None,
            width_px: 960.0,
        })
    }

    /// The app for an address's query string (see [`permalink`]): its
    /// scenario and view, or the default scenario with a notice saying why
    /// the link could not be opened.
    pub fn from_query(query: &str) -> Result<AppState, SimError> {
        let link = match permalink::decode(query) {
            Ok(None) => return AppState::initial(None),
            Ok(Some(link)) => link,
            Err(e) => return AppState::with_notice(format!("This link could not be opened ({e}).")),
        };
        let mut s = AppState::initial(Some(&link.preset_id))?;
        s.form = link.form;
        if s.form != s.shown_form {
            s.resimulate();
        }
        if let Some(e) = s.errors.first() {
            return AppState::with_notice(format!("This link could not be opened ({}).", e.message));
        }
        let view = link.view;
        let shown = &s.shown;
        if let Some((p, c)) = view.ladder {
            if shown.protocols.contains(&p) && shown.run.get(p).and_then(|r| r.connection(c)).is_some() {
                s.ladder = Some((p, c));
            }
        }
        if let Some(p) = view.waterfall.filter(|p| shown.protocols.contains(p)) {
            s.waterfall = p;
        }
        if let Some(t) = view.playhead_ms {
            s.seek(t);
        }
        s.embed = view.embed;
        if s.embed.is_some_and(|e| e.autoplay) {
            s.playhead_ms = 0.0;
            s.playing = true;
        }
        Ok(s)
    }

    /// The state without autoplay: paused on the whole picture.
    pub fn without_autoplay(mut self) -> AppState {
        if self.playing {
            self.pause();
            self.playhead_ms = self.axis_end_ms();
        }
        self
    }

    fn with_notice(notice: String) -> Result<AppState, SimError> {
        let mut s = AppState::initial(None)?;
        s.notice = Some(format!("{notice} Showing the default scenario instead."));
        Ok(s)
    }

    /// The query string that reopens what is on screen.
    pub fn link(&self) -> String {
        permalink::encode(&self.preset_id, &self.shown_form, &self.view_state(self.embed))
    }

    /// The link to this state in the full app (no embed parameters).
    pub fn full_app_link(&self) -> String {
        permalink::encode(&self.preset_id, &self.shown_form, &self.view_state(None))
    }

    fn view_state(&self, embed: Option<Embed>) -> ViewState {
        ViewState {
            ladder: self.ladder,
            waterfall: Some(self.waterfall),
            playhead_ms: Some(self.playhead_ms),
            embed,
        }
    }

    pub fn axis_end_ms(&self) -> f64 {
        self.shown.axis_end_ms(self.follow_closes)
    }

    pub fn error(&self, field: Field) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// Simulated ms per real ms.
    pub fn rate(&self) -> f64 {
        match self.speed {
            Speed::Fit => fit_rate(self.axis_end_ms(), FIT_WALL_MS),
            Speed::Factor(f) => f,
        }
    }

    /// Re-reads the form; on success re-simulates and keeps the playhead's
    /// place, on failure keeps the last good simulation.
    fn resimulate(&mut self) {
        match apply(&self.form, &self.preset) {
            Err(errors) => self.errors = errors,
            Ok((scenario, protocols)) => match Run::simulate(&scenario) {
                Ok(run) => {
                    self.errors.clear();
                    self.shown_form = self.form.clone();
                    self.shown = Ptr(Rc::new(Shown::new(run, protocols)));
                    self.after_new_run();
                }
                Err(SimError::Scenario(e)) => self.errors = vec![FieldError::from_scenario_error(&e)],
                Err(e @ SimError::EventLimit { .. }) => {
                    let message = format!(
                        "Too large to simulate in the browser ({e}). Fewer or smaller objects, or more bandwidth, will do."
                    );
                    self.errors = vec![FieldError { field: Field::General, message }]
                }
                Err(e @ SimError::TimeLimit { .. }) => {
                    let message =
                        format!("This page does not finish loading in the simulated time allowed ({e}).");
                    self.errors = vec![FieldError { field: Field::General, message }]
                }
                Err(e) => self.errors = vec![FieldError { field: Field::General, message: e.to_string() }],
            },
        }
    }

    fn after_new_run(&mut self) {
        self.playhead_ms = clamp_playhead(self.playhead_ms, self.axis_end_ms());
        self.explanation = None;
        let shown = &self.shown;
        let ladder_ok = self.ladder.is_some_and(|(p, c)| {
            shown.protocols.contains(&p) && shown.run.get(p).and_then(|r| r.connection(c)).is_some()
        });
        if !ladder_ok {
            let first = shown.protocols[0];
            self.ladder = shown.run.get(first).and_then(|r| r.connections.first()).map(|c| (first, c.id));
        }
        if !shown.protocols.contains(&self.waterfall) {
            self.waterfall = shown.protocols[0];
        }
    }

    fn pause(&mut self) {
        self.playing = false;
        self.last_frame_ms = None;
    }

    fn seek(&mut self, t_ms: f64) {
        self.playhead_ms = clamp_playhead(t_ms, self.axis_end_ms());
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SelectPreset(id) => {
                let Some(preset) = presets::find(&id) else { return self };
                let scenario = preset.scenario();
                let mut form = Form::from_scenario(&scenario);
                form.protocols = s.form.protocols;
                if form.shown_protocols().is_empty() {
                    form.protocols = [true; 3];
                }
                s.preset_id = id;
                s.preset = Rc::new(scenario);
                s.form = form;
                s.notice = None;
                s.pause();
                s.resimulate();
                // A new preset opens on its whole picture, like the first one.
                s.playhead_ms = s.axis_end_ms();
            }
            Action::SetText(field, value) => {
                s.form.set_text(field, value);
                s.resimulate();
            }
            Action::SetPipelining(on) => {
                s.form.pipelining = on;
                s.resimulate();
            }
            Action::SetProtocol(p, on) => {
                if let Some(i) = Protocol::OVER_TCP.iter().position(|&q| q == p) {
                    s.form.protocols[i] = on;
                }
                s.resimulate();
            }
            Action::TogglePlay => {
                if s.playing {
                    s.pause();
                } else {
                    return self.reduce(Action::Play);
                }
            }
            Action::Play => {
                if s.playhead_ms >= s.axis_end_ms() {
                    s.playhead_ms = 0.0;
                }
                s.playing = true;
                s.last_frame_ms = None;
            }
            Action::Pause => s.pause(),
            Action::Frame(now_ms) => {
                if !s.playing {
                    return self;
                }
                if let Some(last) = s.last_frame_ms {
                    let (t, done) = advance_playhead(s.playhead_ms, now_ms - last, s.rate(), s.axis_end_ms());
                    s.playhead_ms = t;
                    if done {
                        s.pause();
                        return Rc::new(s);
                    }
                }
                s.last_frame_ms = Some(now_ms);
            }
            Action::StepForward => {
                s.pause();
                let end = s.axis_end_ms();
                let next = s.shown.next_event(s.playhead_ms).filter(|&t| t <= end).unwrap_or(end);
                s.seek(next);
            }
            Action::StepBack => {
                s.pause();
                let prev = s.shown.previous_event(s.playhead_ms).unwrap_or(0.0);
                s.seek(prev);
            }
            Action::Seek(t) => {
                s.pause();
                s.seek(t);
            }
            Action::ToStart => {
                s.pause();
                s.seek(0.0);
            }
            Action::ToEnd => {
                s.pause();
                s.seek(f64::MAX);
            }
            Action::SetSpeed(speed) => s.speed = speed,
            Action::Faster | Action::Slower => {
                let choices = Speed::CHOICES;
                let i = choices.iter().position(|&c| c == s.speed).unwrap_or(0);
                // Fit sits first; stepping from it goes to the nearest factor.
                let j = match action {
                    Action::Faster => (i + 1).min(choices.len() - 1),
                    _ => i.saturating_sub(1).max(1),
                };
                s.speed = choices[j];
            }
            Action::SetFollowCloses(on) => {
                s.follow_closes = on;
                let end = s.axis_end_ms();
                s.playhead_ms = clamp_playhead(s.playhead_ms, end);
            }
            Action::SelectConnection(p, c) => s.ladder = Some((p, c)),
            Action::SetWaterfall(p) => s.waterfall = p,
            Action::Explain(e) => {
                if s.explanation == e {
                    return self;
                }
                s.explanation = e;
            }
            Action::Resize(w) => {
                if (s.width_px - w).abs() < 0.5 || !w.is_finite() || w <= 0.0 {
                    return self;
                }
                s.width_px = w;
            }
            Action::DismissNotice => s.notice = None,
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<AppState> {
        Rc::new(AppState::initial(Some("textbook")).expect("textbook simulates"))
    }

    #[test]
    fn an_invalid_field_keeps_the_last_good_simulation_and_the_text() {
        let s0 = state();
        let s1 = s0.clone().reduce(Action::SetText(Field::Rtt, "-5".into()));
        assert!(s1.shown == s0.shown, "same simulation object");
        assert_eq!(s1.form.rtt, "-5");
        assert_eq!(s1.error(Field::Rtt).map(|m| m.starts_with("RTT")), Some(true));
        let s2 = s1.reduce(Action::SetText(Field::Rtt, "150".into()));
        assert!(s2.shown != s0.shown, "re-simulated");
        assert!(s2.errors.is_empty());
        assert_eq!(s2.shown.run.scenario.network.rtt_ms, 150.0);
    }

    #[test]
    fn a_change_keeps_the_playhead_where_it_was() {
        let s = state().reduce(Action::Seek(150.0));
        let s = s.reduce(Action::SetText(Field::KeepAlive, "4000".into()));
        assert_eq!(s.playhead_ms, 150.0);
        // ... unless the new timeline is shorter: then it is clamped to its end.
        let s = s.reduce(Action::Seek(1e9));
        let end_before = s.playhead_ms;
        let s = s.reduce(Action::SetText(Field::Rtt, "10".into()));
        assert!(s.playhead_ms < end_before);
        assert_eq!(s.playhead_ms, s.axis_end_ms());
    }

    #[test]
    fn stepping_visits_trace_events_in_order_and_stops_at_the_end() {
        let mut s = state().reduce(Action::ToStart);
        assert_eq!(s.playhead_ms, 0.0);
        let mut last = s.playhead_ms;
        let mut steps = 0;
        loop {
            s = s.reduce(Action::StepForward);
            if s.playhead_ms == last {
                break;
            }
            assert!(s.playhead_ms > last);
            let is_event = s.shown.runs().any(|r| r.event_times.contains(&s.playhead_ms));
            assert!(is_event || s.playhead_ms == s.axis_end_ms(), "{} is not an event", s.playhead_ms);
            last = s.playhead_ms;
            steps += 1;
            assert!(steps < 100_000);
        }
        assert_eq!(s.playhead_ms, s.axis_end_ms());
        let back = s.clone().reduce(Action::StepBack);
        assert!(back.playhead_ms < s.playhead_ms);
    }

    #[test]
    fn playback_advances_with_frames_and_pauses_at_the_end() {
        let s = state();
        assert_eq!(s.playhead_ms, s.axis_end_ms(), "the app opens at the end");
        let s = s.reduce(Action::Play);
        assert!(s.playing);
        let s = s.reduce(Action::Frame(1000.0)); // first frame only sets the clock
        assert_eq!(s.playhead_ms, 0.0);
        let s = s.reduce(Action::Frame(1016.0));
        let expected = 16.0 * s.rate();
        assert!((s.playhead_ms - expected).abs() < 1e-9);
        // The fit speed plays the whole axis in FIT_WALL_MS of frames.
        let mut s = s;
        let mut now = 1016.0;
        while s.playing {
            now += 16.0;
            s = s.reduce(Action::Frame(now));
            assert!(now < 1016.0 + FIT_WALL_MS + 100.0, "did not stop");
        }
        assert_eq!(s.playhead_ms, s.axis_end_ms());
        // Play again from the end starts over.
        assert_eq!(s.reduce(Action::Play).playhead_ms, 0.0);
    }

    #[test]
    fn choosing_a_preset_resets_the_form_and_the_playhead() {
        let s = state().reduce(Action::SetText(Field::Rtt, "-1".into())).reduce(Action::Seek(100.0));
        let s = s.reduce(Action::SelectPreset("api-polling".into()));
        assert_eq!(s.preset_id, "api-polling");
        assert!(s.errors.is_empty());
        assert_eq!(s.playhead_ms, s.axis_end_ms(), "a preset opens on its whole picture");
        assert_eq!(s.form, Form::from_scenario(&s.preset));
        let unknown = s.clone().reduce(Action::SelectPreset("no-such".into()));
        assert_eq!(unknown.preset_id, "api-polling");
    }

    #[test]
    fn hiding_the_ladders_protocol_moves_the_ladder_to_a_shown_one() {
        let s = state();
        assert_eq!(s.ladder.map(|(p, _)| p), Some(Protocol::Http10));
        let s = s.reduce(Action::SetProtocol(Protocol::Http10, false));
        assert_eq!(s.ladder.map(|(p, _)| p), Some(Protocol::Http11));
        assert_eq!(s.waterfall, Protocol::Http11);
        let s = s
            .reduce(Action::SetProtocol(Protocol::Http11, false))
            .reduce(Action::SetProtocol(Protocol::H2, false));
        assert!(s.error(Field::Protocols).is_some());
        assert_eq!(s.shown.protocols, vec![Protocol::H2], "the last good choice stays shown");
    }

    #[test]
    fn a_scenario_too_large_for_the_browser_is_refused_and_the_last_one_stays() {
        let s0 = state();
        // 500 objects of 10 MB: far past the browser's event budget.
        let s1 = s0.clone().reduce(Action::SetText(Field::ObjectCount, "500".into()));
        let s1 = s1.reduce(Action::SetText(Field::ObjectSize, "10000".into()));
        let message = s1.error(Field::General).expect("a message above the views");
        assert!(message.contains("Too large"), "{message}");
        assert_eq!(s1.form.object_size, "10000", "what was typed stays");
        assert_eq!(
            s1.shown.run.scenario.requests.len(),
            501,
            "the 500-object page of 5 KB objects stays shown"
        );
    }

    #[test]
    fn speed_steps_through_the_choices() {
        let s = state();
        assert_eq!(s.speed, Speed::Fit);
        let s = s.reduce(Action::Faster);
        assert_eq!(s.speed, Speed::CHOICES[1]);
        let s = s.reduce(Action::Slower);
        assert_eq!(s.speed, Speed::CHOICES[1], "the slowest factor is the floor");
        for choice in Speed::CHOICES {
            assert_eq!(Speed::parse(&choice.key()), choice);
        }
    }

    #[test]
    fn a_link_reopens_the_same_scenario_view_and_results() {
        let s = Rc::new(AppState::initial(Some("modern-page")).unwrap())
            .reduce(Action::SetText(Field::Rtt, "80".into()))
            .reduce(Action::SetText(Field::KeepAlive, "2500".into()))
            .reduce(Action::SetProtocol(Protocol::Http10, false))
            .reduce(Action::SetWaterfall(Protocol::H2))
            .reduce(Action::Seek(321.5));
        let conn = s.shown.run.get(Protocol::Http11).unwrap().connections[2].id;
        let s = s.reduce(Action::SelectConnection(Protocol::Http11, conn));
        let opened = AppState::from_query(&s.link()).unwrap();
        assert_eq!(opened.notice, None);
        assert_eq!(opened.preset_id, s.preset_id);
        assert_eq!(opened.form, s.form);
        assert_eq!(opened.shown.run.scenario, s.shown.run.scenario);
        assert_eq!(opened.shown.protocols, s.shown.protocols);
        for p in &s.shown.protocols {
            let (a, b) = (opened.shown.run.get(*p).unwrap(), s.shown.run.get(*p).unwrap());
            assert_eq!(a.output.result, b.output.result, "{p:?}");
        }
        assert_eq!(
            (opened.ladder, opened.waterfall, opened.playhead_ms),
            (s.ladder, s.waterfall, s.playhead_ms)
        );
        assert_eq!(opened.link(), s.link());
    }

    #[test]
    fn a_link_taken_while_a_field_is_wrong_shares_what_is_on_screen() {
        let s = state().reduce(Action::SetText(Field::Rtt, "-5".into()));
        let opened = AppState::from_query(&s.link()).unwrap();
        assert_eq!(opened.form.rtt, state().form.rtt, "the last good value, not the typo");
        assert!(opened.errors.is_empty());
    }

    #[test]
    fn a_damaged_link_opens_the_default_scenario_with_a_notice() {
        let default = state_default();
        for query in ["?v=1&p=textbook&rtt=-5", "?v=7&p=textbook", "?v=1&p=nowhere", "?v=1&p=textbook&show=9"]
        {
            let s = AppState::from_query(query).unwrap();
            let notice = s.notice.as_deref().unwrap_or_else(|| panic!("{query}: no notice"));
            assert!(notice.starts_with("This link could not be opened"), "{notice}");
            assert!(notice.ends_with("Showing the default scenario instead."), "{notice}");
            assert_eq!(s.preset_id, default.preset_id, "{query}");
            assert_eq!(s.form, default.form, "{query}");
        }
        let rtt = AppState::from_query("?v=1&p=textbook&rtt=-5").unwrap();
        assert!(rtt.notice.unwrap().contains("RTT"), "names the field");
        let s = Rc::new(AppState::from_query("?v=7&p=textbook").unwrap()).reduce(Action::DismissNotice);
        assert_eq!(s.notice, None);
    }

    #[test]
    fn an_autoplay_embed_starts_playing_from_zero() {
        let s = AppState::from_query("?v=1&p=textbook&show=10-11&embed=1&autoplay=1").unwrap();
        assert!(s.embed.is_some());
        assert!(s.playing);
        assert_eq!(s.playhead_ms, 0.0);
        assert_eq!(s.shown.protocols, vec![Protocol::Http10, Protocol::Http11]);
        assert!(!s.full_app_link().contains("embed"));
        assert!(s.link().contains("embed=1"));
        let calm = s.without_autoplay();
        assert!(!calm.playing);
        assert_eq!(calm.playhead_ms, calm.axis_end_ms(), "the whole picture, paused");
    }

    fn state_default() -> AppState {
        AppState::initial(None).unwrap()
    }
}
