use std::rc::Rc;

use yew::prelude::*;

use super::controls::Controls;
use super::ladder::Ladder;
use super::lanes::Lanes;
use super::legend::Legend;
use super::patterns::patterns;
use super::share::{card_head, share_bar};
use super::totals::Totals;
use super::transport::Transport;
use super::waterfall::Waterfall;
use super::why_panel::WhyPanel;
use crate::hooks::{use_animation_frame, use_element_width, use_keyboard_shortcuts, Shortcut};
use crate::params::Field;
use crate::permalink::Views;
use crate::state::{Action, AppState};

/// Room taken by a card's padding and border around a view's SVG.
const CARD_CHROME_PX: f64 = 26.0;

#[derive(Properties)]
pub struct LabProps {
    pub initial: Rc<AppState>,
}

impl PartialEq for LabProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.initial, &other.initial)
    }
}

/// The app once its first simulation exists: the state (one reducer), the
/// playback loop, keyboard shortcuts, the views' width, and the page layout.
#[function_component]
pub fn Lab(props: &LabProps) -> Html {
    let state = {
        let initial = props.initial.clone();
        use_reducer(move || (*initial).clone())
    };
    let dispatch = state.dispatcher();

    let on_frame = {
        let d = dispatch.clone();
        use_callback((), move |now: f64, _| d.dispatch(Action::Frame(now)))
    };
    use_animation_frame(state.playing, on_frame);

    let on_shortcut = {
        let d = dispatch.clone();
        use_callback((), move |s: Shortcut, _| {
            d.dispatch(match s {
                Shortcut::TogglePlay => Action::TogglePlay,
                Shortcut::StepForward => Action::StepForward,
                Shortcut::StepBack => Action::StepBack,
                Shortcut::ToStart => Action::ToStart,
                Shortcut::ToEnd => Action::ToEnd,
                Shortcut::Faster => Action::Faster,
                Shortcut::Slower => Action::Slower,
            })
        })
    };
    use_keyboard_shortcuts(on_shortcut);

    let views_ref = use_node_ref();
    let on_width = {
        let d = dispatch.clone();
        use_callback((), move |w: f64, _| d.dispatch(Action::Resize(w)))
    };
    use_element_width(views_ref.clone(), on_width);

    // The address follows what is on screen (not every frame of playback):
    // copying it shares exactly this view.
    let link = AttrValue::from(state.link());
    {
        let (link, playing) = (link.clone(), state.playing);
        use_effect_with((link, playing), |(link, playing)| {
            if !*playing {
                replace_query(link);
            }
        });
    }

    let s = &*state;
    let end = s.axis_end_ms();
    let plot_w = (s.width_px - CARD_CHROME_PX).max(240.0).floor();
    let general = s.error(Field::General).map(str::to_string);
    let stale = !s.errors.is_empty();
    // One tree for the app and the embed (`?embed=1`): the embed drops the
    // editor, the share bar and the hints, and shows only its chosen views.
    let embedded = s.embed.is_some();
    let views = s.embed.map_or(Views::ALL, |e| e.views);
    let head = |id: &'static str, title: &'static str, view: &'static str| {
        card_head(id, title, (!embedded).then_some((view, &link)))
    };
    html! {
        <>
            { patterns() }
            if !embedded {
                <header class="top">
                    <h1><img src="favicon.svg" alt="" width="28" height="28" />{ " Reuse Lab" }</h1>
                    <p class="tagline">{ "HTTP/1.0, HTTP/1.1 and HTTP/2 on one clock: every handshake, packet and idle timeout, simulated in your browser." }</p>
                </header>
            }
            <div class={classes!("layout", embedded.then_some("embedded"))}>
                if !embedded {
                    <aside class="panel">
                        <Controls preset_id={s.preset_id.clone()} form={s.form.clone()} errors={s.errors.clone()}
                            uplink_mbps={s.shown.run.scenario.network.uplink_mbps} compact={s.width_px < 600.0}
                            dispatch={dispatch.clone()} />
                    </aside>
                }
                <main id="views" ref={views_ref} class={classes!(embedded.then_some("embed"))}
                    data-testid={embedded.then_some("embed")}>
                    if embedded {
                        <header class="embed-head">
                            <span class="embed-title">
                                { reuse_sim::presets::find(&s.preset_id).map_or("Reuse Lab", |p| p.title) }
                            </span>
                            <a href={format!("./{}", s.full_app_link())} target="_blank" rel="noopener"
                                data-testid="open-full">{ "Open in Reuse Lab ↗" }</a>
                        </header>
                    }
                    <Transport playing={s.playing} playhead_ms={s.playhead_ms} end_ms={end} speed={s.speed}
                        follow_closes={s.follow_closes} dispatch={dispatch.clone()} compact={embedded} />
                    if !embedded {
                        { share_bar(&link) }
                    }
                    { notice(s, &dispatch) }
                    if let Some(message) = general {
                        <p class="banner error" role="alert" data-testid="error-general">{ message }</p>
                    }
                    if stale {
                        <p class="banner stale" data-testid="stale">{ "Showing the last valid simulation until the highlighted field is fixed." }</p>
                    }
                    if views.totals {
                        <section class="card" aria-labelledby="h-totals">
                            { head("h-totals", "Overhead totals", "totals") }
                            <Totals shown={s.shown.clone()} />
                        </section>
                    }
                    if views.lanes {
                        <section class="card" aria-labelledby="h-lanes">
                            { head("h-lanes", "Connections", "lanes") }
                            if !embedded {
                                <p class="hint">{ "One row per TCP connection: set-up (DNS, TCP, TLS), then each request — waiting light, downloading dark — then idle keep-alive time and the close. Click a row to see its packets below." }</p>
                            }
                            <Legend lanes=true />
                            <Lanes shown={s.shown.clone()} width={plot_w} axis_end_ms={end} playhead_ms={s.playhead_ms}
                                selected={s.ladder} dispatch={dispatch.clone()} />
                        </section>
                    }
                    if views.waterfall {
                        <section class="card" aria-labelledby="h-waterfall">
                            { head("h-waterfall", "Request waterfall", "waterfall") }
                            <Waterfall shown={s.shown.clone()} protocol={s.waterfall} width={plot_w} axis_end_ms={end}
                                playhead_ms={s.playhead_ms} dispatch={dispatch.clone()} />
                        </section>
                    }
                    if views.ladder {
                        <section class="card" aria-labelledby="h-ladder">
                            { head("h-ladder", "Ladder diagram", "ladder") }
                            <Ladder shown={s.shown.clone()} selected={s.ladder} width={plot_w} playhead_ms={s.playhead_ms}
                                dispatch={dispatch.clone()} />
                        </section>
                    }
                </main>
            </div>
            <WhyPanel explanation={s.explanation.clone()} />
        </>
    }
}

/// Why the address could not be opened, until dismissed.
fn notice(s: &AppState, dispatch: &super::Dispatch) -> Html {
    let Some(text) = s.notice.clone() else { return Html::default() };
    let d = dispatch.clone();
    html! {
        <p class="banner error" role="alert" data-testid="link-error">
            { text }
            <button type="button" class="small" onclick={Callback::from(move |_| d.dispatch(Action::DismissNotice))}>
                { "Dismiss" }
            </button>
        </p>
    }
}

/// Puts `query` in the address bar without a navigation or a history entry.
fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else { return };
    if window.location().search().ok().as_deref() == Some(query) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query));
    }
}
