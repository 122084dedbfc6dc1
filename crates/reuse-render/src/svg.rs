//! A tiny SVG writer: escaping, number formatting, and the shared style sheet.

use std::fmt::Write as _;

/// Escapes text for XML content and attribute values. Characters XML 1.0
/// cannot hold at all (most C0 controls) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most two decimals and no trailing zeros.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let rounded = (v * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

/// A protocol in class names (`p-http10`, `c-h2`, …): `http10`, `http11`,
/// `h2`, `h3`.
pub fn protocol_key(p: reuse_sim::Protocol) -> &'static str {
    use reuse_sim::Protocol;
    match p {
        Protocol::Http10 => "http10",
        Protocol::Http11 => "http11",
        Protocol::H2 => "h2",
        Protocol::H3 => "h3",
    }
}

/// DevTools' phase colours, as in the web app's light theme.
pub mod colour {
    pub const QUEUE: &str = "#9aa0a6";
    pub const DNS: &str = "#00897b";
    pub const CONNECT: &str = "#f57c00";
    pub const TLS: &str = "#8e24aa";
    pub const WAIT: &str = "#8fd19e";
    pub const DOWNLOAD: &str = "#1a73e8";
    pub const IDLE: &str = "#7b8794";
    pub const CLOSE: &str = "#c62828";
    pub const LOAD: &str = "#e11d48";
}

/// The one inline style sheet (no external CSS): fonts, lines, phase fills.
pub const STYLE: &str = "
text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:11px;fill:#1b2330}
.title{font-size:14px;font-weight:600}
.subtitle,.tick-label,.note{fill:#566273}
.group-title{font-size:12px;font-weight:600}
.grid{stroke:#e9edf2;stroke-width:1}
.axis-line{stroke:#d5dbe3;stroke-width:1}
.row-bg{fill:#f7f9fb}
.ph-queue{fill:#9aa0a6}.ph-dns{fill:#00897b}.ph-connect{fill:#f57c00}.ph-tls{fill:#8e24aa}
.ph-wait{fill:#8fd19e}.ph-download{fill:#1a73e8}
.ph-held{fill:#f9a8d4;stroke:#9d174d;stroke-width:1}.ph-blocked{fill:#fde68a;stroke:#92400e;stroke-width:1}
.idle-line{stroke:#7b8794;stroke-width:1.5;stroke-dasharray:4 3;fill:none}
.deadline{stroke:#7b8794;stroke-width:1.5}
.close-mark{stroke:#c62828;stroke-width:2;fill:none}
.close-label{fill:#c62828}
.lost-mark{stroke:#d32f2f;stroke-width:2;fill:none}
.load-mark{stroke:#e11d48;stroke-width:1.5;stroke-dasharray:5 3}
.load-label{fill:#e11d48}
.break-band{fill:#ffffff}
.label-bg{fill:#ffffff;fill-opacity:0.9}
.break-mark{stroke:#566273;stroke-width:1.2;fill:none}
.bar-label{fill:#ffffff;font-size:10px}
.endpoint{stroke:#1b2330;stroke-width:2.5}
.end-label{font-size:12px;font-weight:600}
.pkt-up .pkt-line{stroke:#0f766e;stroke-width:1.4}.pkt-up .pkt-head{fill:#0f766e}
.pkt-down .pkt-line{stroke:#1a73e8;stroke-width:1.4}.pkt-down .pkt-head{fill:#1a73e8}
.pkt-retx .pkt-line{stroke-width:2.4}
.pkt-lost .pkt-line{stroke:#d32f2f;stroke-dasharray:4 3}
.retx-mark{stroke:#f57c00;stroke-width:1.5;fill:#ffffff}
.pkt-label{font-size:10px;fill:#3c4654}
.lost-label{font-size:10px;fill:#d32f2f;font-weight:600}
.tcp-state{font-size:10px;fill:#8e24aa;font-weight:600}
.fold-band{fill:#eef1f5}
.fold-text{font-size:10px;font-style:italic;fill:#566273}
.metric{font-size:12px;font-weight:600}
.metric-help{font-size:10px;fill:#566273}
.bar-track{fill:#eef1f5}
.value{font-size:12px}
.p-http10{fill:#b45309}.p-http11{fill:#0f766e}.p-h2{fill:#4338ca}.p-h3{fill:#be185d}
.curve{fill:none;stroke-width:2}.band{fill-opacity:0.14;stroke:none}
.hit{fill:#4338ca;fill-opacity:0}.hit:hover{fill-opacity:0.08}
.c-http10{stroke:#b45309}.c-http11{stroke:#0f766e}.c-h2{stroke:#4338ca}.c-h3{stroke:#be185d}
.b-http10,.d-http10{fill:#b45309}.b-http11,.d-http11{fill:#0f766e}.b-h2,.d-h2{fill:#4338ca}.b-h3,.d-h3{fill:#be185d}
";

/// Opens a complete, self-contained SVG document for `view` (`lanes`,
/// `waterfall`, `ladder`, `totals`): the root and one top-level group carry
/// `data-view`, the group also `id`, so a test or a script can tell which
/// view a file holds. [`close`] ends both.
pub fn open(out: &mut String, width: f64, height: f64, label: &str, view: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         role=\"img\" aria-label=\"{label}\" data-view=\"{view}\">\n<title>{label}</title>\n<style>{STYLE}</style>\n\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n<g id=\"{view}\" data-view=\"{view}\">\n",
        w = num(width),
        h = num(height),
        label = escape(label),
        view = escape(view),
    );
}

/// `svg` (from [`open`]) with every rule of its style sheet limited to
/// elements inside `scope` (a CSS selector): a page that puts the picture
/// inline keeps its own styles, as a downloaded file keeps the picture's.
pub fn scoped(svg: &str, scope: &str) -> String {
    let (Some(start), Some(end)) = (svg.find("<style>"), svg.find("</style>")) else {
        return svg.to_string();
    };
    let sheet = &svg[start + "<style>".len()..end];
    let mut out = String::with_capacity(svg.len() + sheet.len());
    out.push_str(&svg[..start + "<style>".len()]);
    for rule in sheet.split_inclusive('}') {
        match rule.split_once('{') {
            Some((selectors, body)) => {
                let selectors: Vec<String> =
                    selectors.split(',').map(|sel| format!("{scope} {}", sel.trim())).collect();
                out.push_str(&selectors.join(","));
                out.push('{');
                out.push_str(body);
            }
            None => out.push_str(rule),
        }
    }
    out.push_str(&svg[end..]);
    out
}

/// Ends what [`open`] began.
pub fn close(out: &mut String) {
    out.push_str("</g>\n</svg>\n");
}

/// A rectangle with a class, at least `min_w` wide, with an optional tooltip.
pub fn rect(out: &mut String, class: &str, x: f64, y: f64, w: f64, h: f64, tip: Option<&str>) {
    let _ = write!(
        out,
        "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
        num(x),
        num(y),
        num(w.max(0.0)),
        num(h.max(0.0))
    );
    match tip {
        Some(tip) => {
            let _ = writeln!(out, "><title>{}</title></rect>", escape(tip));
        }
        None => out.push_str("/>\n"),
    }
}

pub fn line(out: &mut String, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) {
    let _ = writeln!(
        out,
        "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        num(x1),
        num(y1),
        num(x2),
        num(y2)
    );
}

/// Text; `anchor` is `start`, `middle` or `end`. The baseline is placed so
/// that `y` is the vertical middle of 11 px text (no `dominant-baseline`,
/// which some converters ignore).
pub fn text(out: &mut String, class: &str, x: f64, y: f64, anchor: &str, content: &str) {
    let _ = writeln!(
        out,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
        num(x),
        num(y + 4.0),
        escape(content)
    );
}

/// Text on a white backing, readable over dashed lines and bands.
pub fn text_on_white(out: &mut String, class: &str, x: f64, mid: f64, anchor: &str, content: &str) {
    let w = crate::layout::text_width(content);
    let left = match anchor {
        "end" => x - w,
        "middle" => x - w / 2.0,
        _ => x,
    };
    rect(out, "label-bg", left - 2.0, mid - 7.0, w + 4.0, 14.0, None);
    text(out, class, x, mid, anchor, content);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scoped_sheet_limits_every_rule_to_the_scope() {
        let mut svg = String::new();
        open(&mut svg, 10.0, 10.0, "x", "curve");
        close(&mut svg);
        let scoped = scoped(&svg, ".plot");
        let sheet = &scoped[scoped.find("<style>").unwrap() + 7..scoped.find("</style>").unwrap()];
        let rules: Vec<&str> = sheet.split_inclusive('}').filter(|r| r.contains('{')).collect();
        assert_eq!(rules.len(), STYLE.matches('{').count());
        for rule in rules {
            let selectors = rule.split_once('{').unwrap().0;
            assert!(selectors.split(',').all(|sel| sel.trim_start().starts_with(".plot ")), "{rule}");
        }
        assert!(sheet.contains(".plot .b-http10,.plot .d-http10{fill:#b45309}"));
        let bare = |t: &str| t.replace(".plot ", "").replace('\n', "");
        assert_eq!(bare(&scoped), bare(&svg), "only the scope is added");
    }

    #[test]
    fn escape_makes_markup_inert_and_drops_characters_xml_forbids() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\u{1}y"), "x\u{FFFD}y");
        assert_eq!(escape("é ✓"), "é ✓");
    }

    #[test]
    fn numbers_are_short_and_finite() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(0.5), "0.5");
    }
}
