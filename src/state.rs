//! The app's state and everything that changes it: one [`Action`] enum and a
//! reducer (`use_reducer`). Pure apart from calling the engine, so it is
//! tested natively as well as in the browser.

use std::rc::Rc;

use reuse_sim::presets;
use reuse_sim::trace::{ConnId, PauseAt};
use reuse_sim::{Protocol, Scenario, SimError};
use yew::Reducible;

use crate::layout::{
    advance_playhead, axis_end, clamp_playhead, fit_rate, next_event, previous_event, sorted_order, Window,
};
use crate::params::{apply, Field, FieldError, Form};
use crate::permalink::{self, Embed, ViewState};
use crate::view_model::{Column, Explanation, Run};

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

    /// Simulated ms per real ms; Fit's depends on the timeline (`fit_rate`).
    pub fn rate(self, fit_rate: f64) -> f64 {
        match self {
            Speed::Fit => fit_rate,
            Speed::Factor(f) => f,
        }
    }

    /// The choice one step faster (`faster`) or slower than `self`, the
    /// choices ordered by the rate they play at, Fit among them at its rate
    /// for this timeline: `]` from Fit goes to the next faster factor, and
    /// `[` comes back to Fit.
    pub fn step(self, faster: bool, fit_rate: f64) -> Speed {
        let order = sorted_order(Speed::CHOICES.iter().map(|c| c.rate(fit_rate)));
        let here = order.iter().position(|&i| Speed::CHOICES[i] == self).unwrap_or(0);
        let there = if faster { (here + 1).min(order.len() - 1) } else { here.saturating_sub(1) };
        Speed::CHOICES[order[there]]
    }
}

/// The last good simulation and what it shows.
#[derive(Debug, PartialEq)]
pub struct Shown {
    pub run: Run,
    /// The columns shown, in order: the protocols checked, or every variant.
    pub columns: Vec<Column>,
}

impl Shown {
    pub fn new(run: Run, protocols: Vec<Protocol>) -> Shown {
        Shown { run, columns: protocols.into_iter().map(Column::Protocol).collect() }
    }

    /// Every column of `run` (its variants).
    pub fn all(run: Run) -> Shown {
        let columns = run.protocols.iter().map(|r| r.column).collect();
        Shown { run, columns }
    }

    /// The protocols of the runs shown, in order (a protocol twice when two
    /// variants share it).
    pub fn protocols(&self) -> Vec<Protocol> {
        self.runs().map(|r| r.protocol).collect()
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
        self.columns.iter().filter_map(|&c| self.run.get(c))
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
    /// The player's breakpoint: playing stops at the next moment of this
    /// kind in any shown run (the engine says which events are which).
    pub pause_at: Option<PauseAt>,
    pub follow_closes: bool,
    /// The totals show each result's closed form (worked in the export worker).
    pub closed_form: bool,
    /// The zoomed part of the time axis; `None` shows all of it (and keeps
    /// showing all of it when the axis grows or shrinks).
    pub zoom: Option<Window>,
    /// Height the lanes may take to stay on the first screen (CSS px,
    /// measured), so that what moves during Play is seen without scrolling.
    pub lanes_room_px: Option<f64>,
    /// The ladder's connection.
    pub ladder: Option<(Column, ConnId)>,
    pub waterfall: Column,
    pub explanation: Option<Rc<Explanation>>,
    /// Width of the views' column in CSS pixels.
    pub width_px: f64,
    /// The curve view's sweep keys (`&sweep=rtt:10..500…`), in the link;
    /// the full build draws them (`components::curve`).
    pub sweep: Option<String>,
    /// The server's view (`server=1`, full build).
    pub server: bool,
    /// Its many clients, `(count, over_ms)` (`clients=N&over=MS`; the full
    /// build's, feature `clients`).
    #[cfg(feature = "clients")]
    pub clients: Option<(u32, f64)>,
    /// Variants on one clock, their specs as typed (`var=`; full build).
    #[cfg(feature = "variants")]
    pub variants: Vec<String>,
    /// Lesson mode (`?lesson=ID&step=N`, full build): `crate::lesson`.
    pub lesson: crate::lesson::LessonSlot,
}

pub enum Action {
    SelectPreset(String),
    SetText(Field, String),
    SetPipelining(bool),
    /// The congestion controller (the full build's `cc=`).
    #[cfg(feature = "cubic")]
    SetCongestion(reuse_sim::scenario::CongestionControl),
    /// RACK-TLP on or off (the full build's `rack=`).
    #[cfg(feature = "cubic")]
    SetRackTlp(bool),
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
    /// The player's breakpoint (`None`: play through).
    SetPauseAt(Option<PauseAt>),
    Faster,
    Slower,
    SetFollowCloses(bool),
    SetClosedForm(bool),
    SelectConnection(Column, ConnId),
    SetWaterfall(Column),
    Explain(Option<Rc<Explanation>>),
    Resize(f64),
    /// The height the lanes may take without scrolling.
    LanesRoom(f64),
    /// Zoom by a factor (above 1 = in) keeping a time in place; `None`
    /// zooms around the playhead (or the middle if it is off screen).
    Zoom(f64, Option<f64>),
    /// Zoom by a factor keeping in place the time at this share of the
    /// window's width (a pointer over the plot: 0 left edge, 1 right edge).
    ZoomAtShare(f64, f64),
    /// Pan by a share of the window (keys: a quarter at a time).
    PanShare(f64),
    /// The whole time axis again.
    ZoomWhole,
    /// Zoom to what the "why" panel explains.
    ZoomToExplained,
    DismissNotice,
    /// Opens (with its link keys) or closes the curve view.
    SetSweep(Option<String>),
    /// The reader's reply to the lesson's question (`None`: "show me").
    LessonAnswer(Option<String>),
    /// Opens the lesson's step N (1-based), unanswered.
    LessonGo(usize),
    /// Shows or hides the server's view.
    SetServer(bool),
    /// The server's view's many clients, `(count, over_ms)`; `None`: one.
    #[cfg(feature = "clients")]
    SetClients(Option<(u32, f64)>),
    /// The variants on one clock, their specs (checked by the card); empty
    /// closes the view.
    #[cfg(feature = "variants")]
    SetVariants(Vec<String>),
}

impl AppState {
    /// The app at start: the first preset (or `preset_id` if it exists).
    pub fn initial(preset_id: Option<&str>) -> Result<AppState, SimError> {
        let preset = preset_id.and_then(presets::find).or_else(|| presets::all().first()).expect("a preset");
        let scenario = preset.scenario();
        let mut form = Form::from_scenario(&scenario);
        form.protocols = crate::params::default_shown(preset.id);
        let run = Run::simulate(&scenario)?;
        let shown = Shown::new(run, form.shown_protocols());
        let first = shown.columns[0];
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
            pause_at: None,
            follow_closes: false,
            closed_form: false,
            zoom: None,
            lanes_room_px: None,
            ladder,
            waterfall: first,
            explanation: None,
            width_px: 960.0,
            sweep: None,
            server: false,
            #[cfg(feature = "clients")]
            clients: None,
            #[cfg(feature = "variants")]
            variants: Vec::new(),
            lesson: Default::default(),
        })
    }

    /// The app for an address's query string (see [`permalink`]): its
    /// scenario and view, or the default scenario with a notice saying why
    /// the link could not be opened.
    pub fn from_query(query: &str) -> Result<AppState, SimError> {
        // A lesson (full build only; the page's loader opens `lesson=` there).
        if crate::full_build::is_full_build() {
            if let Ok(q) = reuse_sim::permalink::Query::parse(query) {
                if let Some(id) = q.get("lesson") {
                    let step = q.get("step").and_then(|n| n.parse().ok()).unwrap_or(1);
                    let embed = permalink::embed_of(&q).ok().flatten();
                    return crate::lesson::state_for(id, step, embed);
                }
            }
        }
        let link = match permalink::decode(query) {
            Ok(None) => return AppState::initial(None),
            Ok(Some(link)) => link,
            Err(e) => return AppState::with_notice(format!("This link could not be opened ({e}).")),
        };
        let mut s = AppState::initial(Some(&link.preset_id))?;
        s.form = link.form;
        #[cfg(feature = "variants")]
        {
            s.variants = link.view.variants.clone();
        }
        if s.form != s.shown_form || s.plays_variants() {
            s.resimulate();
        }
        if let Some(e) = s.errors.first() {
            return AppState::with_notice(format!("This link could not be opened ({}).", e.message));
        }
        let view = link.view;
        let shown = &s.shown;
        if let Some((p, c)) = view.ladder {
            if shown.columns.contains(&p) && shown.run.get(p).and_then(|r| r.connection(c)).is_some() {
                s.ladder = Some((p, c));
            }
        }
        if let Some(p) = view.waterfall.filter(|p| shown.columns.contains(p)) {
            s.waterfall = p;
        }
        s.follow_closes = view.follow_closes;
        s.closed_form = view.closed_form;
        if let Some((start_ms, end_ms)) = view.zoom {
            s.set_zoom(Window { start_ms, end_ms });
        }
        if let Some(t) = view.playhead_ms {
            s.playhead_ms = clamp_playhead(t, s.axis_end_ms());
        }
        s.embed = view.embed;
        s.sweep = view.sweep.filter(|_| crate::full_build::is_full_build());
        s.server = view.server && crate::full_build::is_full_build();
        #[cfg(feature = "clients")]
        {
            s.clients = view.clients.filter(|_| s.server);
        }
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

    /// The page's address: the lesson's while a lesson is open (the
    /// scenario's link would say what the reader is asked to predict), else
    /// [`AppState::link`].
    pub fn address(&self) -> String {
        match self.lesson.get() {
            Some(mode) if crate::full_build::is_full_build() => crate::lesson::address(mode, self.embed),
            _ => self.link(),
        }
    }

    /// A lesson's question is waiting for the reader (or the list of
    /// lessons is shown): the views would give the answer away.
    pub fn hides_answer(&self) -> bool {
        self.lesson.get().is_some_and(crate::lesson::LessonMode::hides_answer)
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
            zoom: self.zoom.map(|w| (w.start_ms, w.end_ms)),
            follow_closes: self.follow_closes,
            closed_form: self.closed_form,
            embed,
            sweep: self.sweep.clone(),
            server: self.server,
            #[cfg(feature = "clients")]
            clients: self.clients,
            #[cfg(feature = "variants")]
            variants: self.variants.clone(),
        }
    }

    /// The server's view's many clients, `(count, over_ms)` (always `None`
    /// in a build without them).
    pub fn many_clients(&self) -> Option<(u32, f64)> {
        #[cfg(feature = "clients")]
        return self.clients;
        #[cfg(not(feature = "clients"))]
        None
    }

    /// The first moment of the breakpoint's kind in `(from, to]` in any
    /// shown run, explained.
    fn breakpoint_between(&self, from_ms: f64, to_ms: f64) -> Option<(f64, Rc<Explanation>)> {
        let kind = self.pause_at?;
        let (run, event) = self
            .shown
            .runs()
            .filter_map(|r| Some((r, r.next_pause(kind, from_ms, to_ms)?)))
            .min_by_key(|(_, event)| event.time)?;
        Some((event.time.as_ms(), Rc::new(run.pause_explanation(kind.name(), event))))
    }

    /// What the views show of the time axis.
    pub fn window(&self) -> Window {
        let end = self.axis_end_ms();
        self.zoom.map_or(Window::whole(end), |w| w.within(end))
    }

    /// Zoomed to `w` (within the axis), or not zoomed when `w` is all of it.
    fn set_zoom(&mut self, w: Window) {
        let end = self.axis_end_ms();
        self.zoom = (!w.is_whole(end)).then(|| w.within(end));
    }

    /// Some context around an item zoomed to: half its length on each side,
    /// at least one and a half round trips (a packet's way there and back,
    /// so a close has its FIN and the request it races with in view).
    fn zoom_context_ms(&self, span_ms: f64) -> f64 {
        (span_ms * 0.5).max(1.5 * self.shown.run.scenario.network.rtt_ms).max(crate::layout::MIN_WINDOW_MS)
    }

    pub fn axis_end_ms(&self) -> f64 {
        self.shown.axis_end_ms(self.follow_closes)
    }

    pub fn error(&self, field: Field) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// Simulated ms per real ms.
    pub fn rate(&self) -> f64 {
        self.speed.rate(self.fit_rate())
    }

    fn fit_rate(&self) -> f64 {
        fit_rate(self.axis_end_ms(), FIT_WALL_MS)
    }

    /// Re-reads the form; on success re-simulates and keeps the playhead's
    /// place, on failure keeps the last good simulation.
    fn resimulate(&mut self) {
        match apply(&self.form, &self.preset) {
            Err(errors) => self.errors = errors,
            Ok((scenario, protocols)) => match self.simulate(&scenario) {
                Ok((run, stopped)) => {
                    self.errors.clear();
                    self.shown_form = self.form.clone();
                    let shown =
                        if self.plays_variants() { Shown::all(run) } else { Shown::new(run, protocols) };
                    self.shown = Ptr(Rc::new(shown));
                    self.after_new_run();
                    // A run stopped at a cap is shown up to where it got
                    // stuck, with the reason above the views.
                    let message = match stopped {
                        None => None,
                        Some(e @ SimError::EventLimit { .. }) => Some(format!(
                            "Too large to simulate whole in the browser ({e}): the views show it up to there. \
                             Fewer or smaller objects, or more bandwidth, will do."
                        )),
                        Some(e @ SimError::TimeLimit { .. }) => Some(format!(
                            "This page does not finish loading in the simulated time allowed ({e}): \
                             the views show it up to there."
                        )),
                        Some(e) => Some(e.to_string()),
                    };
                    if let Some(message) = message {
                        self.errors = vec![FieldError { field: Field::General, message }];
                    }
                }
                Err(SimError::Scenario(e)) => self.errors = vec![FieldError::from_scenario_error(&e)],
                Err(e) => self.errors = vec![FieldError { field: Field::General, message: e.to_string() }],
            },
        }
    }

    /// The variants play in the player (full build, `var=`) instead of
    /// the protocols.
    pub fn plays_variants(&self) -> bool {
        #[cfg(feature = "variants")]
        return !self.variants.is_empty();
        #[cfg(not(feature = "variants"))]
        false
    }

    /// Plays `specs` (none: the protocols again) if they simulate; else the
    /// last good run and its variants stay, with the reason. The waterfall
    /// and the ladder follow their variant by its label when the list is
    /// reordered.
    #[cfg(feature = "variants")]
    fn set_variants(&mut self, specs: Vec<String>) {
        let before = std::mem::replace(&mut self.variants, specs);
        let (old, waterfall, ladder) = (self.shown.clone(), self.waterfall, self.ladder);
        self.resimulate();
        if Rc::ptr_eq(&old.0, &self.shown.0) {
            self.variants = before;
            return;
        }
        let label_of = |c: Column| {
            old.run.get(c).filter(|r| matches!(r.column, Column::Variant(_))).map(|r| r.label.clone())
        };
        let now = |label: &Rc<str>| self.shown.runs().find(|r| &r.label == label).map(|r| r.column);
        if let Some(c) = label_of(waterfall).and_then(|l| now(&l)) {
            self.waterfall = c;
        }
        if let Some((c, conn)) = ladder {
            if let Some(moved) = label_of(c).and_then(|l| now(&l)) {
                let run = self.shown.run.get(moved);
                let conn = run.and_then(|r| r.connection(conn).or(r.connections.first())).map(|x| x.id);
                self.ladder = conn.map(|conn| (moved, conn)).or(self.ladder);
            }
        }
    }

    /// The scenario under every protocol, or under every variant.
    fn simulate(&self, scenario: &Scenario) -> Result<(Run, Option<SimError>), SimError> {
        #[cfg(feature = "variants")]
        if self.plays_variants() {
            return Run::simulate_variants(scenario, &self.variants)
                .map_err(|message| SimError::Scenario(reuse_sim::ScenarioError::new("var", message)));
        }
        Run::simulate_or_partial(scenario)
    }

    fn after_new_run(&mut self) {
        self.playhead_ms = clamp_playhead(self.playhead_ms, self.axis_end_ms());
        self.explanation = None;
        let shown = &self.shown;
        let ladder_ok = self.ladder.is_some_and(|(p, c)| {
            shown.columns.contains(&p) && shown.run.get(p).and_then(|r| r.connection(c)).is_some()
        });
        if !ladder_ok {
            let first = shown.columns[0];
            self.ladder = shown.run.get(first).and_then(|r| r.connections.first()).map(|c| (first, c.id));
        }
        if !shown.columns.contains(&self.waterfall) {
            self.waterfall = shown.columns[0];
        }
    }

    fn pause(&mut self) {
        self.playing = false;
        self.last_frame_ms = None;
    }

    /// Moves the playhead, turning the zoomed window's page to follow it.
    fn seek(&mut self, t_ms: f64) {
        self.playhead_ms = clamp_playhead(t_ms, self.axis_end_ms());
        self.follow_playhead();
    }

    fn follow_playhead(&mut self) {
        if let Some(w) = self.zoom {
            let end = self.axis_end_ms();
            self.zoom = Some(w.within(end).showing(self.playhead_ms, end));
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let moves = matches!(
            action,
            Action::TogglePlay
                | Action::Play
                | Action::StepForward
                | Action::StepBack
                | Action::ToStart
                | Action::ToEnd
        );
        if moves && crate::full_build::is_full_build() && s.hides_answer() {
            return self;
        }
        match action {
            Action::SelectPreset(id) => {
                // A preset only the full build simulates (or has): the page
                // opens it there by its name alone, with its own values (the
                // picker that sends this is not in embeds).
                if !crate::full_build::is_full_build()
                    && crate::full_build::FULL_BUILD_PRESETS.contains(&id.as_str())
                {
                    crate::full_build::open_full_build(&permalink::preset_link(&id));
                    return self;
                }
                let Some(preset) = presets::find(&id) else { return self };
                let scenario = preset.scenario();
                let mut form = Form::from_scenario(&scenario);
                // The reader's choice stays, unless the preset's lesson is HTTP/3.
                form.protocols = s.form.protocols;
                if form.shown_protocols().is_empty() || crate::params::H3_LESSONS.contains(&preset.id) {
                    form.protocols = crate::params::default_shown(preset.id);
                }
                s.preset_id = id;
                s.preset = Rc::new(scenario);
                s.form = form;
                s.notice = None;
                s.zoom = None;
                s.pause();
                s.resimulate();
                // Variants that do not apply to the new preset give way to
                // its protocols, said in a notice (the preset is what was asked).
                #[cfg(feature = "variants")]
                if s.plays_variants() && !s.errors.is_empty() {
                    let why = s.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ");
                    s.variants.clear();
                    s.resimulate();
                    s.notice = Some(format!(
                        "The variants do not apply to this preset ({why}): its protocols are shown."
                    ));
                }
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
            #[cfg(feature = "cubic")]
            Action::SetCongestion(cc) => {
                s.form.congestion = cc;
                s.resimulate();
            }
            #[cfg(feature = "cubic")]
            Action::SetRackTlp(on) => {
                s.form.rack_tlp = on;
                s.resimulate();
            }
            Action::SetProtocol(p, on) => {
                if let Some(i) = Protocol::ALL.iter().position(|&q| q == p) {
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
                    // A lesson's stop or a breakpoint in this frame: the
                    // playhead waits there, explained.
                    let lesson_stop = if crate::full_build::is_full_build() {
                        crate::lesson::stop_between(s.lesson.get(), s.playhead_ms, t)
                    } else {
                        None
                    };
                    let (t, done) = match lesson_stop.or_else(|| s.breakpoint_between(s.playhead_ms, t)) {
                        Some((at, why)) => {
                            s.explanation = Some(why);
                            (at, true)
                        }
                        None => (t, done),
                    };
                    s.playhead_ms = t;
                    s.follow_playhead();
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
            Action::SetPauseAt(kind) => s.pause_at = kind,
            Action::Faster => s.speed = s.speed.step(true, s.fit_rate()),
            Action::Slower => s.speed = s.speed.step(false, s.fit_rate()),
            Action::SetClosedForm(on) => s.closed_form = on,
            Action::SetFollowCloses(on) => {
                s.follow_closes = on;
                let end = s.axis_end_ms();
                s.playhead_ms = clamp_playhead(s.playhead_ms, end);
                if let Some(w) = s.zoom {
                    s.set_zoom(w);
                }
            }
            Action::Zoom(factor, at) => {
                let (w, end) = (s.window(), s.axis_end_ms());
                let inside = (w.start_ms..=w.end_ms).contains(&s.playhead_ms);
                let at = at.unwrap_or(if inside { s.playhead_ms } else { (w.start_ms + w.end_ms) / 2.0 });
                s.set_zoom(w.zoom(factor, at, end));
            }
            Action::ZoomAtShare(factor, share) => {
                let w = s.window();
                let at =
                    (share >= 0.0).then(|| w.start_ms + crate::layout::clamp(share, 0.0, 1.0) * w.span_ms());
                return self.reduce(Action::Zoom(factor, at));
            }
            Action::PanShare(share) => {
                let w = s.window();
                s.set_zoom(w.pan(share * w.span_ms(), s.axis_end_ms()));
            }
            Action::ZoomWhole => s.zoom = None,
            Action::ZoomToExplained => {
                let Some((from, to)) = s.explanation.as_ref().and_then(|e| e.span) else { return self };
                let context = s.zoom_context_ms(to - from);
                s.set_zoom(Window::around(from, to, context, s.axis_end_ms()));
            }
            Action::LanesRoom(px) => {
                if !px.is_finite() || s.lanes_room_px.is_some_and(|old| (old - px).abs() < 0.5) {
                    return self;
                }
                s.lanes_room_px = Some(px);
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
            Action::SetSweep(keys) => s.sweep = keys.filter(|_| crate::full_build::is_full_build()),
            // Lessons are the full build's: the first load never compiles them in.
            Action::LessonAnswer(_) | Action::LessonGo(_) if !crate::full_build::is_full_build() => {
                return self
            }
            Action::SetServer(on) => {
                s.server = on && crate::full_build::is_full_build();
                #[cfg(feature = "clients")]
                {
                    s.clients = s.clients.filter(|_| s.server);
                }
            }
            #[cfg(feature = "clients")]
            Action::SetClients(clients) => s.clients = clients.filter(|_| s.server),
            #[cfg(feature = "variants")]
            Action::SetVariants(specs) => s.set_variants(specs),
            Action::LessonAnswer(reply) => crate::lesson::answer(&mut s, reply.as_deref()),
            Action::LessonGo(step) => {
                let Some(crate::lesson::LessonMode::Step(l)) = s.lesson.get() else { return self };
                let Ok(mut next) = crate::lesson::state_for(&l.lesson.id, step, s.embed) else { return self };
                next.width_px = s.width_px;
                next.lanes_room_px = s.lanes_room_px;
                return Rc::new(next);
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::Item;

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
    fn a_breakpoint_stops_playing_at_each_moment_of_its_kind_explained() {
        // K&R's page (index.html + 10 objects) under HTTP/1.0, one
        // connection at a time, RTT 100 ms: each object costs a handshake
        // and a request, 2 RTT, so connection k + 1 opens at 2k × RTT.
        let s = AppState::from_query("?v=1&p=textbook&cl=1&show=10").expect("opens");
        let mut s = Rc::new(s)
            .reduce(Action::SetPauseAt(Some(PauseAt::ConnectionOpened)))
            .reduce(Action::ToStart)
            .reduce(Action::Play);
        let mut now = 1000.0;
        let mut stops = Vec::new();
        while stops.len() < 20 {
            now += 16.0;
            s = s.reduce(Action::Frame(now));
            if !s.playing {
                if s.playhead_ms >= s.axis_end_ms() {
                    break;
                }
                let why = s.explanation.clone().expect("explained");
                assert_eq!(why.title, "Paused: HTTP/1.0 · new connection");
                stops.push(s.playhead_ms);
                s = s.reduce(Action::Play);
            }
        }
        let expected: Vec<f64> = (1..=10).map(|k| 2.0 * f64::from(k) * 100.0).collect();
        assert_eq!(stops.len(), expected.len(), "{stops:?}");
        for (got, want) in stops.iter().zip(&expected) {
            assert!((got - want).abs() < 1e-6, "{stops:?}");
        }
        // Without a breakpoint it plays through to the end.
        let mut s = s.reduce(Action::SetPauseAt(None)).reduce(Action::Play);
        while s.playing {
            now += 16.0;
            s = s.reduce(Action::Frame(now));
        }
        assert_eq!(s.playhead_ms, s.axis_end_ms());
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
    fn a_preset_only_the_full_build_simulates_is_opened_there_with_its_own_form() {
        if crate::full_build::is_full_build() {
            return;
        }
        let s0 = state().reduce(Action::Seek(100.0));
        // This build does not simulate it: the page moves (a no-op natively).
        let s = s0.clone().reduce(Action::SelectPreset("nat-idle".into()));
        assert!(Rc::ptr_eq(&s, &s0));
        // What it opens: the preset by its name, in the full build (which
        // alone has it: the first load's engine leaves TCP keep-alive out).
        let link = permalink::preset_link("nat-idle");
        assert!(crate::full_build::link_needs_full_build(&link), "{link}");
        // So does the server's events' preset.
        let s = s0.clone().reduce(Action::SelectPreset("live-scores".into()));
        assert!(Rc::ptr_eq(&s, &s0));
        assert!(crate::full_build::link_needs_full_build(&permalink::preset_link("live-scores")));
    }

    #[test]
    fn hiding_the_ladders_protocol_moves_the_ladder_to_a_shown_one() {
        let s = state();
        assert_eq!(s.ladder.map(|(p, _)| p), Some(Protocol::Http10.into()));
        let s = s.reduce(Action::SetProtocol(Protocol::Http10, false));
        assert_eq!(s.ladder.map(|(p, _)| p), Some(Protocol::Http11.into()));
        assert_eq!(s.waterfall, Protocol::Http11.into());
        let s = s
            .reduce(Action::SetProtocol(Protocol::Http11, false))
            .reduce(Action::SetProtocol(Protocol::H2, false));
        assert!(s.error(Field::Protocols).is_some());
        assert_eq!(s.shown.protocols(), vec![Protocol::H2], "the last good choice stays shown");
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
    fn speed_steps_in_order_of_rate_with_fit_at_its_own_rate() {
        let slowest_of =
            |fit: f64| Speed::CHOICES.into_iter().min_by(|a, b| a.rate(fit).total_cmp(&b.rate(fit))).unwrap();
        // Textbook: Fit plays 4 s for a timeline of well under a second.
        let s = state();
        assert_eq!(s.speed, Speed::Fit);
        let fit = s.rate();
        let next_faster = Speed::CHOICES
            .into_iter()
            .filter(|c| c.rate(fit) > fit)
            .min_by(|a, b| a.rate(fit).total_cmp(&b.rate(fit)))
            .unwrap();
        let s = s.reduce(Action::Faster);
        assert_eq!(s.speed, next_faster, "] from Fit plays faster than Fit did");
        assert!(s.rate() > fit);
        let s = s.reduce(Action::Slower);
        assert_eq!(s.speed, Speed::Fit, "[ comes back to Fit");
        let mut slow = s;
        for _ in 0..Speed::CHOICES.len() {
            slow = slow.reduce(Action::Slower);
        }
        assert_eq!(slow.speed, slowest_of(fit), "the slowest choice is the floor");
        // API polling: a 35 s timeline in 4 s is faster than every factor.
        let polling = Rc::new(AppState::initial(Some("api-polling")).unwrap());
        let fit = polling.rate();
        assert!(Speed::CHOICES.iter().all(|c| c.rate(fit) <= fit));
        assert_eq!(polling.clone().reduce(Action::Faster).speed, Speed::Fit, "nothing is faster");
        assert_eq!(polling.reduce(Action::Slower).speed, Speed::Factor(2.0));
        for choice in Speed::CHOICES {
            assert_eq!(Speed::parse(&choice.key()), choice);
        }
    }

    #[test]
    fn zoom_is_shared_kept_in_the_link_and_follows_the_playhead() {
        let s = Rc::new(AppState::initial(Some("api-polling")).unwrap());
        let end = s.axis_end_ms();
        assert_eq!(s.window(), Window::whole(end));
        let s = s.reduce(Action::Seek(10_000.0)).reduce(Action::Zoom(8.0, None));
        let w = s.window();
        assert!((w.span_ms() - end / 8.0).abs() < 1e-6, "{w:?}");
        assert!(w.start_ms <= 10_000.0 && 10_000.0 <= w.end_ms, "zoomed around the playhead");
        // The link keeps the window (to a tenth of a ms) and "until connections close".
        let s = s.reduce(Action::SetFollowCloses(true));
        let opened = AppState::from_query(&s.link()).unwrap();
        assert!(opened.follow_closes);
        let (a, b) = (opened.window(), s.window());
        assert!(
            (a.start_ms - b.start_ms).abs() <= 0.05 && (a.end_ms - b.end_ms).abs() <= 0.05,
            "{a:?} {b:?}"
        );
        // Playing past the window's end turns the page.
        let far = s.clone().reduce(Action::Seek(w.end_ms + 1000.0));
        assert!(far.window().start_ms <= far.playhead_ms && far.playhead_ms <= far.window().end_ms);
        // Zooming out past the whole axis is the whole axis, and not written in the link.
        let whole = s.reduce(Action::Zoom(1.0 / 64.0, None));
        assert_eq!(whole.zoom, None);
        assert!(!whole.link().contains("&z="));
    }

    #[test]
    fn zooming_to_the_keep_alive_race_makes_it_wide() {
        let s = Rc::new(AppState::initial(Some("api-polling")).unwrap());
        let shown = s.shown.clone();
        let run = shown.run.get(Protocol::Http11).unwrap();
        let lost = run.connections.iter().find_map(|c| c.lost.first()).expect("a lost request").clone();
        let s = s.reduce(Action::Explain(Some(Rc::new(run.explain(Item::Lost { event: lost.event })))));
        let s = s.reduce(Action::ZoomToExplained);
        let w = s.window();
        assert!(w.start_ms <= lost.sent_ms && lost.lost_ms <= w.end_ms, "{w:?} {lost:?}");
        // On a 900 px plot the race (send to the client learning of the
        // close) is far wider than the 2 px it is on the whole 35 s axis.
        let px_per_ms = 900.0 / w.span_ms();
        assert!((lost.lost_ms - lost.sent_ms) * px_per_ms > 20.0, "{w:?}");
        assert!((lost.lost_ms - lost.sent_ms) * 900.0 / s.axis_end_ms() < 2.0, "it was a sliver unzoomed");
    }

    #[test]
    fn a_link_reopens_the_same_scenario_view_and_results() {
        let s = Rc::new(AppState::initial(Some("modern-page")).unwrap())
            .reduce(Action::SetText(Field::Rtt, "80".into()))
            .reduce(Action::SetText(Field::KeepAlive, "2500".into()))
            .reduce(Action::SetProtocol(Protocol::Http10, false))
            .reduce(Action::SetWaterfall(Protocol::H2.into()))
            .reduce(Action::Seek(321.5));
        let conn = s.shown.run.get(Protocol::Http11).unwrap().connections[2].id;
        let s = s.reduce(Action::SelectConnection(Protocol::Http11.into(), conn));
        let opened = AppState::from_query(&s.link()).unwrap();
        assert_eq!(opened.notice, None);
        assert_eq!(opened.preset_id, s.preset_id);
        assert_eq!(opened.form, s.form);
        assert_eq!(opened.shown.run.scenario, s.shown.run.scenario);
        assert_eq!(opened.shown.columns, s.shown.columns);
        for p in &s.shown.columns {
            let (a, b) = (opened.shown.run.get(*p).unwrap(), s.shown.run.get(*p).unwrap());
            assert_eq!(a.output.result, b.output.result, "{p:?}");
        }
        assert_eq!(
            (opened.ladder, opened.waterfall, opened.playhead_ms),
            (s.ladder, s.waterfall, s.playhead_ms)
        );
        assert_eq!(opened.link(), s.link());
    }

    /// Variants on one clock (the full build; the `full-build` test step
    /// runs `variants::`).
    #[cfg(feature = "variants")]
    mod variants {
        use super::*;

        /// K&R's four answers (chapter 2.2) play as the player's columns, each
        /// its own lanes, totals column and waterfall tab: base + N = 10 objects
        /// at RTT 100 ms load in 2(N + 1)·RTT, 2·RTT + ⌈N/5⌉·2·RTT, (N + 2)·RTT
        /// and 3·RTT.
        #[test]
        fn k_and_r_play_as_columns_on_one_clock_and_their_link_reopens_them() {
            let specs: Vec<String> =
                crate::full_build::VARIANTS_START.iter().map(|s| s.to_string()).collect();
            let s = Rc::new(AppState::initial(Some("textbook")).unwrap())
                .reduce(Action::SetVariants(specs.clone()));
            let n = s.shown.run.scenario.requests.len() as f64 - 1.0;
            let rtt = s.shown.run.scenario.network.rtt_ms;
            let expected =
                [2.0 * (n + 1.0) * rtt, 2.0 * rtt + (n / 5.0).ceil() * 2.0 * rtt, (n + 2.0) * rtt, 3.0 * rtt];
            let loads: Vec<f64> = s.shown.runs().map(|r| r.page_load_ms()).collect();
            assert_eq!(loads, expected);
            let columns: Vec<Column> = (0..4).map(Column::Variant).collect();
            assert_eq!(s.shown.columns, columns);
            let labels: Vec<&str> = s.shown.runs().map(|r| &*r.label).collect();
            assert_eq!(labels, ["non-persistent", "non-persistent ×5", "persistent", "pipelined"]);
            assert_eq!(
                s.shown.protocols(),
                [Protocol::Http10, Protocol::Http10, Protocol::Http11, Protocol::Http11]
            );
            assert_eq!(s.waterfall, Column::Variant(0));
            assert_eq!(s.ladder.map(|(c, _)| c), Some(Column::Variant(0)));
            // The time axis runs past the slowest variant.
            assert!(s.axis_end_ms() >= expected[0], "{}", s.axis_end_ms());
            // Hovering object k of the persistent variant says it was done k·RTT
            // earlier than non-persistent: (k + 2)·RTT against 2(k + 1)·RTT.
            let k = 3;
            let persistent = s.shown.run.get(Column::Variant(2)).unwrap();
            let item = Item::Request { request: k, phase: crate::view_model::Phase::Download };
            let e = s.shown.run.explain(Column::Variant(2), item).unwrap();
            let last = &e.lines.last().unwrap().1;
            assert!(
                last.ends_with(&format!("{} ms earlier than non-persistent.", f64::from(k) * rtt)),
                "{last}"
            );
            assert!(e.title.starts_with("persistent · "), "{}", e.title);
            // The first variant is the others' baseline, so it says no difference.
            let first = s.shown.run.explain(Column::Variant(0), item).unwrap();
            assert!(!first.lines.iter().any(|(_, l)| l.contains("earlier than")), "{first:?}");
            // The link carries the variants and the columns chosen.
            let conn = persistent.connections[0].id;
            let s = s
                .reduce(Action::SetWaterfall(Column::Variant(3)))
                .reduce(Action::SelectConnection(Column::Variant(2), conn));
            let link = s.link();
            assert!(link.contains("&wf=v3") && link.contains(&format!("&c=v2-{conn}")), "{link}");
            let opened = AppState::from_query(&link).unwrap();
            assert_eq!(opened.notice, None);
            assert_eq!((opened.waterfall, opened.ladder), (s.waterfall, s.ladder));
            assert_eq!(opened.shown.runs().map(|r| r.page_load_ms()).collect::<Vec<_>>(), expected);
            // Closing the variants brings the protocols back.
            let closed = s.clone().reduce(Action::SetVariants(Vec::new()));
            assert!(
                closed.shown.columns.iter().all(|c| matches!(c, Column::Protocol(_))),
                "{:?}",
                closed.shown.columns
            );
            assert!(matches!(closed.waterfall, Column::Protocol(_)));
            // A variant that no longer applies is said, and the last good run stays.
            let bad = closed.clone().reduce(Action::SetVariants(vec!["x:cl=0".into()]));
            assert!(bad.error(Field::General).is_some_and(|m| m.contains("\"x\"")), "{:?}", bad.errors);
            assert!(
                Rc::ptr_eq(&bad.shown.0, &closed.shown.0) && !bad.plays_variants(),
                "shown and variants agree"
            );
            assert!(!bad.link().contains("var="), "{}", bad.link());
            // Reordered, the waterfall and the ladder follow their variant by its label.
            let reordered = vec![specs[2].clone(), specs[1].clone(), specs[3].clone()];
            let moved = s.clone().reduce(Action::SetVariants(reordered));
            assert_eq!(moved.waterfall, Column::Variant(2), "pipelined moved from fourth to third");
            assert_eq!(
                moved.ladder,
                Some((Column::Variant(0), conn)),
                "persistent moved from third to first"
            );
        }
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
        assert_eq!(s.shown.protocols(), vec![Protocol::Http10, Protocol::Http11]);
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
