//! The app's views. Few are yew components: every component type costs
//! about 2 KB of wasm in yew's generic machinery (see DEVELOPERS.md, the
//! first-load budget), so only [`lab::Lab`] (the state), the three views
//! with memoised geometry ([`lanes::Lanes`], [`waterfall::Waterfall`],
//! [`ladder::Ladder`]) and [`Frozen`] are. The rest are plain functions
//! returning `Html`; what does not move during playback is built in a
//! `use_memo` and shown through [`Frozen`], so a frame re-renders only what
//! moves.

pub mod app;
pub mod controls;
pub mod curve;
pub mod lab;
pub mod ladder;
pub mod ladder_picker;
pub mod ladder_playhead;
pub mod ladder_static;
pub mod lanes;
pub mod lanes_playhead;
pub mod lanes_static;
pub mod legend;
pub mod lesson;
pub mod patterns;
#[cfg(feature = "push")]
pub mod push;
pub mod server;
pub mod share;
pub mod time_axis;
pub mod totals;
pub mod transport;
#[cfg(feature = "variants")]
pub mod variants;
pub mod waterfall;
pub mod waterfall_static;
pub mod why_panel;

/// Html built once (in a `use_memo`) and shown until it is rebuilt: props
/// are equal while the `Rc` is the same, so yew skips it on every frame of
/// playback. One component type stands for every static part of the page.
#[derive(Properties)]
pub struct FrozenProps {
    pub html: Rc<Html>,
}

impl PartialEq for FrozenProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.html, &other.html)
    }
}

#[function_component]
pub fn Frozen(props: &FrozenProps) -> Html {
    (*props.html).clone()
}

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{Action, AppState, Ptr, Shown};
use crate::view_model::Item;

pub type Dispatch = UseReducerDispatcher<AppState>;

/// The value of `attr` on the event's target or its nearest ancestor that has it.
pub(crate) fn closest_attr(event: &Event, attr: &str) -> Option<String> {
    let el: web_sys::Element = event.target()?.dyn_into().ok()?;
    let found = el.closest(&format!("[{attr}]")).ok()??;
    found.get_attribute(attr)
}

/// One delegated handler per view: pointing at or focusing any bar or packet
/// (anything with `data-item`) shows the engine's explanation.
pub(crate) fn explain_on(shown: &Ptr<Shown>, dispatch: &Dispatch) -> Callback<Event> {
    let (shown, dispatch) = (shown.clone(), dispatch.clone());
    Callback::from(move |event: Event| {
        let Some((column, item)) = closest_attr(&event, "data-item").and_then(|k| Item::parse_key(&k)) else {
            return;
        };
        if let Some(explanation) = shown.run.explain(column, item) {
            dispatch.dispatch(Action::Explain(Some(Rc::new(explanation))));
        }
    })
}

/// Clicking (or pressing Enter on) anything that belongs to a connection
/// shows that connection in the ladder.
pub(crate) fn select_connection_on(shown: &Ptr<Shown>, dispatch: &Dispatch) -> Callback<Event> {
    let (shown, dispatch) = (shown.clone(), dispatch.clone());
    Callback::from(move |event: Event| {
        if let Some(key) = closest_attr(&event, "data-conn") {
            let mut parts = key.split(' ');
            let protocol = parts.next().and_then(crate::view_model::Column::parse_key);
            let conn = parts.next().and_then(|c| c.parse().ok());
            if let (Some(p), Some(c)) = (protocol, conn) {
                if shown.run.get(p).and_then(|r| r.connection(c)).is_some() {
                    dispatch.dispatch(Action::SelectConnection(p, c));
                }
            }
        }
    })
}
