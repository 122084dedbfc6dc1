//! Mounting the app: the first simulation runs before anything is drawn; if
//! even a built-in preset cannot be simulated, the page says so instead of
//! showing stale views.

use std::rc::Rc;

use yew::prelude::*;

use super::lab::{Lab, LabProps};
use super::{Frozen, FrozenProps};
use crate::state::AppState;

/// Renders the app for an address's query string (a permalink, or empty for
/// the first preset) into `root`. `reduced_motion`
/// (`prefers-reduced-motion`): no autoplay.
pub fn render_into(root: web_sys::Element, query: &str, reduced_motion: bool) {
    let initial = AppState::from_query(query).map(|s| if reduced_motion { s.without_autoplay() } else { s });
    match initial {
        Ok(state) => {
            yew::Renderer::<Lab>::with_root_and_props(root, LabProps { initial: Rc::new(state) }).render();
        }
        Err(e) => {
            let html = html! {
                <main class="fatal" role="alert">
                    <h1>{ "Reuse Lab" }</h1>
                    <p>{ format!("The built-in scenario could not be simulated: {e}") }</p>
                </main>
            };
            yew::Renderer::<Frozen>::with_root_and_props(root, FrozenProps { html: Rc::new(html) }).render();
        }
    }
}
