use yew::prelude::*;

use crate::view_model::Phase;

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// Add the connection lanes' extra marks (idle keep-alive, close).
    #[prop_or_default]
    pub lanes: bool,
}

/// Swatches for the phases, drawn with the same classes (colour and
/// pattern) as the bars.
#[function_component]
pub fn Legend(props: &LegendProps) -> Html {
    let swatch = |class: &'static str, name: &'static str| {
        html! {
            <li>
                <svg width="22" height="12" aria-hidden="true">
                    <rect class={classes!("bar", class)} x="0.5" y="0.5" width="21" height="11" rx="2" />
                </svg>
                { name }
            </li>
        }
    };
    html! {
        <ul class="legend" aria-label="Legend">
            { for Phase::ALL.iter().map(|p| swatch(p.class(), p.name())) }
            if props.lanes {
                <li>
                    <svg width="22" height="12" aria-hidden="true">
                        <line class="idle-line" x1="1" y1="6" x2="21" y2="6" />
                    </svg>
                    { "Idle, keep-alive countdown" }
                </li>
                <li>
                    <svg width="12" height="12" aria-hidden="true">
                        <path class="close-mark" d="M3 1V11M3 6H10" />
                    </svg>
                    { "Close (with reason)" }
                </li>
                <li>
                    <svg width="12" height="12" aria-hidden="true">
                        <path class="lost-x" d="M3 3l6 6M9 3l-6 6" />
                    </svg>
                    { "Request lost to a close, retried" }
                </li>
            }
        </ul>
    }
}
