use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::layout::num;

use super::Dispatch;
use crate::state::{Action, Speed};
use crate::view_model::fmt_ms;

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    pub playing: bool,
    pub playhead_ms: f64,
    pub end_ms: f64,
    pub speed: Speed,
    pub follow_closes: bool,
    pub dispatch: Dispatch,
    /// The embed's small play bar: no speed, no options, no key help.
    #[prop_or_default]
    pub compact: bool,
}

/// Play, pause, step, scrub, speed; and the keyboard help line.
#[function_component]
pub fn Transport(props: &TransportProps) -> Html {
    let d = props.dispatch.clone();
    let act = move |a: fn() -> Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(a()))
    };
    let on_scrub = {
        let d = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let v: f64 = e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(0.0);
            d.dispatch(Action::Seek(v));
        })
    };
    let on_speed = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            d.dispatch(Action::SetSpeed(Speed::parse(
                &e.target_unchecked_into::<HtmlSelectElement>().value(),
            )))
        })
    };
    let on_follow = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            d.dispatch(Action::SetFollowCloses(e.target_unchecked_into::<HtmlInputElement>().checked()))
        })
    };
    let play_label = if props.playing { "Pause" } else { "Play" };
    html! {
        <div class="transport" role="group" aria-label="Playback">
            <div class="buttons">
                <button type="button" class="icon" onclick={act(|| Action::ToStart)} title="Start (Home)"
                    aria-label="Go to start" data-testid="to-start">{ icon("M3 3h2v10H3zM13 3L6 8l7 5z") }</button>
                <button type="button" class="icon" onclick={act(|| Action::StepBack)} title="Previous event (←)"
                    aria-label="Previous event" data-testid="step-back">{ icon("M10 3L3 8l7 5zM11 3h2v10h-2z") }</button>
                <button type="button" class="play" onclick={act(|| Action::TogglePlay)} title="Play or pause (Space)"
                    aria-pressed={props.playing.to_string()} data-testid="play" data-playing={props.playing.to_string()}>
                    { icon(if props.playing { "M4 3h3v10H4zM9 3h3v10H9z" } else { "M4 3l9 5-9 5z" }) }{ play_label }
                </button>
                <button type="button" class="icon" onclick={act(|| Action::StepForward)} title="Next event (→)"
                    aria-label="Next event" data-testid="step-forward">{ icon("M3 3h2v10H3zM6 3l7 5-7 5z") }</button>
                <button type="button" class="icon" onclick={act(|| Action::ToEnd)} title="End (End)"
                    aria-label="Go to end" data-testid="to-end">{ icon("M3 3l7 5-7 5zM11 3h2v10h-2z") }</button>
            </div>
            <input type="range" class="scrub" min="0" max={num(props.end_ms)} step="any"
                value={num(props.playhead_ms)} oninput={on_scrub} aria-label="Time (scrub)"
                aria-valuetext={fmt_ms(props.playhead_ms)} data-testid="scrub" />
            <output class="clock" data-testid="playhead" data-value={num(props.playhead_ms)}>
                { fmt_ms(props.playhead_ms) }
            </output>
            if !props.compact {
            <label class="speed">{ "Speed " }
                <select onchange={on_speed} data-testid="speed">
                    { for Speed::CHOICES.iter().map(|s| html! {
                        <option value={s.key()} selected={*s == props.speed}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            <label class="follow">
                <input type="checkbox" checked={props.follow_closes} onchange={on_follow} data-testid="follow-closes" />
                { " Until connections close" }
            </label>
            <p class="keys" aria-label="Keyboard shortcuts">
                <kbd>{ "Space" }</kbd>{ " play/pause · " }<kbd>{ "→" }</kbd>{ " next event · " }<kbd>{ "←" }</kbd>
                { " previous · " }<kbd>{ "Home" }</kbd>{ "/" }<kbd>{ "End" }</kbd>{ " start/end · " }<kbd>{ "[" }</kbd>
                { "/" }<kbd>{ "]" }</kbd>{ " slower/faster" }
            </p>
            }
        </div>
    }
}

/// A 16×16 icon drawn in the text colour (no icon font: every glyph renders).
fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon-svg" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d={path} />
        </svg>
    }
}
