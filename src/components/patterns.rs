use yew::prelude::*;

/// SVG patterns for the phases, so that they differ by more than colour
/// (referenced from the stylesheet as `url(#pat-…)`), and arrow heads.
/// Static markup, drawn once at the top of the page: one string costs far
/// less wasm than the same tree built by `html!`.
const DEFS: &str = concat!(
    r#"<svg class="defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>"#,
    r#"<pattern id="pat-queue" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">"#,
    r#"<rect class="pat-bg ph-queue-bg" width="6" height="6"/><line class="pat-ink" x1="0" y1="0" x2="0" y2="6" stroke-width="2"/></pattern>"#,
    r#"<pattern id="pat-dns" width="5" height="5" patternUnits="userSpaceOnUse">"#,
    r#"<rect class="ph-dns-bg" width="5" height="5"/><circle class="pat-ink" cx="2.5" cy="2.5" r="1"/></pattern>"#,
    r#"<pattern id="pat-connect" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">"#,
    r#"<rect class="ph-connect-bg" width="6" height="6"/><line class="pat-ink" x1="0" y1="0" x2="0" y2="6" stroke-width="1.5"/></pattern>"#,
    r#"<pattern id="pat-tls" width="6" height="6" patternUnits="userSpaceOnUse">"#,
    r#"<rect class="ph-tls-bg" width="6" height="6"/><path class="pat-ink" d="M0 0L6 6M6 0L0 6" stroke-width="1"/></pattern>"#,
    r#"<pattern id="pat-wait" width="4" height="4" patternUnits="userSpaceOnUse">"#,
    r#"<rect class="ph-wait-bg" width="4" height="4"/><line class="pat-ink-soft" x1="0" y1="3.5" x2="4" y2="3.5" stroke-width="1"/></pattern>"#,
    r#"<pattern id="pat-held" width="6" height="6" patternUnits="userSpaceOnUse">"#,
    r#"<rect class="ph-held-bg" width="6" height="6"/><path class="pat-held-ink" d="M1.5 0V6M4.5 0V6" stroke-width="1"/></pattern>"#,
    r#"<marker id="arrow-head" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">"#,
    r#"<path class="arrow-head" d="M0 0L8 4L0 8z"/></marker>"#,
    r#"<marker id="arrow-head-lost" viewBox="0 0 8 8" refX="4" refY="4" markerWidth="9" markerHeight="9">"#,
    r#"<path class="lost-x" d="M1 1L7 7M7 1L1 7"/></marker>"#,
    r#"</defs></svg>"#,
);

pub fn patterns() -> Html {
    Html::from_html_unchecked(DEFS.into())
}
