use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::layout::num;

use super::Dispatch;
use crate::layout::format_ms;
use crate::state::{Action, AppState, Speed};
use reuse_sim::trace::PauseAt;

/// Play, pause, step, scrub, zoom, speed; and the keyboard help line. The
/// embed's small play bar (`compact`) has no speed, options or key help.
pub fn transport(s: &AppState, dispatch: &Dispatch, compact: bool) -> Html {
    let end_ms = s.axis_end_ms();
    let window = s.window();
    let zoomed = s.zoom.is_some();
    let on_scrub = {
        let d = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let v = reuse_sim::time::parse_decimal(&e.target_unchecked_into::<HtmlInputElement>().value())
                .unwrap_or(0.0);
            d.dispatch(Action::Seek(v));
        })
    };
    let on_speed = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            d.dispatch(Action::SetSpeed(Speed::parse(
                &e.target_unchecked_into::<HtmlSelectElement>().value(),
            )))
        })
    };
    let on_pause_at = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.dispatch(Action::SetPauseAt(
                value.parse::<usize>().ok().and_then(|i| PauseAt::ALL.get(i).copied()),
            ))
        })
    };
    let play_label = if s.playing { "Pause" } else { "Play" };
    html! {
        <div class="transport" id="player" tabindex="-1" role="group" aria-label="Playback">
            <div class="buttons">
                { button(dispatch, || Action::ToStart, "Go to start", "Home", "to-start", icon("M3 3h2v10H3zM13 3L6 8l7 5z"), false) }
                { button(dispatch, || Action::StepBack, "Previous event", "←", "step-back", icon("M10 3L3 8l7 5zM11 3h2v10h-2z"), false) }
                <button type="button" class="play" onclick={act(dispatch, || Action::TogglePlay)} title="Play or pause (Space)"
                    aria-pressed={s.playing.to_string()} data-testid="play" data-playing={s.playing.to_string()}>
                    { icon(if s.playing { "M4 3h3v10H4zM9 3h3v10H9z" } else { "M4 3l9 5-9 5z" }) }{ play_label }
                </button>
                { button(dispatch, || Action::StepForward, "Next event", "→", "step-forward", icon("M3 3h2v10H3zM6 3l7 5-7 5z"), false) }
                { button(dispatch, || Action::ToEnd, "Go to end", "End", "to-end", icon("M3 3l7 5-7 5zM11 3h2v10h-2z"), false) }
            </div>
            <input type="range" class="scrub" min="0" max={num(end_ms)} step="any"
                value={num(s.playhead_ms)} oninput={on_scrub} aria-label="Time (scrub)"
                aria-valuetext={format_ms(s.playhead_ms)} data-testid="scrub" />
            <output class="clock" data-testid="playhead" data-value={num(s.playhead_ms)}>
                { format_ms(s.playhead_ms) }
            </output>
            <div class="zoom" role="group" aria-label="Zoom of the time axis">
                { button(dispatch, || Action::Zoom(0.5, None), "Zoom out", "-", "zoom-out", html! { "−" }, !zoomed) }
                { button(dispatch, || Action::Zoom(2.0, None), "Zoom in", "+", "zoom-in", html! { "+" }, false) }
                { button(dispatch, || Action::ZoomWhole, "The whole timeline", "0", "zoom-whole", html! { "Whole" }, !zoomed) }
                if zoomed {
                    <span class="zoom-range" data-testid="zoom-range" data-start={num(window.start_ms)}
                        data-end={num(window.end_ms)}>
                        { format!("{} – {}", format_ms(window.start_ms), format_ms(window.end_ms)) }
                    </span>
                }
            </div>
            if !compact {
                <label class="speed"><span class="visually-hidden">{ "Speed" }</span>
                    <select onchange={on_speed} data-testid="speed" title="Playback speed ([ slower, ] faster)">
                        { for Speed::CHOICES.iter().map(|choice| html! {
                            <option value={choice.key()} selected={*choice == s.speed}>{ choice.label() }</option>
                        }) }
                    </select>
                </label>
                // Breakpoints: static markup (the select keeps its own choice), one change handler.
                <span class="speed" onchange={on_pause_at}>{ Html::from_html_unchecked(pause_at_select().into()) }</span>
                { Html::from_html_unchecked(KEYS.into()) }
            }
        </div>
    }
}

/// The breakpoint's choices, value `i` for `PauseAt::ALL[i]` named by
/// `PauseAt::name` (a test holds them in step), as static markup: less
/// wasm than `html!` or a loop, and the select keeps its own choice.
fn pause_at_select() -> &'static str {
    concat!(
        r#"<select data-testid="pause-at" aria-label="Pause at" title="Playing pauses at the next moment of this kind">"#,
        r#"<option value="">Don't pause</option><option value="0">new connection</option>"#,
        r#"<option value="1">request queued</option><option value="2">server queued</option>"#,
        r#"<option value="3">held by loss</option><option value="4">retransmission</option>"#,
        r#"<option value="5">idle close</option><option value="6">request retried</option></select>"#,
    )
}

/// The keys, as one static string (less wasm than the same tree in `html!`).
/// Folded behind "Keys" so the play bar stays one line on a projector.
const KEYS: &str = concat!(
    r#"<details class="keys" data-testid="keys"><summary>Keys</summary><p><kbd>Space</kbd> play/pause · <kbd>←</kbd>/<kbd>→</kbd> "#,
    r#"previous/next event · <kbd>Home</kbd>/<kbd>End</kbd> start/end · <kbd>[</kbd>/<kbd>]</kbd> slower/faster · "#,
    r#"<kbd>+</kbd>/<kbd>-</kbd> zoom · <kbd>0</kbd> whole · <kbd>Shift+←/→</kbd> pan · "#,
    r#"<kbd>Z</kbd> zoom to the item explained · Ctrl+wheel or pinch zooms, drag pans · Tab reaches every bar</p></details>"#,
);

fn act(dispatch: &Dispatch, action: fn() -> Action) -> Callback<MouseEvent> {
    let d = dispatch.clone();
    Callback::from(move |_: MouseEvent| d.dispatch(action()))
}

/// A button of the play bar, named for screen readers, its key in the tooltip.
fn button(
    dispatch: &Dispatch,
    action: fn() -> Action,
    name: &'static str,
    key: &'static str,
    testid: &'static str,
    face: Html,
    disabled: bool,
) -> Html {
    html! {
        <button type="button" class="icon" onclick={act(dispatch, action)} title={format!("{name} ({key})")}
            aria-label={name} data-testid={testid} {disabled}>{ face }</button>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_breakpoint_choices_are_the_engines_kinds_in_order() {
        let markup = pause_at_select();
        let values: Vec<&str> =
            markup.split("<option value=\"").skip(1).map(|o| &o[..o.find('"').expect("value end")]).collect();
        let expected: Vec<String> =
            std::iter::once(String::new()).chain((0..PauseAt::ALL.len()).map(|i| i.to_string())).collect();
        assert_eq!(values, expected);
        // Each choice is the engine's name for its kind (the name a stop's explanation gives).
        for (i, kind) in PauseAt::ALL.iter().enumerate() {
            let option = format!(r#"<option value="{i}">{}</option>"#, kind.name());
            assert!(markup.contains(&option), "{option} in {markup}");
        }
    }
}
