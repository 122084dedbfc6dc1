use std::rc::Rc;

use yew::prelude::*;

use super::lab::Lab;
use crate::state::AppState;

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// The address's query string: a permalink (see `permalink`), or empty
    /// for the first preset.
    #[prop_or_default]
    pub query: AttrValue,
    /// `prefers-reduced-motion`: no autoplay.
    #[prop_or_default]
    pub reduced_motion: bool,
}

/// The whole app. The first simulation runs here; if even a built-in preset
/// cannot be simulated, the page says so instead of showing stale views.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let initial = use_memo((props.query.clone(), props.reduced_motion), |(query, reduced)| {
        AppState::from_query(query).map(|s| if *reduced { s.without_autoplay() } else { s })
    });
    match &*initial {
        Ok(state) => html! { <Lab initial={Rc::new(state.clone())} /> },
        Err(e) => html! {
            <main class="fatal" role="alert">
                <h1>{ "Reuse Lab" }</h1>
                <p>{ format!("The built-in scenario could not be simulated: {e}") }</p>
            </main>
        },
    }
}
