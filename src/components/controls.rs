use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use reuse_sim::{presets, Protocol};

use super::Dispatch;
use crate::params::{Field, FieldError, Form};

/// What the control panel shows (the deps of its memo in `Lab`).
#[derive(Clone, PartialEq)]
pub struct ControlsProps {
    pub preset_id: String,
    pub form: Form,
    pub errors: Vec<FieldError>,
    /// The uplink the simulation on screen uses (shown beside bandwidth).
    pub uplink_mbps: Option<f64>,
    /// Narrow screen: the parameters start folded so the views come first.
    pub compact: bool,
    /// The variants play instead of the protocols (full build, `var=`).
    pub variants: bool,
    pub dispatch: Dispatch,
}

fn hint(field: Field, uplink: Option<f64>) -> Option<String> {
    Some(match field {
        Field::Bandwidth => match uplink {
            Some(up) => {
                format!(
                    "Downlink; uplink now {} Mbit/s. Empty = unlimited.",
                    reuse_sim::time::decimal((up * 1000.0).round() / 1000.0)
                )
            }
            None => "Downlink. Empty = unlimited.".into(),
        },
        Field::ObjectCount => "Requests after the page; extra ones copy the preset's (id#2…).".into(),
        Field::ObjectSize => "Every object's response. Empty = the preset's sizes.".into(),
        Field::KeepAlive => "Server closes a connection idle this long.".into(),
        Field::ConnectionLimit => "HTTP/1.x parallel connections; HTTP/2 uses one.".into(),
        _ => return None,
    })
}

/// The preset picker, in the page's header where it has the room to show
/// a preset's whole title (in the side panel it was cut off).
pub fn preset_picker(preset_id: &str, dispatch: &super::Dispatch) -> Html {
    let on_preset = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            d.dispatch(crate::state::Action::SelectPreset(
                e.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };
    html! {
        <label class="preset">{ "Preset " }
            <select id="f-preset" onchange={on_preset} data-testid="preset">
                { for presets::all().iter().map(|p| html! {
                    <option value={p.id} selected={p.id == preset_id}>{ p.title }</option>
                }) }
                // The first load lists the full build's own presets too.
                if !crate::full_build::is_full_build() {
                    { for crate::full_build::FULL_BUILD_ONLY_PRESETS.iter().map(|(id, title)| html! {
                        <option value={*id}>{ *title }</option>
                    }) }
                }
            </select>
        </label>
    }
}

/// Every parameter under the preset's summary. What the user types stays in
/// the field; a problem shows under it and the last good simulation stays.
pub fn controls(props: &ControlsProps) -> Html {
    let error = |f: Field| props.errors.iter().find(|e| e.field == f).map(|e| e.message.clone());
    let preset = presets::find(&props.preset_id);
    let text_field = |field: Field| {
        let d = props.dispatch.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            d.dispatch(crate::state::Action::SetText(
                field,
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        });
        let id = format!("f-{}", field.id());
        let msg_id = format!("{id}-msg");
        let err = error(field);
        let hint_text = hint(field, props.uplink_mbps);
        let hint_id = format!("{id}-hint");
        let described = match (&err, &hint_text) {
            (Some(_), Some(_)) => Some(format!("{msg_id} {hint_id}")),
            (Some(_), None) => Some(msg_id.clone()),
            (None, Some(_)) => Some(hint_id.clone()),
            (None, None) => None,
        };
        let placeholder = match field {
            Field::Bandwidth => Some("∞"),
            Field::ObjectSize => Some("mixed"),
            _ => None,
        };
        html! {
            <div class={classes!("field", err.is_some().then_some("invalid"))} key={field.id()}>
                <label for={id.clone()}>{ field.label() }
                    if !field.unit().is_empty() { <span class="unit">{ field.unit() }</span> }
                </label>
                <input id={id} type="text" inputmode="decimal" autocomplete="off" spellcheck="false"
                    value={props.form.text(field).to_string()} {oninput} placeholder={placeholder}
                    aria-invalid={err.is_some().then_some("true")} aria-describedby={described}
                    data-testid={format!("input-{}", field.id())} />
                if let Some(m) = err {
                    <p class="error" id={msg_id} role="alert" data-testid={format!("error-{}", field.id())}>{ m }</p>
                }
                if let Some(h) = hint_text { <p class="hint" id={hint_id}>{ h }</p> }
            </div>
        }
    };
    let on_tls = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            d.dispatch(crate::state::Action::SetText(
                Field::Tls,
                e.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };
    let on_pipelining = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            d.dispatch(crate::state::Action::SetPipelining(
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            ))
        })
    };
    let tls_error = error(Field::Tls);
    let protocols_error = error(Field::Protocols);
    // Constant in the first load, which has no variants.
    let variants = cfg!(feature = "variants") && props.variants;
    html! {
        <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} aria-label="Scenario">
            if let Some(p) = preset { <p class="summary" data-testid="preset-summary">{ p.summary }</p> }
            <details class="params" open={!props.compact || !props.errors.is_empty()}>
            <summary>{ "Parameters" }</summary>
            <div class="param-grid">
            <fieldset>
                <legend>{ "Network" }</legend>
                { text_field(Field::Rtt) }
                { text_field(Field::Bandwidth) }
                { text_field(Field::Loss) }
            </fieldset>
            <fieldset>
                <legend>{ "Page" }</legend>
                { text_field(Field::ObjectCount) }
                { text_field(Field::ObjectSize) }
            </fieldset>
            <fieldset>
                <legend>{ "Transport" }</legend>
                { text_field(Field::InitialWindow) }
                <div class={classes!("field", tls_error.is_some().then_some("invalid"))}>
                    <label for="f-tls">{ "TLS" }</label>
                    <select id="f-tls" onchange={on_tls} data-testid="input-tls">
                        { for [("none", "None (plain TCP)"), ("tls1.2", "TLS 1.2"), ("tls1.3", "TLS 1.3")].iter().map(|(v, l)| html! {
                            <option value={*v} selected={props.form.tls == *v}>{ *l }</option>
                        }) }
                    </select>
                    if let Some(m) = tls_error { <p class="error" role="alert">{ m }</p> }
                </div>
                { congestion_select(&props.form, &props.dispatch) }
            </fieldset>
            <fieldset>
                <legend>{ "HTTP" }</legend>
                { text_field(Field::KeepAlive) }
                { text_field(Field::ConnectionLimit) }
                <div class="field check">
                    <label>
                        <input type="checkbox" checked={props.form.pipelining} onchange={on_pipelining}
                            data-testid="input-pipelining" />
                        { " Pipelining (HTTP/1.1)" }
                    </label>
                </div>
            </fieldset>
            <fieldset class={classes!("protocols", protocols_error.is_some().then_some("invalid"))}>
                <legend>{ "Protocols shown" }</legend>
                { for Protocol::ALL.iter().enumerate().map(|(i, &p)| {
                    let d = props.dispatch.clone();
                    let onchange = Callback::from(move |e: Event| {
                        d.dispatch(crate::state::Action::SetProtocol(p, e.target_unchecked_into::<HtmlInputElement>().checked()))
                    });
                    html! {
                        <label class="check">
                            <input type="checkbox" checked={props.form.protocols[i]} {onchange} disabled={variants}
                                data-testid={format!("show-{}", p.as_str())} />
                            { format!(" {}", p.label()) }
                        </label>
                    }
                }) }
                if variants { <p class="hint">{ "The variants play instead: close them to choose." }</p> }
                if let Some(m) = protocols_error { <p class="error" role="alert" data-testid="error-protocols">{ m }</p> }
            </fieldset>
            </div>
            </details>
        </form>
    }
}

/// The words of a controller's choice.
#[cfg(feature = "cubic")]
fn congestion_label(cc: reuse_sim::scenario::CongestionControl) -> &'static str {
    use reuse_sim::scenario::CongestionControl;
    match cc {
        CongestionControl::NewReno => "Reno (halve on loss)",
        CongestionControl::Cubic => "CUBIC + HyStart++ (Linux)",
        CongestionControl::Bbr => "BBR v1 (paced; loss cuts nothing)",
    }
}

/// The congestion controller, Reno, CUBIC or BBR (`cc=` in the link), and
/// RACK-TLP on or off (`rack=0`): the full build's.
#[cfg(feature = "cubic")]
fn congestion_select(form: &Form, dispatch: &Dispatch) -> Html {
    use reuse_sim::scenario::CongestionControl;
    let d = dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        if let Ok(cc) = CongestionControl::parse(&value) {
            d.dispatch(crate::state::Action::SetCongestion(cc));
        }
    });
    let d = dispatch.clone();
    let on_rack = Callback::from(move |e: Event| {
        d.dispatch(crate::state::Action::SetRackTlp(e.target_unchecked_into::<HtmlInputElement>().checked()));
    });
    html! {
        <>
            <div class="field">
                <label for="f-cc">{ "Congestion control" }</label>
                <select id="f-cc" {onchange} data-testid="input-cc">
                    { for CongestionControl::ALL.iter().map(|cc| html! {
                        <option value={cc.as_str()} selected={form.congestion == *cc}>{ congestion_label(*cc) }</option>
                    }) }
                </select>
            </div>
            <div class="field check">
                <label>
                    <input type="checkbox" checked={form.rack_tlp} onchange={on_rack} data-testid="input-rack" />
                    { " RACK-TLP (Linux's loss detection)" }
                </label>
            </div>
        </>
    }
}

#[cfg(not(feature = "cubic"))]
fn congestion_select(_: &Form, _: &Dispatch) -> Html {
    Html::default()
}
