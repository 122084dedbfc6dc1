//! Variants on one clock (issue 12, item 1; full build, `var=` in the
//! link): the scenario under named variants, each a protocol plus the
//! controls' settings (`LABEL:key=value,…`, as `reuse-cli run --variant`
//! takes them). They play in the player on one clock, a column each
//! (lanes, totals, waterfall tab, ladder: `Run::simulate_variants`); this
//! card edits them and gives their figures in a table and request by
//! request. K&R's four answers (non-persistent,
//! non-persistent ×5, persistent, pipelined) are the *Variants* button's
//! start. The editor adds, removes, renames (the label is the text before
//! `:`) and reorders them; a bad variant is said beside its field and the
//! text stays.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::Dispatch;
use crate::layout::format_ms;
use crate::state::{Action, Ptr, Shown};
use crate::view_model::{Column, ProtocolRun};
use reuse_render::layout::format_count;
use reuse_sim::variant::{Variant, MAX_VARIANTS};
use reuse_sim::Scenario;

/// The editor's rows and the table's figures.
const VARIANTS_CSS: &str = ".variant-rows{list-style:none;margin:.3rem 0;padding:0;display:grid;gap:.3rem}\
.variant-rows li{display:flex;gap:.3rem;align-items:center;flex-wrap:wrap}\
.variant-rows input{flex:1 1 16rem;min-width:0;font:inherit;padding:.25rem .4rem}\
.variant-rows li.invalid input{border-color:var(--error);box-shadow:0 0 0 1px var(--error)}\
.variant-rows .error{flex-basis:100%;margin:0}\
.variant-figures{border-collapse:collapse;font-size:.88rem;width:100%}\
.variant-figures th,.variant-figures td{padding:.28rem .4rem;border-bottom:1px solid var(--grid);text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.variant-figures thead th{font-size:.8rem;border-bottom:1px solid var(--line)}\
.variant-figures th[scope=row]{text-align:left;font-weight:500;white-space:normal}\
.variants-cli code{overflow-wrap:anywhere}";

#[derive(Properties, PartialEq)]
pub struct VariantsCardProps {
    /// The variants' specs, as the link carries them.
    pub specs: Vec<String>,
    /// The scenario the controls make (each variant's settings go on it).
    pub scenario: Rc<Scenario>,
    /// What the player shows: the variants' runs when they apply.
    pub shown: Ptr<Shown>,
    /// The page's link, for the downloads and the command line.
    pub link: AttrValue,
    pub embedded: bool,
    pub dispatch: Dispatch,
}

/// A change to the editor's rows (move, remove, add).
type RowsEdit = Rc<dyn Fn(&mut Vec<String>)>;

/// Every row's problem (`None` when it reads and applies to `scenario`),
/// and whether two share a label.
fn problems(rows: &[String], scenario: &Scenario) -> Vec<Option<String>> {
    let parsed: Vec<Result<Variant, String>> = rows
        .iter()
        .map(|r| {
            let v = Variant::parse(r).map_err(|e| e.to_string())?;
            v.apply(scenario).map_err(|e| e.to_string())?;
            Ok(v)
        })
        .collect();
    parsed
        .iter()
        .enumerate()
        .map(|(i, p)| match p {
            Err(e) => Some(e.clone()),
            Ok(v) if parsed[..i].iter().any(|q| q.as_ref().is_ok_and(|w| w.label == v.label)) => {
                Some(format!("the label {:?} is taken by an earlier variant", v.label))
            }
            Ok(_) => None,
        })
        .collect()
}

#[function_component]
pub fn VariantsCard(props: &VariantsCardProps) -> Html {
    // The variants' runs, as the player plays them.
    let runs: Vec<&ProtocolRun> =
        props.shown.runs().filter(|r| matches!(r.column, Column::Variant(_))).collect();
    // The editor's rows as typed; applied when every one reads.
    let rows = {
        let specs = props.specs.clone();
        use_state(move || specs)
    };
    let shown_problems = use_state(Vec::<Option<String>>::new);
    let set_row = |i: usize| {
        let rows = rows.clone();
        Callback::from(move |e: InputEvent| {
            let mut now = (*rows).clone();
            now[i] = e.target_unchecked_into::<HtmlInputElement>().value();
            rows.set(now);
        })
    };
    let edit = |change: RowsEdit| {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut now = (*rows).clone();
            change(&mut now);
            rows.set(now);
        })
    };
    let on_apply = {
        let (rows, shown_problems, d) = (rows.clone(), shown_problems.clone(), props.dispatch.clone());
        let scenario = props.scenario.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let found = problems(&rows, &scenario);
            if found.iter().all(Option::is_none) {
                d.dispatch(Action::SetVariants((*rows).clone()));
            }
            shown_problems.set(found);
        })
    };
    let close = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::SetVariants(Vec::new())))
    };
    // The two variants compared request by request (indices into the runs).
    let pair = use_state(|| (0usize, 1usize));
    let choose = |which: usize| {
        let pair = pair.clone();
        Callback::from(move |e: Event| {
            let i = e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(0);
            pair.set(if which == 0 { (i, pair.1) } else { (pair.0, i) });
        })
    };
    let n = rows.len();
    let editor = (!props.embedded).then(|| {
        html! {
            <form onsubmit={on_apply} aria-label="Variants">
                <ol class="variant-rows">
                    { for rows.iter().enumerate().map(|(i, row)| {
                        let problem = shown_problems.get(i).cloned().flatten();
                        let error_id = format!("variant-{i}-error");
                        html! {
                            <li class={classes!(problem.is_some().then_some("invalid"))} key={i}>
                                <input type="text" value={row.clone()} oninput={set_row(i)} autocomplete="off" spellcheck="false"
                                    aria-label={format!("Variant {}: label, colon, settings", i + 1)} data-testid={format!("variant-{i}")}
                                    aria-invalid={problem.is_some().then_some("true")}
                                    aria-describedby={problem.is_some().then(|| error_id.clone())} />
                                <button type="button" class="small" disabled={i == 0} aria-label={format!("Move variant {} up", i + 1)}
                                    onclick={edit(Rc::new(move |r: &mut Vec<String>| r.swap(i, i - 1)))}>{ "↑" }</button>
                                <button type="button" class="small" disabled={i + 1 == n} aria-label={format!("Move variant {} down", i + 1)}
                                    onclick={edit(Rc::new(move |r: &mut Vec<String>| r.swap(i, i + 1)))}>{ "↓" }</button>
                                <button type="button" class="small" disabled={n == 1} aria-label={format!("Remove variant {}", i + 1)}
                                    data-testid={format!("variant-{i}-remove")}
                                    onclick={edit(Rc::new(move |r: &mut Vec<String>| { r.remove(i); }))}>{ "Remove" }</button>
                                if let Some(m) = problem { <p class="error" id={error_id} role="alert">{ m }</p> }
                            </li>
                        }
                    }) }
                </ol>
                <button type="button" class="small" disabled={n >= MAX_VARIANTS} data-testid="variant-add"
                    onclick={edit(Rc::new(move |r: &mut Vec<String>| r.push(format!("variant {}:protocol=1.1", r.len() + 1))))}>
                    { "Add a variant" }
                </button>
                { " " }
                <button type="submit" data-testid="variants-apply">{ "Apply" }</button>
            </form>
        }
    });
    let body = match &runs[..] {
        [] => {
            html! { <p class="hint">{ "The variants play once every one applies (see the message above)." }</p> }
        }
        runs => html! {
            <>
                <div class="totals-wrap">
                    <table class="variant-figures" data-testid="variants-table">
                        <thead><tr>
                            <th scope="col">{ "Variant" }</th>
                            { for COLUMNS.iter().map(|c| html! { <th scope="col">{ *c }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for runs.iter().map(|r| html! {
                                <tr data-variant={r.label.to_string()} data-page-load={r.page_load_ms().to_string()}>
                                    <th scope="row">{ &*r.label }</th>
                                    { for cells(r).into_iter().map(|c| html! { <td>{ c }</td> }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                { deltas(runs, *pair, choose(0), choose(1)) }
                <p class="hint variants-cli">
                    { "The command line runs the same: " }
                    <code>{ format!("reuse-cli run --link '{}'", props.link) }</code>
                    { " (and svg --link draws their lanes)." }
                </p>
            </>
        },
    };
    let downloads = (!props.embedded).then(|| {
        super::share::card_downloads(
            "variants",
            "export-status-variants",
            "the variants' lanes",
            &props.link,
            close,
        )
    });
    html! {
        <section class="card" aria-labelledby="h-variants" data-testid="variants-view">
            <style>{ VARIANTS_CSS }</style>
            <div class="card-head">
                <h2 id="h-variants">{ "Variants on one clock" }</h2>
                { for downloads }
            </div>
            <p class="hint" hidden={props.embedded}>
                { "The scenario under each variant: a label, a colon, then protocol=1.0|1.1|2|3 and any control by its link key \
                   (rtt, bw, loss, n, kb, iw, tls, ka, cl, pl), cc=reno|cubic|bbr for the congestion control or rack=0|1 for RACK-TLP, \
                   e.g. \u{201c}pipelined:protocol=1.1,cl=1,pl=1\u{201d}." }
            </p>
            { for editor }
            { body }
        </section>
    }
}

/// Each request's end in two variants and the difference ("img3: 400 ms
/// earlier with persistent"), the two chosen from the runs.
fn deltas(
    runs: &[&ProtocolRun],
    (a, b): (usize, usize),
    on_a: Callback<Event>,
    on_b: Callback<Event>,
) -> Html {
    if runs.len() < 2 {
        return Html::default();
    }
    let (a, b) = (a.min(runs.len() - 1), b.min(runs.len() - 1));
    let select = |chosen: usize, onchange: Callback<Event>, name: &'static str, testid: &'static str| {
        html! {
            <select {onchange} aria-label={name} data-testid={testid}>
                { for runs.iter().enumerate().map(|(i, r)| html! {
                    <option value={i.to_string()} selected={i == chosen}>{ &*r.label }</option>
                }) }
            </select>
        }
    };
    let (label_a, label_b) = (&runs[a].label, &runs[b].label);
    let rows = reuse_sim::variant::request_deltas(runs[a].result(), runs[b].result());
    html! {
        <details class="variant-deltas" data-testid="variant-deltas">
            <summary>{ "Request by request" }</summary>
            <p>
                { select(a, on_a, "Compare", "delta-a") }{ " against " }{ select(b, on_b, "with", "delta-b") }
            </p>
            <div class="totals-wrap">
                <table class="variant-figures">
                    <thead><tr>
                        <th scope="col">{ "Request" }</th>
                        <th scope="col">{ format!("Done, {label_a}") }</th>
                        <th scope="col">{ format!("Done, {label_b}") }</th>
                        <th scope="col">{ format!("With {label_b}") }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|d| {
                            let earlier = d.earlier_in_b_ms();
                            let words = if earlier > 0.0 {
                                format!("{} earlier", format_ms(earlier))
                            } else if earlier < 0.0 {
                                format!("{} later", format_ms(-earlier))
                            } else {
                                "at the same time".to_string()
                            };
                            html! {
                                <tr data-request={d.id.clone()} data-earlier-ms={earlier.to_string()}>
                                    <th scope="row">{ d.id.clone() }</th>
                                    <td>{ format_ms(d.a_ms) }</td>
                                    <td>{ format_ms(d.b_ms) }</td>
                                    <td>{ words }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// The table's columns after the variant's name: [`cells`].
const COLUMNS: [&str; 6] = ["Protocol", "Page load", "Connections", "Set-up", "Packets", "Bytes on the wire"];

fn cells(run: &ProtocolRun) -> Vec<String> {
    let r = run.result();
    vec![
        run.protocol.label().to_string(),
        format_ms(r.page_load_ms),
        r.totals.connections_opened.to_string(),
        format_ms(r.totals.setup_ms),
        format_count(r.totals.packets),
        format_count(r.totals.bytes_on_wire),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn textbook() -> Scenario {
        reuse_sim::presets::find("textbook").expect("preset").scenario()
    }

    #[test]
    fn kurose_and_ross_four_answers_come_out_as_their_closed_forms() {
        // Base + N = 10 objects, RTT 100 ms, infinite bandwidth (K&R 2.2):
        // 2(N + 1)·RTT, 2·RTT + ⌈N/5⌉·2·RTT, (N + 2)·RTT and 3·RTT.
        let specs: Vec<String> = crate::full_build::VARIANTS_START.iter().map(|s| s.to_string()).collect();
        let (run, stopped) = crate::view_model::Run::simulate_variants(&textbook(), &specs).expect("runs");
        assert!(stopped.is_none());
        let loads: Vec<f64> = run.protocols.iter().map(|r| r.page_load_ms()).collect();
        assert_eq!(loads, vec![2_200.0, 600.0, 1_200.0, 300.0]);
        let labels: Vec<&str> = run.protocols.iter().map(|r| &*r.label).collect();
        assert_eq!(labels, ["non-persistent", "non-persistent ×5", "persistent", "pipelined"]);
    }

    #[test]
    fn each_bad_row_is_named_and_a_taken_label_too() {
        let rows: Vec<String> =
            ["a:protocol=1.1", "b:speed=1", "a:cl=2", "c:cl=1"].iter().map(|s| s.to_string()).collect();
        let found = problems(&rows, &textbook());
        assert!(found[0].is_none() && found[3].is_none(), "{found:?}");
        assert!(found[1].as_deref().is_some_and(|m| m.starts_with("speed")), "{found:?}");
        assert!(found[2].as_deref().is_some_and(|m| m.contains("taken")), "{found:?}");
        // A setting the controls' rules refuse is said at once too.
        let zero = problems(&["a:cl=0".to_string()], &textbook());
        assert!(zero[0].as_deref().is_some_and(|m| m.starts_with("cl")), "{zero:?}");
        let bad = crate::view_model::Run::simulate_variants(&textbook(), &["a:cl=0".to_string()])
            .expect_err("refused");
        assert!(bad.starts_with("variant \"a\": cl"), "{bad}");
    }
}
