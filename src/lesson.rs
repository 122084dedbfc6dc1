//! Lesson mode (full build): `?lesson=ID&step=N` opens a step of one of the
//! engine's lessons (`reuse_sim::lesson`, the files of `lessons/`). Until
//! the reader answers, nothing that gives the answer away is on screen: no
//! views, no totals, no editor, and the address is the lesson's, not the
//! scenario's. The answer plays the step from the start, stopping at the
//! step's moments with the engine's words for each.
//!
//! Pure: no web types; tested natively.

use std::rc::Rc;

use reuse_sim::lesson::{builtin, Lesson, Step, Truth};
use reuse_sim::{Protocol, RunResult, SimError};

use crate::permalink::{push_embed, Embed};
use crate::state::{AppState, Shown};
use crate::view_model::Explanation;

/// The app state's lesson: shared, compared by identity (the first load
/// carries the field but never a lesson, so it must cost next to nothing
/// there: no deep comparison, clone or debug printing of lessons).
/// In the first load the slot holds an uninhabited type: it is always
/// empty, and the compiler drops every lesson path from that build.
#[derive(Clone, Default)]
pub struct LessonSlot(Option<Rc<Held>>);

#[cfg(all(feature = "quic", feature = "keepalive"))]
type Held = LessonMode;
#[cfg(not(all(feature = "quic", feature = "keepalive")))]
type Held = std::convert::Infallible;

impl LessonSlot {
    #[cfg(all(feature = "quic", feature = "keepalive"))]
    pub fn get(&self) -> Option<&LessonMode> {
        self.0.as_deref()
    }
    #[cfg(not(all(feature = "quic", feature = "keepalive")))]
    pub fn get(&self) -> Option<&LessonMode> {
        None
    }

    #[cfg(all(feature = "quic", feature = "keepalive"))]
    fn set(&mut self, mode: LessonMode) {
        self.0 = Some(Rc::new(mode));
    }
    #[cfg(not(all(feature = "quic", feature = "keepalive")))]
    fn set(&mut self, _: LessonMode) {}

    /// The step, to change (copied first if shared).
    #[cfg(all(feature = "quic", feature = "keepalive"))]
    fn step_mut(&mut self) -> Option<&mut LessonStep> {
        match self.0.as_mut().map(Rc::make_mut) {
            Some(LessonMode::Step(l)) => Some(l),
            _ => None,
        }
    }
    #[cfg(not(all(feature = "quic", feature = "keepalive")))]
    fn step_mut(&mut self) -> Option<&mut LessonStep> {
        None
    }
}

impl PartialEq for LessonSlot {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl std::fmt::Debug for LessonSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "LessonSlot(..)" } else { "LessonSlot(None)" })
    }
}

/// What the lesson part of the page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonMode {
    /// The list of lessons (`?lesson=` without a known id), with why.
    List {
        notice: Option<String>,
    },
    Step(LessonStep),
}

#[derive(Clone, Debug, PartialEq)]
pub struct LessonStep {
    pub lesson: Rc<Lesson>,
    /// 0-based.
    pub index: usize,
    pub answered: Option<Answered>,
    /// Why the last reply could not be read ("type a number").
    pub reply_error: Option<String>,
    /// Where the player stops once answered: each time, and the engine's
    /// words for the moment.
    pub pauses: Vec<(f64, Rc<Explanation>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answered {
    /// `None`: the reader asked to be shown without answering.
    pub right: Option<bool>,
    /// The engine's answer in words.
    pub says: String,
    /// The step's explanation with the run's figures.
    pub explain: String,
}

impl LessonMode {
    /// The question waits for the reader (or the list is shown).
    pub fn hides_answer(&self) -> bool {
        match self {
            LessonMode::List { .. } => true,
            LessonMode::Step(l) => l.answered.is_none(),
        }
    }
}

impl LessonStep {
    pub fn step(&self) -> &Step {
        &self.lesson.steps[self.index]
    }
}

/// The lesson's address: `?lesson=ID&step=N` (1-based) and any embed keys.
pub fn address(mode: &LessonMode, embed: Option<Embed>) -> String {
    let mut q = match mode {
        LessonMode::List { .. } => "?lesson=".to_string(),
        LessonMode::Step(l) => format!("?lesson={}&step={}", l.lesson.id, l.index + 1),
    };
    push_embed(&mut q, embed);
    q
}

/// The app at a lesson's step (`step` 1-based, clamped to the lesson), or
/// the list of lessons when there is no lesson `id`.
pub fn state_for(id: &str, step: usize, embed: Option<Embed>) -> Result<AppState, SimError> {
    let Some(lesson) = builtin(id) else {
        let mut s = AppState::initial(None)?;
        let notice = (!id.is_empty()).then(|| format!("There is no lesson \"{id}\"."));
        s.lesson.set(LessonMode::List { notice });
        s.embed = embed;
        return Ok(s);
    };
    let index = step.clamp(1, lesson.steps.len()) - 1;
    let mut s = AppState::from_query(&lesson.steps[index].link)?;
    s.embed = embed;
    s.playing = false;
    s.playhead_ms = 0.0;
    s.lesson.set(LessonMode::Step(LessonStep {
        lesson: Rc::new(lesson),
        index,
        answered: None,
        reply_error: None,
        pauses: Vec::new(),
    }));
    Ok(s)
}

/// The answer from the runs on screen.
pub fn truth(step: &Step, shown: &Shown) -> Option<(Truth, Vec<(Protocol, RunResult)>)> {
    let runs: Vec<(Protocol, RunResult)> = shown.runs().map(|r| (r.protocol, r.result().clone())).collect();
    let borrowed: Vec<(Protocol, &RunResult)> = runs.iter().map(|(p, r)| (*p, r)).collect();
    let truth = step.truth(&shown.run.scenario, &borrowed).ok()?;
    Some((truth, runs))
}

/// Hears the reader's reply (`None`: "show me"): on a reply that cannot be
/// read, says why and keeps the step unanswered; else answers, and plays
/// from the start with the step's stops.
pub fn answer(s: &mut AppState, reply: Option<&str>) {
    let Some(LessonMode::Step(l)) = s.lesson.get() else { return };
    let step = l.step();
    let Some((truth, runs)) = truth(step, &s.shown) else { return };
    let right = match reply.map(|r| truth.accepts(r)).transpose() {
        Ok(right) => right,
        Err(why) => {
            if let Some(l) = s.lesson.step_mut() {
                l.reply_error = Some(why);
            }
            return;
        }
    };
    let scenario = &s.shown.run.scenario;
    let borrowed: Vec<(Protocol, &RunResult)> = runs.iter().map(|(p, r)| (*p, r)).collect();
    let explain = Step::fill(&step.explain, scenario, &borrowed).unwrap_or_else(|e| e.to_string());
    let answered = Answered { right, says: truth.says(scenario.network.rtt_ms), explain };
    let pauses = pauses(step, &s.shown);
    if let Some(l) = s.lesson.step_mut() {
        l.answered = Some(answered);
        l.reply_error = None;
        l.pauses = pauses;
    }
    // A stop after the page load (an idle close) needs the axis to run on
    // until connections close, or the player would end before it.
    if s.lesson.get().is_some_and(
        |m| matches!(m, LessonMode::Step(l) if l.pauses.iter().any(|(t, _)| *t > s.axis_end_ms())),
    ) {
        s.follow_closes = true;
    }
    s.playhead_ms = 0.0;
    s.playing = true;
    s.last_frame_ms = None;
}

/// The step's stops: the first moment of each kind after the start, per
/// shown protocol, in time order.
pub fn pauses(step: &Step, shown: &Shown) -> Vec<(f64, Rc<Explanation>)> {
    let mut out = Vec::new();
    for run in shown.runs() {
        for kind in &step.pause_at {
            let Some(event) = kind.first_in(&run.output.trace) else { continue };
            out.push((event.time.as_ms(), Rc::new(run.pause_explanation(kind.label(), event))));
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// The first stop in `(from, to]`: the playhead moved past it this frame.
pub fn stop_between(mode: Option<&LessonMode>, from_ms: f64, to_ms: f64) -> Option<(f64, Rc<Explanation>)> {
    let Some(LessonMode::Step(l)) = mode else { return None };
    l.pauses.iter().find(|(t, _)| *t > from_ms && *t <= to_ms).cloned()
}

// Lessons exist in the full build only (the first load's slot is always empty).
#[cfg(all(test, feature = "quic", feature = "keepalive"))]
mod tests {
    use super::*;
    use crate::state::Action;
    use yew::Reducible;

    fn step_state(id: &str, step: usize) -> Rc<AppState> {
        Rc::new(state_for(id, step, None).expect("opens"))
    }

    fn lesson_of(s: &AppState) -> &LessonStep {
        match s.lesson.get() {
            Some(LessonMode::Step(l)) => l,
            other => panic!("a step, got {other:?}"),
        }
    }

    #[test]
    fn a_step_opens_unanswered_at_the_start_with_its_own_address() {
        let s = step_state("handshake", 2);
        assert_eq!(lesson_of(&s).index, 1);
        assert!(s.hides_answer());
        assert!(!s.playing);
        assert_eq!(s.playhead_ms, 0.0);
        assert_eq!(s.address(), "?lesson=handshake&step=2");
        // The step's scenario: K&R's page over one connection, two protocols.
        assert_eq!(s.shown.protocols(), vec![Protocol::Http10, Protocol::Http11]);
        assert_eq!(s.shown.run.scenario.client.max_connections_per_host, 1);
        // Steps beyond the lesson open its last; step 0 its first.
        assert_eq!(lesson_of(&step_state("handshake", 99)).index, 2);
        assert_eq!(lesson_of(&step_state("handshake", 0)).index, 0);
    }

    #[test]
    fn an_unknown_lesson_lists_the_lessons_and_says_why() {
        let s = step_state("nope", 1);
        assert!(matches!(s.lesson.get(), Some(LessonMode::List { notice: Some(n) }) if n.contains("nope")));
        assert!(s.hides_answer());
        let listed = step_state("", 1);
        assert_eq!(listed.lesson.get(), Some(&LessonMode::List { notice: None }));
        assert_eq!(listed.address(), "?lesson=");
    }

    #[test]
    fn playing_is_refused_until_the_answer_and_a_wrong_reply_is_kept_out() {
        let s = step_state("handshake", 1);
        let s = s.reduce(Action::TogglePlay);
        assert!(!s.playing, "the animation would give the answer away");
        let s = s.reduce(Action::LessonAnswer(Some("twenty".into())));
        assert!(s.hides_answer());
        assert_eq!(lesson_of(&s).reply_error.as_deref(), Some("type a number"));
        // 2(N + 1) round trips for N = 10 objects (K&R): 21 is wrong, 22 right.
        let wrong = s.clone().reduce(Action::LessonAnswer(Some("21".into())));
        assert_eq!(lesson_of(&wrong).answered.as_ref().and_then(|a| a.right), Some(false));
        let right = s.reduce(Action::LessonAnswer(Some("22".into())));
        let answered = lesson_of(&right).answered.clone().expect("answered");
        assert_eq!(answered.right, Some(true));
        assert!(answered.says.contains("22 round trips"), "{}", answered.says);
        assert!(!answered.explain.contains('{'), "{}", answered.explain);
        assert!(!right.hides_answer());
        assert!(right.playing && right.playhead_ms == 0.0, "the answer plays from the start");
    }

    #[test]
    fn the_player_stops_at_each_moment_with_the_engines_words() {
        let s = step_state("handshake", 1).reduce(Action::LessonAnswer(None));
        let pauses = lesson_of(&s).pauses.clone();
        // HTTP/1.0's second connection opens after the first object's two
        // round trips: 2 × RTT = 200 ms.
        assert_eq!(pauses.len(), 1);
        assert!((pauses[0].0 - 200.0).abs() < 1e-6, "{}", pauses[0].0);
        assert!(pauses[0].1.title.contains("a connection opens"));
        // Frames carry the playhead over the stop: it stops there, paused, explained.
        let mut s = s.reduce(Action::Frame(0.0));
        let mut now = 0.0;
        while s.playing && now < 60_000.0 {
            now += 16.0;
            s = s.reduce(Action::Frame(now));
        }
        assert!((s.playhead_ms - 200.0).abs() < 1e-6, "stopped at {}", s.playhead_ms);
        assert_eq!(s.explanation.as_ref().map(|e| e.title.clone()), Some(pauses[0].1.title.clone()));
        // Play goes on past it to the end.
        let mut s = s.reduce(Action::Play);
        while s.playing && now < 120_000.0 {
            now += 16.0;
            s = s.reduce(Action::Frame(now));
        }
        assert_eq!(s.playhead_ms, s.axis_end_ms());
    }

    #[test]
    fn a_stop_after_the_page_load_runs_the_axis_on_to_the_closes() {
        // 15 s keep-alive: the only idle close comes 15 s after the last call.
        let s = step_state("keepalive-timeout", 3);
        assert!(!s.follow_closes);
        let s = s.reduce(Action::LessonAnswer(None));
        let last_stop = lesson_of(&s).pauses.iter().map(|(t, _)| *t).fold(0.0, f64::max);
        assert!(s.follow_closes && last_stop <= s.axis_end_ms(), "{last_stop} within {}", s.axis_end_ms());
    }

    #[test]
    fn next_step_opens_the_next_scenario_unanswered() {
        let s = step_state("handshake", 1).reduce(Action::LessonAnswer(None));
        let next = s.reduce(Action::LessonGo(2));
        assert_eq!(lesson_of(&next).index, 1);
        assert!(next.hides_answer());
        assert_eq!(next.address(), "?lesson=handshake&step=2");
    }
}
