//! The curve view (full build only): the metric against one parameter for
//! every shown protocol, computed by a pool of web workers (`src/curve.js`)
//! while the chart fills in, with the crossovers the engine finds by
//! bisection. The sweep is in the page's link (`sweep=`…), so a link, an
//! embed (`views=curve`) and `reuse-cli sweep --link` draw the same curve.
//! Hovering a point names every protocol's value there; clicking it (or
//! choosing it in the list below) opens that point in the main views.
//!
//! The work itself is [`crate::curve`] (pure, tested natively); the chart
//! is `reuse-render`'s, as `reuse-cli sweep --svg` prints it.

use std::cell::RefCell;
use std::rc::Rc;

use reuse_sim::sweep::{sweep_of_link, Metric, Param, Sweep, SweepSpec};
use reuse_sim::time::decimal;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::Dispatch;
use crate::curve::{spec_of_keys, CurveRun, Described, CROSSOVERS, RUN};
use crate::params::Field;
use crate::state::Action;

#[wasm_bindgen(module = "/src/curve.js")]
extern "C" {
    /// Queues one job per body on the worker pool; answers come to
    /// `on_answer(index, text, error)`. Returns the pool's size.
    #[wasm_bindgen(js_name = sweepJobs)]
    fn sweep_jobs(kind: &str, query: &str, bodies: Vec<String>, on_answer: &js_sys::Function) -> u32;
    /// Drops the jobs not yet started and ignores those running.
    #[wasm_bindgen(js_name = sweepCancel)]
    fn sweep_cancel();
    /// Downloads a file made here (a PNG is drawn from the SVG text).
    #[wasm_bindgen(js_name = saveText)]
    fn save_text(name: &str, mime: &str, text: &str, png: bool, status_id: &str);
}

/// The scope the chart's style sheet is limited to on the page.
const PLOT_SCOPE: &str = ".curve-plot";

/// The view's own styles, shipped with it (the full build), not in the
/// first load's style sheet.
const CURVE_CSS: &str = "\
.curve-form{display:flex;flex-wrap:wrap;align-items:center;gap:.35rem .8rem;margin:.3rem 0 .5rem;font-size:.88rem}\
.curve-form input[type=text],.curve-form select,.curve-pick select{font:inherit;padding:.2rem .35rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--ink);min-height:1.9rem}\
.curve-form input[type=text]{width:4.6rem}\
.curve-form .unit{color:var(--muted);margin-left:-.5rem}\
.curve-status{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .6rem;font-size:.85rem;color:var(--muted)}\
.curve-status progress{width:9rem}\
.curve-plot{overflow-x:auto;margin:.4rem 0}\
.curve-plot svg{display:block;max-width:none}\
.curve-plot .hit{cursor:pointer}\
.crossovers{margin:.2rem 0;padding-left:1.2rem;font-size:.9rem}\
.curve-pick{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:.4rem 0;font-size:.88rem}\
.curve-pick label{display:flex;align-items:center;gap:.3rem;min-width:0;max-width:100%}\
.curve-pick select{min-width:0;flex:1 1 auto;max-width:100%}\
@media (prefers-color-scheme:dark){.curve-plot svg{filter:invert(.9) hue-rotate(180deg)}}";

#[derive(Properties, PartialEq)]
pub struct CurveProps {
    /// The page's link without its view keys (`curve::sweep_query`): the
    /// scenario, the shown protocols and the sweep keys.
    pub link: AttrValue,
    /// The sweep keys alone (`&sweep=…`), for the form.
    pub keys: AttrValue,
    pub preset_id: AttrValue,
    /// The chart's width in CSS pixels.
    pub width: f64,
    pub embedded: bool,
    pub dispatch: Dispatch,
}

/// A sweep on the workers, and what has come back.
struct Active {
    run: CurveRun,
    query: String,
    started_ms: f64,
    first_point_ms: Option<f64>,
    /// When every grid point was in, and when the crossovers were.
    grid_ms: Option<f64>,
    done_ms: Option<f64>,
    /// One slot per bracket while the workers refine them.
    refining: Option<Vec<Option<Described>>>,
    crossovers: Option<Vec<Described>>,
    error: Option<String>,
    /// The reader stopped it (Cancel).
    cancelled: bool,
    /// Which sweep of this view it is (1, 2, …), for the chart's cache.
    number: u32,
    workers: u32,
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// What identifies a sweep's numbers: the scenario with the parameter set
/// (so opening one of its points, which edits that parameter, keeps the
/// curve), the protocols or variants and the sweep's own keys.
fn identity(run: &CurveRun) -> String {
    let s = &run.sweep;
    format!(
        "{:?}|{:?}|{:?}|{}|{}|{}|{}|{}|{}|{}",
        s.scenario_at(s.from).ok(),
        s.protocols,
        s.variants,
        s.param,
        s.from,
        s.to,
        s.points,
        s.log,
        s.seeds,
        s.metric
    )
}

#[function_component]
pub fn CurveCard(props: &CurveProps) -> Html {
    let active: Rc<RefCell<Option<Active>>> = use_mut_ref(|| None);
    let update = use_force_update();
    // The answer callback, made once; it finds itself here to queue the
    // crossovers when the grid is complete.
    let answer_fn: Rc<RefCell<Option<js_sys::Function>>> = use_mut_ref(|| None);
    let keeper = use_mut_ref(|| None::<Closure<dyn FnMut(i32, String, String)>>);
    if keeper.borrow().is_none() {
        let (active, update, me) = (active.clone(), update.clone(), answer_fn.clone());
        let closure =
            Closure::<dyn FnMut(i32, String, String)>::new(move |index: i32, text: String, error: String| {
                if on_answer(&active, &me, index, &text, &error) {
                    update.force_update();
                }
            });
        *answer_fn.borrow_mut() = Some(closure.as_ref().unchecked_ref::<js_sys::Function>().clone());
        *keeper.borrow_mut() = Some(closure);
    }

    // The sweep the link draws, or why it cannot be drawn.
    let prepared = use_memo(props.link.clone(), |link| -> Result<(CurveRun, String), String> {
        let sweep = sweep_of_link(link).map_err(|e| format!("{}: {}", e.key, e.reason))?;
        let sweep = sweep.ok_or("this link names nothing to sweep (add sweep=rtt, for example)")?;
        let run = CurveRun::new(sweep).map_err(|e| format!("{}: {}", e.field, e.reason))?;
        let id = identity(&run);
        Ok((run, id))
    });
    let id = prepared.as_ref().as_ref().map(|(_, id)| id.clone()).unwrap_or_default();
    // Draw runs the sweep again even when nothing changed (after a Cancel).
    let attempt = use_state(|| 0u32);
    let sweeps = use_mut_ref(|| 0u32);
    {
        let (prepared, active, answer_fn, link, count) =
            (prepared.clone(), active.clone(), answer_fn.clone(), props.link.to_string(), sweeps.clone());
        use_effect_with((id, *attempt), move |_| {
            sweep_cancel();
            *active.borrow_mut() = None;
            if let (Ok((run, _)), Some(f)) = (prepared.as_ref(), answer_fn.borrow().as_ref()) {
                let bodies: Vec<String> = (0..run.jobs.len()).map(|j| run.body(j)).collect();
                let started_ms = now_ms();
                let workers = sweep_jobs(RUN, &link, bodies, f);
                *active.borrow_mut() = Some(Active {
                    run: run.clone(),
                    query: link,
                    started_ms,
                    first_point_ms: None,
                    grid_ms: None,
                    done_ms: None,
                    refining: None,
                    crossovers: None,
                    error: None,
                    cancelled: false,
                    number: {
                        *count.borrow_mut() += 1;
                        *count.borrow()
                    },
                    workers,
                });
            }
            || sweep_cancel()
        });
    }

    type Drawn = Option<((u32, usize, usize, u32), Rc<String>, Html)>;
    let drawn = use_mut_ref(|| -> Drawn { None });
    let spec = spec_of_keys(&props.keys).unwrap_or_else(|_| SweepSpec::new(Param::Rtt));
    let message = use_state(String::new);
    let form_error = use_state(String::new);
    let form = sweep_form(spec, &props.dispatch, &form_error, &attempt);
    let cancel = {
        let (active, update) = (active.clone(), update.clone());
        Callback::from(move |_: MouseEvent| {
            sweep_cancel();
            if let Some(a) = active.borrow_mut().as_mut() {
                a.cancelled = a.done_ms.is_none();
            }
            update.force_update();
            // The Cancel button goes: the focus moves on to Draw.
            let draw = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("[data-testid=curve-draw]").ok().flatten())
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
            if let Some(draw) = draw {
                let _ = draw.focus();
            }
        })
    };
    let a = active.borrow();
    let problem = match (prepared.as_ref(), a.as_ref().and_then(|a| a.error.clone())) {
        (Err(e), _) => Some(e.clone()),
        (_, Some(e)) => Some(e),
        _ => None,
    };
    let (chart, status, picker, exports, crossovers) = match a.as_ref() {
        Some(a) if problem.is_none() => {
            let points = a.run.points();
            let found: Vec<reuse_sim::sweep::Crossover> =
                a.crossovers.iter().flatten().map(|d| d.crossover.clone()).collect();
            let width_px = props.width as u32;
            // Drawn again only when what it shows changed (not on every run back).
            let key = (a.number, points.len(), found.len(), width_px);
            let cached = drawn
                .borrow()
                .as_ref()
                .filter(|(k, _, _)| *k == key)
                .map(|(_, svg, html)| (svg.clone(), html.clone()));
            let (svg, chart) = cached.unwrap_or_else(|| {
                let options = reuse_render::RenderOptions { width_px };
                let svg = Rc::new(reuse_render::curve_svg_with(&a.run.sweep, &points, &found, &options));
                let html = Html::from_html_unchecked(reuse_render::svg::scoped(&svg, PLOT_SCOPE).into());
                *drawn.borrow_mut() = Some((key, svg.clone(), html.clone()));
                (svg, html)
            });
            let stem = format!("reuse-lab-{}-curve-{}", props.preset_id, a.run.sweep.param.key());
            let exports = (!points.is_empty() && a.crossovers.is_some())
                .then(|| export_buttons(&stem, svg.clone(), reuse_render::curve_csv(&a.run.sweep, &points)));
            let picker = point_picker(a, &points, &props.dispatch, &message);
            let crossovers = a.crossovers.as_ref().map(|list| {
                html! {
                    <ul class="crossovers" data-testid="crossovers">
                        if list.is_empty() {
                            <li>{ "No two curves change order in this range." }</li>
                        }
                        { for list.iter().map(|d| html! { <li>{ &d.text }</li> }) }
                    </ul>
                }
            });
            (chart, status_line(a, cancel), picker, exports, crossovers)
        }
        _ => (Html::default(), Html::default(), Html::default(), None, None),
    };
    let (done, runs, ms, grid_ms, first) = match a.as_ref() {
        Some(a) => (
            a.done_ms.is_some(),
            a.run.jobs.len(),
            a.done_ms.map(|t| format!("{t:.0}")),
            a.grid_ms.map(|t| format!("{t:.0}")),
            a.first_point_ms.map(|t| format!("{t:.0}")),
        ),
        None => (false, 0, None, None, None),
    };
    let d = props.dispatch.clone();
    let close = Callback::from(move |_: MouseEvent| d.dispatch(Action::SetSweep(None)));
    let on_plot_click = {
        let (active, dispatch, message) = (active.clone(), props.dispatch.clone(), message.clone());
        Callback::from(move |e: MouseEvent| {
            let value = super::closest_attr(&e, "data-value").and_then(|v| v.parse::<f64>().ok());
            if let (Some(value), Some(a)) = (value, active.borrow().as_ref()) {
                open_point(&a.run.sweep, value, &dispatch, &message);
            }
        })
    };
    html! {
        <section class="card curve-card" aria-labelledby="h-curve" data-testid="curve"
            data-done={done.to_string()} data-runs={runs.to_string()} data-ms={ms} data-grid-ms={grid_ms} data-first-ms={first}>
            <style>{ CURVE_CSS }</style>
            <div class="card-head">
                <h2 id="h-curve">{ "Curve" }</h2>
                if !props.embedded {
                    <button type="button" class="small" onclick={close} data-testid="curve-close">{ "Close the curve" }</button>
                }
            </div>
            if !props.embedded {
                { form }
            }
            if !form_error.is_empty() {
                <p class="banner error" role="alert" data-testid="curve-form-error">{ (*form_error).clone() }</p>
            }
            if let Some(p) = problem {
                <p class="banner error" role="alert" data-testid="curve-error">{ p }</p>
            }
            { status }
            <div class="curve-plot" onclick={on_plot_click} data-testid="curve-plot">{ chart }</div>
            { for crossovers }
            { picker }
            if !message.is_empty() {
                <p class="hint" role="status" data-testid="curve-opened">{ (*message).clone() }</p>
            }
            { for exports }
        </section>
    }
}

/// Takes a worker's answer (or failure) into the sweep under way; when
/// the grid is complete, queues one job per crossover to refine. True when
/// the card should be drawn again: a point, a crossover or a problem came,
/// or the progress bar moved by another 2 %.
fn on_answer(
    active: &Rc<RefCell<Option<Active>>>,
    me: &Rc<RefCell<Option<js_sys::Function>>>,
    index: i32,
    text: &str,
    error: &str,
) -> bool {
    let mut slot = active.borrow_mut();
    let Some(a) = slot.as_mut() else { return false };
    if !error.is_empty() {
        a.error = Some(error.to_string());
        sweep_cancel();
        return true;
    }
    let job = usize::try_from(index).unwrap_or(usize::MAX);
    if let Some(slots) = a.refining.as_mut() {
        match (serde_json::from_str::<Described>(text), slots.get_mut(job)) {
            (Ok(found), Some(slot)) => *slot = Some(found),
            _ => a.error = Some(format!("a crossover could not be read: {text}")),
        }
        if slots.iter().all(Option::is_some) {
            a.crossovers = slots.iter().cloned().collect();
            a.done_ms = Some(now_ms() - a.started_ms);
        }
        return true;
    }
    let before = a.run.points_done();
    if let Err(e) = a.run.accept(job, text) {
        a.error = Some(e);
        sweep_cancel();
        return true;
    }
    let point_done = a.run.points_done() > before;
    if a.first_point_ms.is_none() && point_done {
        a.first_point_ms = Some(now_ms() - a.started_ms);
    }
    if a.run.finished() {
        a.grid_ms = Some(now_ms() - a.started_ms);
        let brackets = a.run.sweep.brackets(&a.run.points());
        if brackets.is_empty() {
            a.crossovers = Some(Vec::new());
            a.done_ms = a.grid_ms;
            return true;
        }
        let bodies: Vec<String> =
            brackets.iter().map(|b| serde_json::to_string(b).unwrap_or_default()).collect();
        a.refining = Some(vec![None; brackets.len()]);
        let query = a.query.clone();
        drop(slot);
        if let Some(f) = me.borrow().as_ref() {
            sweep_jobs(CROSSOVERS, &query, bodies, f);
        }
        return true;
    }
    let (back, all) = a.run.progress();
    point_done || back % (all / 50).max(1) == 0
}

fn status_line(a: &Active, cancel: Callback<MouseEvent>) -> Html {
    let (back, all) = a.run.progress();
    let points = a.run.values.len();
    let curves = a.run.sweep.series_count();
    let what = if a.run.sweep.variants.is_empty() { "protocols" } else { "variants" };
    let secs = |ms: f64| format!("{:.1} s", ms / 1000.0);
    let grid = |ms: f64| {
        format!(
            "{} points × {} {}: {} simulations{} in {} on {} workers, the first point after {:.2} s",
            points,
            curves,
            what,
            group(all * curves),
            if all > points {
                format!(" ({} seeds a point under loss)", a.run.sweep.seeds)
            } else {
                String::new()
            },
            secs(ms),
            a.workers,
            a.first_point_ms.unwrap_or(ms) / 1000.0
        )
    };
    let text = match (a.grid_ms, a.done_ms, a.refining.as_ref()) {
        _ if a.cancelled => format!(
            "Cancelled after {} of {} runs ({} of {} points). Draw runs it again.",
            group(back),
            group(all),
            a.run.points_done(),
            points
        ),
        (Some(g), Some(d), Some(slots)) => {
            format!("{}; {} crossovers refined by bisection in {}.", grid(g), slots.len(), secs(d - g))
        }
        (Some(g), Some(_), None) => format!("{}; no crossovers to refine.", grid(g)),
        (Some(g), None, Some(slots)) => format!(
            "{}. Refining {} crossovers by bisection ({} done)…",
            grid(g),
            slots.len(),
            slots.iter().filter(|s| s.is_some()).count()
        ),
        _ => format!(
            "Running {} of {} runs on {} workers: {} of {} points so far.",
            group(back),
            group(all),
            a.workers,
            a.run.points_done(),
            points
        ),
    };
    html! {
        <div class="curve-status">
            <progress max={all.to_string()} value={back.to_string()} aria-label="Runs done"></progress>
            <span role="status" data-testid="curve-status">{ text }</span>
            if a.done_ms.is_none() && !a.cancelled {
                <button type="button" class="small" data-testid="curve-cancel" onclick={cancel}>{ "Cancel" }</button>
            }
        </div>
    }
}

/// 12345 → "12,345".
fn group(n: usize) -> String {
    reuse_render::layout::format_count(n as u64)
}

/// The form: what to sweep, over what range, measuring what.
fn sweep_form(
    spec: SweepSpec,
    dispatch: &Dispatch,
    message: &UseStateHandle<String>,
    attempt: &UseStateHandle<u32>,
) -> Html {
    let (d, message, attempt) = (dispatch.clone(), message.clone(), attempt.clone());
    let onsubmit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        let Some(form) = e.target_dyn_into::<web_sys::HtmlFormElement>() else { return };
        let field = |name: &str| -> String {
            form.elements()
                .named_item(name)
                .and_then(|el| {
                    use wasm_bindgen::JsCast;
                    el.dyn_ref::<HtmlInputElement>()
                        .map(|i| if i.type_() == "checkbox" { i.checked().to_string() } else { i.value() })
                        .or_else(|| el.dyn_ref::<HtmlSelectElement>().map(|s| s.value()))
                })
                .unwrap_or_default()
        };
        match spec_of_form(&field) {
            Ok(spec) => {
                message.set(String::new());
                attempt.set(attempt.wrapping_add(1));
                d.dispatch(Action::SetSweep(Some(spec.keys())));
            }
            Err(e) => message.set(e),
        }
    });
    // A new parameter starts on its suggested range.
    let d = dispatch.clone();
    let on_param = Callback::from(move |e: Event| {
        let name = e.target_unchecked_into::<HtmlSelectElement>().value();
        if let Some(p) = Param::parse(&name) {
            let next = SweepSpec {
                metric: spec.metric,
                points: spec.points,
                seeds: spec.seeds,
                ..SweepSpec::new(p)
            };
            d.dispatch(Action::SetSweep(Some(next.keys())));
        }
    });
    let number = |name: &'static str, label: &'static str, value: String| {
        html! {
            <label class="curve-field">{ label }
                <input type="text" inputmode="decimal" name={name} ~defaultValue={value} data-testid={format!("curve-{name}")} size="6" />
            </label>
        }
    };
    html! {
        // Its fields show the sweep as their default value, so what the
        // reader types stays until a new sweep is drawn.
        <form class="curve-form" {onsubmit} aria-label="What to sweep">
            <label class="curve-field">{ "Sweep " }
                <select name="param" onchange={on_param} data-testid="curve-param">
                    { for Param::ALL.iter().map(|p| html! {
                        <option value={p.key()} selected={*p == spec.param}>{ p.label() }</option>
                    }) }
                </select>
            </label>
            { number("from", "from ", decimal(spec.from)) }
            { number("to", "to ", decimal(spec.to)) }
            <span class="unit">{ spec.param.unit() }</span>
            <label class="curve-field"><input type="checkbox" name="log" ~defaultChecked={spec.log} data-testid="curve-log" />{ " log axis" }</label>
            { number("points", "points ", spec.points.to_string()) }
            { number("seeds", "seeds under loss ", spec.seeds.to_string()) }
            <label class="curve-field">{ "measure " }
                <select name="metric" data-testid="curve-metric">
                    { for Metric::ALL.iter().map(|m| html! {
                        <option value={m.key()} selected={*m == spec.metric}>{ m.label() }</option>
                    }) }
                </select>
            </label>
            <button type="submit" data-testid="curve-draw">{ "Draw" }</button>
        </form>
    }
}

/// The sweep the form's fields say, or what is wrong, naming the field.
fn spec_of_form(field: &dyn Fn(&str) -> String) -> Result<SweepSpec, String> {
    let param = Param::parse(&field("param")).ok_or("Sweep: choose a parameter")?;
    let num = |name: &str, label: &str| -> Result<f64, String> {
        let text = field(name);
        reuse_sim::time::parse_decimal(text.trim())
            .ok_or_else(|| format!("{label}: \"{text}\" is not a number"))
    };
    let whole = |name: &str, label: &str| -> Result<u32, String> {
        let text = field(name);
        text.trim().parse::<u32>().map_err(|_| format!("{label}: \"{text}\" is not a whole number"))
    };
    Ok(SweepSpec {
        param,
        from: num("from", "From")?,
        to: num("to", "To")?,
        points: whole("points", "Points")? as usize,
        log: field("log") == "true",
        seeds: whole("seeds", "Seeds")?,
        metric: Metric::parse(&field("metric")).unwrap_or(Metric::PageLoad),
    })
}

/// Opens the point at `value` in the main views: the editor's control for
/// the parameter takes the value.
fn open_point(sweep: &Sweep, value: f64, dispatch: &Dispatch, message: &UseStateHandle<String>) {
    let Some(control) = sweep.param.control() else {
        message.set(format!(
            "The {} is not one of the editor's controls, so its points cannot be opened in the views.",
            sweep.param.label()
        ));
        return;
    };
    dispatch.dispatch(Action::SetText(Field::of_control(control), decimal(value)));
    let lossy = sweep.runs_at(value).is_ok_and(|n| n > 1);
    message.set(format!(
        "Opened {} = {} {} in the views below{}.",
        sweep.param.label(),
        decimal((value * 1000.0).round() / 1000.0),
        sweep.param.unit(),
        if lossy {
            " (they show one run, the scenario's seed; the curve's point is the median over its seeds)"
        } else {
            ""
        }
    ));
}

/// The keyboard's way to a point: a list of the points and a button.
fn point_picker(
    a: &Active,
    points: &[reuse_sim::sweep::Point],
    dispatch: &Dispatch,
    message: &UseStateHandle<String>,
) -> Html {
    if points.is_empty() || a.run.sweep.param.control().is_none() {
        return Html::default();
    }
    let options: Vec<(f64, String)> =
        points.iter().map(|p| (p.value, reuse_render::point_tip(&a.run.sweep, p))).collect();
    let (d, m) = (dispatch.clone(), message.clone());
    let values: Vec<f64> = options.iter().map(|(v, _)| *v).collect();
    let sweep = a.run.sweep.clone();
    let onsubmit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        let Some(form) = e.target_dyn_into::<web_sys::HtmlFormElement>() else { return };
        let chosen = form
            .elements()
            .named_item("point")
            .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlSelectElement>(el).ok())
            .map(|s| s.selected_index());
        if let Some(&value) = chosen.and_then(|i| usize::try_from(i).ok()).and_then(|i| values.get(i)) {
            open_point(&sweep, value, &d, &m);
        }
    });
    html! {
        <form class="curve-pick" {onsubmit}>
            <label>{ "Point " }
                <select name="point" data-testid="curve-point">
                    { for options.iter().map(|(v, tip)| html! { <option key={v.to_bits().to_string()} value={v.to_string()}>{ tip }</option> }) }
                </select>
            </label>
            <button type="submit" data-testid="curve-open">{ "Open in the views" }</button>
        </form>
    }
}

/// SVG, PNG and CSV of the curve, made here and downloaded by `curve.js`.
fn export_buttons(stem: &str, svg: Rc<String>, csv: String) -> Html {
    let button = |label: &'static str,
                  name: String,
                  mime: &'static str,
                  text: Rc<String>,
                  png: bool,
                  id: &'static str| {
        let onclick =
            Callback::from(move |_: MouseEvent| save_text(&name, mime, &text, png, "curve-export-status"));
        html! { <button type="button" class="small" {onclick} data-testid={id}>{ label }</button> }
    };
    html! {
        <div class="share" role="group" aria-label="Export the curve">
            { button("SVG", format!("{stem}.svg"), "image/svg+xml", svg.clone(), false, "curve-svg") }
            { button("PNG", format!("{stem}.svg"), "image/svg+xml", svg, true, "curve-png") }
            { button("CSV", format!("{stem}.csv"), "text/csv", Rc::new(csv), false, "curve-csv") }
            <span id="curve-export-status" class="share-status" role="status" data-testid="curve-export-status"></span>
        </div>
    }
}
