//! The lesson card (full build only): the step's question and the reader's
//! answer, then the engine's answer, where the animation stops, the
//! explanation with the run's figures, and the way to the next step. Or
//! the list of lessons. The state is [`crate::lesson`]'s.

use reuse_sim::lesson::{Answer, Lesson, Unit, BUILTIN};
use reuse_sim::permalink::protocol_code;
use reuse_sim::result::TOTAL_METRICS;
use reuse_sim::Protocol;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::Dispatch;
use crate::lesson::{LessonMode, LessonStep};
use crate::state::Action;

/// The card's own styles, shipped with it (the full build), not in the
/// first load's style sheet.
const LESSON_CSS: &str = "\
.layout.lesson-mode{grid-template-columns:minmax(17rem,25rem) minmax(0,1fr)}\
@media (max-width:900px){.layout.lesson-mode{grid-template-columns:minmax(0,1fr)}}\
.layout.lesson-list{grid-template-columns:minmax(0,46rem);justify-content:center}\
.lesson h2{font-size:1.05rem;margin:0 0 .3rem}\
.lesson .question{font-size:1rem;line-height:1.45;margin:.4rem 0 .6rem}\
.lesson form{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem .9rem}\
.lesson fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.4rem 1rem}\
.lesson fieldset label,.lesson .reply{display:flex;align-items:center;gap:.35rem;min-height:2rem}\
.lesson input[type=text]{font:inherit;width:6rem;padding:.25rem .4rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--ink)}\
.lesson .verdict{font-weight:600}\
.lesson .explain{line-height:1.5}\
.lesson nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin-top:.6rem}\
.lesson ol{padding-left:1.3rem;line-height:1.45}.lesson li{margin:.45rem 0}\
.lesson .muted{color:var(--muted)}";

/// What the reader types a number in: "round trips", "ms", or the total's name.
fn unit_words(answer: &Answer) -> String {
    match answer {
        Answer::First => String::new(),
        Answer::Number { unit: Unit::Rtt, .. } => "round trips".into(),
        Answer::Number { metric, .. } => TOTAL_METRICS
            .iter()
            .find(|m| m.key == metric)
            .map_or_else(String::new, |m| if m.ms { "ms".into() } else { m.label.to_lowercase() }),
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonCardProps {
    pub mode: LessonMode,
    /// The step's protocols, the choices of "which first".
    pub protocols: Vec<Protocol>,
    /// The step's scenario in the lab (every control in the link).
    pub lab_link: AttrValue,
    pub dispatch: Dispatch,
}

#[function_component]
pub fn LessonCard(props: &LessonCardProps) -> Html {
    let reply = use_state(String::new);
    let step = match &props.mode {
        LessonMode::List { notice } => return lesson_list(notice.as_deref()),
        LessonMode::Step(step) => step,
    };
    let LessonStep { lesson, index, answered, reply_error, pauses } = step;
    let s = step.step();
    let n = lesson.steps.len();
    let heading = html! {
        <h2 id="h-lesson">
            { lesson.title.clone() }
            <span class="muted">{ format!(" · step {} of {n}", index + 1) }</span>
        </h2>
    };
    let body = match answered {
        None => {
            let onsubmit = {
                let (d, reply) = (props.dispatch.clone(), reply.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    d.dispatch(Action::LessonAnswer(Some((*reply).clone())))
                })
            };
            let show_me = {
                let d = props.dispatch.clone();
                Callback::from(move |_| d.dispatch(Action::LessonAnswer(None)))
            };
            let on_input = {
                let reply = reply.clone();
                Callback::from(move |e: InputEvent| {
                    reply.set(e.target_unchecked_into::<HtmlInputElement>().value())
                })
            };
            let field = match &s.answer {
                Answer::First => html! {
                    <fieldset>
                        <legend class="muted">{ "Has the whole page first:" }</legend>
                        { for props.protocols.iter().map(|p| {
                            let code = protocol_code(*p);
                            let on_change = {
                                let reply = reply.clone();
                                Callback::from(move |_| reply.set(code.to_string()))
                            };
                            html! {
                                <label>
                                    <input type="radio" name="lesson-first" value={code} checked={*reply == code}
                                        onchange={on_change} data-testid={format!("lesson-choice-{code}")} />
                                    { p.label() }
                                </label>
                            }
                        }) }
                    </fieldset>
                },
                Answer::Number { .. } => html! {
                    <label class="reply">
                        { "Your answer" }
                        <input type="text" inputmode="decimal" autocomplete="off" value={(*reply).clone()}
                            oninput={on_input} data-testid="lesson-reply"
                            aria-invalid={reply_error.is_some().then_some("true")}
                            aria-describedby={reply_error.is_some().then_some("lesson-reply-error")} />
                        <span class="muted">{ unit_words(&s.answer) }</span>
                    </label>
                },
            };
            html! {
                <form {onsubmit} aria-label="Your prediction">
                    { field }
                    <button type="submit" data-testid="lesson-submit">{ "Answer" }</button>
                    <button type="button" class="small" onclick={show_me} data-testid="lesson-show">
                        { "Show me" }
                    </button>
                    if let Some(why) = reply_error {
                        <p id="lesson-reply-error" class="field-error" role="alert" data-testid="lesson-reply-error">
                            { why.clone() }
                        </p>
                    }
                </form>
            }
        }
        Some(a) => {
            let verdict = match a.right {
                Some(true) => "Right. ",
                Some(false) => "Not quite. ",
                None => "",
            };
            let stops: Vec<String> = {
                let mut kinds = s.pause_at.clone();
                kinds.dedup();
                kinds.iter().map(|k| k.label().to_string()).collect()
            };
            html! {
                <>
                    <p class="verdict" role="status" data-testid="lesson-verdict">{ verdict }{ a.says.clone() }</p>
                    if !pauses.is_empty() {
                        <p class="muted" data-testid="lesson-stops">
                            { format!("The animation stops when {}: press Play (Space) to go on.", stops.join(", or when ")) }
                        </p>
                    }
                    <p class="explain" data-testid="lesson-explain">{ a.explain.clone() }</p>
                </>
            }
        }
    };
    let go = |to: usize| {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::LessonGo(to)))
    };
    let nav = html! {
        <nav aria-label="Lesson steps">
            if *index > 0 {
                <button type="button" onclick={go(*index)} data-testid="lesson-prev">{ "← Previous step" }</button>
            }
            if index + 1 < n {
                <button type="button" onclick={go(index + 2)} data-testid="lesson-next"
                    class={classes!(answered.is_some().then_some("primary"))}>{ "Next step →" }</button>
            } else {
                <a href="?lesson=" data-testid="lesson-all">{ "All lessons" }</a>
            }
            if answered.is_some() {
                <a href={format!("./{}", props.lab_link)} data-testid="lesson-open-lab">{ "Open this step in the lab" }</a>
            }
        </nav>
    };
    html! {
        <section class="lesson" aria-labelledby="h-lesson" data-testid="lesson">
            <style>{ LESSON_CSS }</style>
            { heading }
            if *index == 0 && !lesson.summary.is_empty() {
                <p class="muted">{ lesson.summary.clone() }</p>
            }
            <p class="question" data-testid="lesson-question">{ s.question.clone() }</p>
            { body }
            { nav }
        </section>
    }
}

/// Every built-in lesson, as links.
fn lesson_list(notice: Option<&str>) -> Html {
    html! {
        <section class="lesson" aria-labelledby="h-lesson" data-testid="lesson-list">
            <style>{ LESSON_CSS }</style>
            <h2 id="h-lesson">{ "Lessons: predict, then play" }</h2>
            if let Some(text) = notice {
                <p class="banner error" role="alert">{ text.to_string() }</p>
            }
            <p>{ "Each step asks a question before anything is drawn; your answer plays the simulation, which stops at the moments that answer it." }</p>
            <ol>
                { for BUILTIN.iter().filter_map(|text| Lesson::from_json(text).ok()).map(|l| html! {
                    <li>
                        <a href={format!("?lesson={}", l.id)}>{ l.title }</a>
                        <br /><span class="muted">{ format!("{} ({} steps)", l.summary, l.steps.len()) }</span>
                    </li>
                }) }
            </ol>
            <p><a href="./">{ "Back to the lab" }</a></p>
        </section>
    }
}
