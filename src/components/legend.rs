use yew::prelude::*;

/// Swatches for the phases, drawn with the same classes (colour and
/// pattern) as the bars, with DevTools' names and the held-back time (`Phase::name`; a component
/// test holds the two together). Static markup as one string: far less
/// wasm than the same tree built by `html!`.
const PHASES: &str = concat!(
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="bar ph-queue" x="0.5" y="0.5" width="21" height="11" rx="2"/></svg>Queueing</li>"#,
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="bar ph-dns" x="0.5" y="0.5" width="21" height="11" rx="2"/></svg>DNS Lookup</li>"#,
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="bar ph-connect" x="0.5" y="0.5" width="21" height="11" rx="2"/></svg>Initial connection</li>"#,
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="bar ph-tls" x="0.5" y="0.5" width="21" height="11" rx="2"/></svg>SSL/TLS</li>"#,
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="bar ph-wait" x="0.5" y="0.5" width="21" height="11" rx="2"/></svg>Waiting for server response</li>"#,
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="bar ph-download" x="0.5" y="0.5" width="21" height="11" rx="2"/></svg>Content Download</li>"#,
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="bar ph-held" x="0.5" y="0.5" width="21" height="11" rx="2"/></svg>Held behind a lost packet</li>"#,
);

/// The connection lanes' own marks: idle time, the close on each side's
/// clock, a request lost to a close.
const LANE_MARKS: &str = concat!(
    r#"<li><svg width="22" height="12" aria-hidden="true"><line class="idle-line" x1="1" y1="6" x2="21" y2="6"/></svg>Idle, keep-alive countdown</li>"#,
    r#"<li><svg width="12" height="12" aria-hidden="true"><path class="close-mark" d="M3 1V11M3 6H10"/></svg>Close when the client sees it (reason)</li>"#,
    r#"<li><svg width="12" height="12" aria-hidden="true"><path class="close-other" d="M6 10l-3.5-6h7z"/></svg>Server's close, on its clock</li>"#,
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="lost-attempt" x="1" y="4" width="14" height="4"/><path class="lost-x" d="M13 3l6 6M19 3l-6 6"/></svg>Request lost to a close, retried</li>"#,
);

/// The legend; `lanes` adds the connection lanes' marks.
pub fn legend(lanes: bool) -> Html {
    let items = if lanes { [PHASES, LANE_MARKS].concat() } else { PHASES.to_string() };
    Html::from_html_unchecked(format!(r#"<ul class="legend" aria-label="Legend">{items}</ul>"#).into())
}
