use yew::prelude::*;

use crate::view_model::Phase;

/// The connection lanes' own marks: idle time, the close on each side's
/// clock, a request lost to a close.
const LANE_MARKS: &str = concat!(
    r#"<li><svg width="22" height="12" aria-hidden="true"><line class="idle-line" x1="1" y1="6" x2="21" y2="6"/></svg>Idle, keep-alive countdown</li>"#,
    r#"<li><svg width="12" height="12" aria-hidden="true"><path class="close-mark" d="M3 1V11M3 6H10"/></svg>Close when the client sees it (reason)</li>"#,
    r#"<li><svg width="12" height="12" aria-hidden="true"><path class="close-other" d="M6 10l-3.5-6h7z"/></svg>Server's close, on its clock</li>"#,
    r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="lost-attempt" x="1" y="4" width="14" height="4"/><path class="lost-x" d="M13 3l6 6M19 3l-6 6"/></svg>Request lost to a close, retried</li>"#,
);

/// The chosen connection's congestion window over its row (the full build's,
/// `lanes_static::window_line`).
#[cfg(feature = "cubic")]
const WINDOW_MARK: &str = r##"<li><svg width="22" height="12" aria-hidden="true"><polyline points="1 10 7 10 7 4 14 4 14 7 21 7" fill="none" stroke="#d55e00" stroke-width="1.4"/></svg>Congestion window, chosen connection</li>"##;

/// The legend: a swatch for each phase, drawn with the same classes (colour
/// and pattern) as the bars and named by `Phase::name` (DevTools' names and
/// the held-back times); `lanes` adds the connection lanes' marks. Static
/// markup as one string: far less wasm than the same tree built by `html!`.
pub fn legend(lanes: bool) -> Html {
    let mut items = String::from(r#"<ul class="legend" aria-label="Legend">"#);
    for phase in Phase::ALL {
        items.push_str(r#"<li><svg width="22" height="12" aria-hidden="true"><rect class="bar "#);
        items.push_str(phase.class());
        items.push_str(r#"" x="0.5" y="0.5" width="21" height="11" rx="2"/></svg>"#);
        items.push_str(phase.name());
        items.push_str("</li>");
    }
    if lanes {
        items.push_str(LANE_MARKS);
        // The full build draws the chosen connection's window on its row.
        #[cfg(feature = "cubic")]
        items.push_str(WINDOW_MARK);
    }
    items.push_str("</ul>");
    Html::from_html_unchecked(items.into())
}
