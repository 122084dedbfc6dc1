use std::rc::Rc;

use yew::prelude::*;

use super::controls::{controls, preset_picker, ControlsProps};
use super::ladder::{use_ladder, LadderProps};
use super::lanes::{use_lanes, LanesProps};
use super::legend::legend;
use super::patterns::patterns;
use super::share::{card_head, share_bar};
use super::totals::totals;
use super::transport::transport;
use super::waterfall::{use_waterfall, WaterfallProps};
use super::why_panel::why_panel;
use super::Frozen;
use crate::hooks::{use_animation_frame, use_keyboard_shortcuts, use_time_gestures, use_view_size, Shortcut};
use crate::params::Field;
use crate::permalink::Views;
use crate::state::{Action, AppState};

// The page's fixed words and markup, as strings (`raw`): far less wasm
// than the same elements built by `html!` (DEVELOPERS.md, the first-load budget).
const SKIP_TO_PLAYER: &str =
    "<a class=skip href=#player>Skip to the player (Space plays and pauses from anywhere but a text field)</a>";
const TITLE: &str = "<h1><img src=favicon.svg alt=\"\" width=28 height=28> Reuse Lab</h1>";
const TAGLINE: &str =
    "<p class=tagline>HTTP/1.0, HTTP/1.1 and HTTP/2 on one clock, simulated in your browser.</p>";
const LESSONS_LINK: &str = "<a href=?lesson=>Lessons</a>";
const STALE: &str = "<p class=\"banner stale\" data-testid=stale>Showing the last valid simulation until the highlighted field is fixed.</p>";
const LANES_HINT: &str = "<p class=hint>A row per connection (TCP or QUIC), as the client sees it. Click a row for its packets in the ladder below.</p>";

fn raw(markup: &'static str) -> Html {
    Html::from_html_unchecked(markup.into())
}

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

    // Plain callbacks, not `use_callback`: each hook below reads its callback
    // once, when it starts (the dispatcher they hold never changes).
    let on_frame = {
        let d = dispatch.clone();
        Callback::from(move |now: f64| d.dispatch(Action::Frame(now)))
    };
    use_animation_frame(state.playing, on_frame);

    let on_shortcut = {
        let d = dispatch.clone();
        Callback::from(move |s: Shortcut| {
            d.dispatch(match s {
                Shortcut::TogglePlay => Action::TogglePlay,
                Shortcut::StepForward => Action::StepForward,
                Shortcut::StepBack => Action::StepBack,
                Shortcut::ToStart => Action::ToStart,
                Shortcut::ToEnd => Action::ToEnd,
                Shortcut::Faster => Action::Faster,
                Shortcut::Slower => Action::Slower,
                Shortcut::ZoomIn => Action::Zoom(2.0, None),
                Shortcut::ZoomOut => Action::Zoom(0.5, None),
                Shortcut::ZoomWhole => Action::ZoomWhole,
                Shortcut::PanEarlier => Action::PanShare(-0.25),
                Shortcut::PanLater => Action::PanShare(0.25),
                Shortcut::ZoomToExplained => Action::ZoomToExplained,
            })
        })
    };
    use_keyboard_shortcuts(on_shortcut);

    let views_ref = use_node_ref();
    let on_size = {
        let d = dispatch.clone();
        Callback::from(move |(width, room): (f64, Option<f64>)| {
            d.dispatch(Action::Resize(width));
            if let Some(room) = room {
                d.dispatch(Action::LanesRoom(room));
            }
        })
    };
    use_view_size(views_ref.clone(), on_size);
    let (on_zoom, on_pan) = {
        let (d, d2) = (dispatch.clone(), dispatch.clone());
        (
            Callback::from(move |(factor, share): (f64, f64)| d.dispatch(Action::ZoomAtShare(factor, share))),
            Callback::from(move |share: f64| d2.dispatch(Action::PanShare(share))),
        )
    };
    use_time_gestures(views_ref.clone(), on_zoom, on_pan);

    // The address follows what is on screen (not every frame of playback):
    // copying it shares exactly this view. A view that needs the full build
    // (HTTP/3, or a keep-alive preset) opens again, at that address, there:
    // every control value and the view are in the link.
    let link = AttrValue::from(state.link());
    // The address bar: a lesson's own (`?lesson=…`) while one is open.
    let address =
        if crate::full_build::is_full_build() { AttrValue::from(state.address()) } else { link.clone() };
    // The closed forms beside the totals (`cf=1`, in the link) are worked
    // again in the export worker when what is simulated changes (not the
    // playhead, the zoom or the ladder: the live region would read them
    // out again for nothing).
    let worked_for = use_mut_ref(String::new);
    {
        let (link, playing) = (address.clone(), state.playing);
        let scenario = if state.closed_form {
            // With the variants playing, theirs (the link's `var=`).
            let view = crate::permalink::ViewState {
                #[cfg(feature = "variants")]
                variants: state.variants.clone(),
                ..Default::default()
            };
            crate::permalink::encode(&state.preset_id, &state.shown_form, &view)
        } else {
            String::new()
        };
        let worked_for = worked_for.clone();
        use_effect_with((link, playing), move |(link, playing)| {
            if crate::full_build::link_needs_full_build(link) && !crate::full_build::is_full_build() {
                crate::full_build::open_full_build(link);
            } else if !*playing {
                replace_query(link);
                if *worked_for.borrow() != scenario {
                    if !scenario.is_empty() {
                        super::share::export_file("formula", "", &scenario, "closed-form");
                    }
                    *worked_for.borrow_mut() = scenario;
                }
            }
        });
    }

    let s = &*state;
    let window = s.window();
    let plot_w = (s.width_px - CARD_CHROME_PX).max(240.0).floor();
    // What does not move during playback is built when it changes, not every frame.
    let controls = use_memo(
        ControlsProps {
            preset_id: s.preset_id.clone(),
            form: s.form.clone(),
            errors: s.errors.clone(),
            uplink_mbps: s.shown.run.scenario.network.uplink_mbps,
            compact: s.width_px < 600.0,
            variants: s.plays_variants(),
            dispatch: dispatch.clone(),
        },
        controls,
    );
    let totals = use_memo(s.shown.clone(), |shown| totals(shown));
    // The views (hooks: each keeps its geometry and static layer in memos).
    let lanes = use_lanes(LanesProps {
        shown: s.shown.clone(),
        width: plot_w,
        window,
        room: s.lanes_room_px,
        playhead_ms: s.playhead_ms,
        selected: s.ladder,
        dispatch: dispatch.clone(),
    });
    let waterfall = use_waterfall(WaterfallProps {
        shown: s.shown.clone(),
        column: s.waterfall,
        width: plot_w,
        window,
        playhead_ms: s.playhead_ms,
        dispatch: dispatch.clone(),
    });
    let ladder = use_ladder(LadderProps {
        shown: s.shown.clone(),
        selected: s.ladder,
        width: plot_w,
        playhead_ms: s.playhead_ms,
        window: s.zoom.map(|_| window),
        dispatch: dispatch.clone(),
    });
    let general = s.error(Field::General).map(str::to_string);
    let stale = !s.errors.is_empty();
    // One tree for the app and the embed (`?embed=1`): the embed drops the
    // editor, the share bar and the hints, and shows only its chosen views.
    let embedded = s.embed.is_some();
    let views = s.embed.map_or(Views::ALL, |e| e.views);
    let head = |id: &'static str, title: &'static str, view: &'static str| {
        card_head(id, title, (!embedded).then_some((view, &link)), None)
    };
    // An embed of the curve alone has no clock to play nor bars to explain.
    // A lesson's question hides every view until it is answered (the lesson
    // card is the full build's; `lesson` is `None` in the first load).
    let hidden = s.hides_answer();
    let lesson = match s.lesson.get() {
        Some(mode) if crate::full_build::is_full_build() => html! {
            <super::lesson::LessonCard key={address.to_string()} mode={mode.clone()} protocols={if crate::full_build::is_full_build() { s.shown.protocols() } else { Vec::new() }}
                lab_link={AttrValue::from(s.full_app_link())} dispatch={dispatch.clone()} />
        },
        _ => Html::default(),
    };
    let in_lesson = s.lesson.get().is_some();
    // The list of lessons is the page; a lesson's step sits beside its views.
    let listing = matches!(s.lesson.get(), Some(crate::lesson::LessonMode::List { .. }));
    let views = if hidden {
        Views { totals: false, lanes: false, waterfall: false, ladder: false, curve: false }
    } else {
        views
    };
    let timed = views.lanes || views.totals || views.waterfall || views.ladder;
    // The curve view (full build only), on top when the link has a sweep.
    let curve = match &s.sweep {
        Some(keys) if crate::full_build::is_full_build() && views.curve => html! {
            <super::curve::CurveCard link={crate::curve::sweep_query(&link)} keys={keys.clone()} preset_id={s.preset_id.clone()}
                width={plot_w} {embedded} dispatch={dispatch.clone()} />
        },
        _ => Html::default(),
    };
    // The server's view (full build only), after the totals.
    // Not while the variants play: it labels its bands by protocol.
    let server = if crate::full_build::is_full_build() && s.server && !hidden && !s.plays_variants() {
        html! {
            <super::server::ServerCard shown={s.shown.clone()} width={plot_w} link={link.clone()} {embedded}
                dispatch={dispatch.clone()} clients={s.many_clients()}
                scenario_link={AttrValue::from(crate::permalink::encode(&s.preset_id, &s.shown_form, &Default::default()))} />
        }
    } else {
        Html::default()
    };
    // The server's events fetched five ways (full build only, for a
    // scenario with `push`), after the totals.
    #[cfg(feature = "push")]
    let server = match &s.shown.run.scenario.push {
        Some(_) if crate::full_build::is_full_build() && !hidden && views.totals => html! {
            <>
                { server }
                <super::push::PushCard scenario={s.shown.run.scenario.clone()} width={plot_w} />
            </>
        },
        _ => server,
    };
    // Variants on one clock (full build only, `var=`): they play in the
    // views above, so their editor and figures come after the totals.
    #[cfg(feature = "variants")]
    let server = if crate::full_build::is_full_build() && !s.variants.is_empty() && !hidden {
        html! {
            <>
                <super::variants::VariantsCard key={s.variants.join("\n")} specs={s.variants.clone()}
                    scenario={s.shown.run.scenario.clone()} shown={s.shown.clone()} link={link.clone()} {embedded}
                    dispatch={dispatch.clone()} />
                { server }
            </>
        }
    } else {
        server
    };
    // What moves during Play comes first: the lanes (on the first screen,
    // their rows fitted to it), then the totals, the waterfall, the ladder.
    html! {
        <>
            { patterns() }
            if timed {
                { raw(SKIP_TO_PLAYER) }
            }
            if !embedded {
                <header class="top">
                    { raw(TITLE) }
                    if !in_lesson {
                        { preset_picker(&s.preset_id, &dispatch) }
                        { raw(LESSONS_LINK) }
                        { raw(TAGLINE) }
                        { share_bar(&link) }
                    }
                </header>
            }
            <div class={classes!("layout", embedded.then_some("embedded"),
                (in_lesson && !listing).then_some("lesson-mode"), listing.then_some("lesson-list"))}>
                // A lesson takes the editor's place: the question beside where its answer plays.
                if listing {
                } else if in_lesson {
                    <aside class="panel" aria-label="Lesson">{ lesson.clone() }</aside>
                } else if !embedded {
                    <aside class="panel" aria-label="Scenario settings">
                        <Frozen html={controls} />
                    </aside>
                }
                <main id="views" ref={views_ref} class={classes!(embedded.then_some("embed"))}
                    data-testid={embedded.then_some("embed")}>
                    if embedded && !in_lesson {
                        <header class="embed-head">
                            <h1 class="embed-title">
                                { reuse_sim::presets::find(&s.preset_id).map_or("Reuse Lab", |p| p.title) }
                            </h1>
                            <a href={format!("./{}", s.full_app_link())} target="_blank" rel="noopener"
                                data-testid="open-full">{ "Open in Reuse Lab ↗" }</a>
                        </header>
                    }
                    if listing {
                        <section class="card">{ lesson }</section>
                    } else if hidden && in_lesson {
                        <section class="card" data-testid="lesson-waiting">
                            <p class="hint">{ "The simulation appears here once you answer." }</p>
                        </section>
                    }
                    if timed {
                        { transport(s, &dispatch, embedded) }
                    }
                    { notice(s, &dispatch) }
                    if let Some(message) = general {
                        <p class="banner error" role="alert" data-testid="error-general">{ message }</p>
                    }
                    if stale {
                        { raw(STALE) }
                    }
                    { curve }
                    if views.lanes {
                        <section class="card" aria-labelledby="h-lanes">
                            { card_head("h-lanes", "Connections", (!embedded).then_some(("lanes", &link)),
                                (!embedded).then(|| toggle(" Until connections close", "follow-closes", s.follow_closes, &dispatch, Action::SetFollowCloses))) }
                            if !embedded {
                                { raw(LANES_HINT) }
                            }
                            { legend(true) }
                            { skip_link("lanes") }
                            { lanes }
                            { skip_target("lanes") }
                        </section>
                    }
                    if views.totals {
                        <section class="card" aria-labelledby="h-totals">
                            { card_head("h-totals", "Overhead totals", (!embedded).then_some(("totals", &link)),
                                (!embedded).then(|| toggle(" Closed form", "closed-form-toggle", s.closed_form, &dispatch, Action::SetClosedForm))) }
                            <Frozen html={totals} />
                            if s.closed_form {
                                // Filled by the export worker (the effect above).
                                <div id="closed-form" class="receipts" aria-live="polite" data-testid="closed-form"></div>
                            }
                        </section>
                    }
                    { server }
                    if views.waterfall {
                        <section class="card" aria-labelledby="h-waterfall">
                            { head("h-waterfall", "Request waterfall", "waterfall") }
                            { waterfall }
                        </section>
                    }
                    if views.ladder {
                        <section class="card" aria-labelledby="h-ladder">
                            { head("h-ladder", "Ladder diagram", "ladder") }
                            { ladder }
                        </section>
                    }
                </main>
            </div>
            if timed {
                { why_panel(s.explanation.as_ref(), &dispatch) }
            }
        </>
    }
}

/// A checkbox in a card's heading: "Until connections close" (the time
/// axis of every view runs on past the page load to the last close, beside
/// the lanes) and "Closed form" (beside the totals).
fn toggle(
    label: &'static str,
    testid: &'static str,
    on: bool,
    dispatch: &super::Dispatch,
    action: fn(bool) -> Action,
) -> Html {
    let d = dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        d.dispatch(action(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))
    });
    html! {
        <label class="follow">
            <input type="checkbox" checked={on} {onchange} data-testid={testid} />
            { label }
        </label>
    }
}

/// A link past a view's many keyboard stops (every bar and packet is one),
/// seen when it has the focus; `skip_target` is where it lands.
pub(crate) fn skip_link(view: &'static str) -> Html {
    html! { <a class="skip skip-view" href={format!("#after-{view}")}>{ format!("Skip past the {view}") }</a> }
}

pub(crate) fn skip_target(view: &'static str) -> Html {
    html! { <span id={format!("after-{view}")} tabindex="-1"></span> }
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
