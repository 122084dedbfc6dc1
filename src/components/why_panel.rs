use std::rc::Rc;

use yew::prelude::*;

use crate::view_model::Explanation;

#[derive(Properties, PartialEq)]
pub struct WhyPanelProps {
    pub explanation: Option<Rc<Explanation>>,
}

/// "Why is this here?": the engine's words for what the pointer or keyboard
/// focus is on. A polite live region, so screen readers read it too.
#[function_component]
pub fn WhyPanel(props: &WhyPanelProps) -> Html {
    html! {
        <aside class="why" aria-live="polite" data-testid="why">
            if let Some(e) = &props.explanation {
                <p class="why-title"><strong>{ &e.title }</strong>{" "}<span class="why-when">{ &e.when }</span></p>
                <ul class="why-lines">
                    { for e.lines.iter().map(|l| html! { <li>{ l }</li> }) }
                </ul>
            } else {
                <p class="why-hint">{ "Why is this here? Point at, or Tab to, any bar or packet to read its cause." }</p>
            }
        </aside>
    }
}
