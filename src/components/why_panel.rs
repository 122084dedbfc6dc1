use std::rc::Rc;

use yew::prelude::*;

use super::Dispatch;
use crate::state::Action;
use crate::view_model::Explanation;

/// "Why is this here?": the engine's words for what the pointer or keyboard
/// focus is on, each with its time, and a button that zooms every view to
/// it. A polite live region, so screen readers read it too.
pub fn why_panel(explanation: Option<&Rc<Explanation>>, dispatch: &Dispatch) -> Html {
    let zoom = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ZoomToExplained))
    };
    html! {
        <aside class="why" aria-label="Why is this here?" data-testid="why">
            <div aria-live="polite">
            if let Some(e) = explanation {
                <p class="why-title">
                    <strong>{ &e.title }</strong>{" "}<span class="why-when">{ &e.when }</span>
                    if e.span.is_some() {
                        { " " }
                        <button type="button" class="small" onclick={zoom} data-testid="zoom-to"
                            title="Zoom every view to this (Z)">{ "Zoom to this" }</button>
                    }
                </p>
                <ul class="why-lines">
                    { for e.lines.iter().map(|(at, text)| html! {
                        <li><span class="why-at">{ at }</span>{ " " }{ text }</li>
                    }) }
                </ul>
            } else {
                <p class="why-hint">{ "Why is this here? Point at, or Tab to, any bar or packet to read its cause." }</p>
            }
            </div>
        </aside>
    }
}
