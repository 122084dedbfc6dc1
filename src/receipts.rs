//! The closed form beside the result (issue 12): for every protocol shown,
//! the textbook formula that applies to the run, worked with the
//! scenario's numbers, beside the simulated page load and a breakdown of
//! its round trips; or the condition that rules a closed form out. The
//! engine decides and computes both sides (`reuse_sim::formula`, what
//! `reuse-cli run` prints under "Closed form"); this only writes it as
//! HTML for the totals card.
//!
//! Made in the export worker (`src/export.rs`, kind `formula`), which
//! re-simulates the page's link, so the formulas cost the first load
//! nothing; the page puts the HTML under the totals (`cf=1` in the link).

use std::fmt::Write as _;

use reuse_render::layout::format_ms;
use reuse_render::svg::escape;
use reuse_sim::formula::{agrees, closed_form, ClosedForm};
use reuse_sim::{Scenario, SimOutput};

/// The receipts' own styles, sent with them (not in the first load's CSS).
const STYLE: &str = "<style>\
.receipts{margin:.5rem 0 0;font-size:.88rem}\
.receipt{border-top:1px solid var(--line);padding:.35rem 0}\
.receipt p{margin:.1rem 0}\
.receipt .formula{font-variant-numeric:tabular-nums}\
.receipt .ok{font-weight:600}\
.receipt .off{font-weight:700;text-decoration:underline}\
.receipt .cf-why,.receipt .rounds{color:var(--muted)}\
</style>";

/// A round-trip count for people: "2", "2.5".
fn round_trips(n: f64) -> String {
    reuse_render::layout::trim_zeros(reuse_sim::time::fixed(n, 2))
}

/// The receipts of every run (one per protocol shown), as HTML.
pub fn receipts_html(scenario: &Scenario, outputs: &[SimOutput]) -> String {
    columns_html(
        outputs.iter().map(|o| (o.result.protocol.label(), scenario.with_protocol(o.result.protocol), o)),
    )
}

/// [`receipts_html`] for any columns: each its name, the scenario it ran
/// (with its own protocol) and its output (the variants on one clock).
pub fn columns_html<'a>(columns: impl IntoIterator<Item = (&'a str, Scenario, &'a SimOutput)>) -> String {
    let mut out = String::from(STYLE);
    out.push_str("<h3 class=\"visually-hidden\">Closed form</h3>");
    for (label, s, o) in columns {
        let r = &o.result;
        let p = r.protocol;
        let _ = write!(out, "<div class=\"receipt\" data-protocol=\"{}\"", p.as_str());
        match closed_form(&s, p) {
            ClosedForm::Applies(receipt) => {
                let ok = agrees(receipt.expected_ms, r.page_load_ms);
                // "HTTP/2: HTTP/2: every object…" once, not twice.
                let model = receipt
                    .model
                    .strip_prefix(p.label())
                    .map_or(receipt.model, |m| m.trim_start_matches(": "));
                let _ = write!(
                    out,
                    " data-agrees=\"{ok}\" data-expected-ms=\"{}\"><p><b>{}</b>: {}</p>",
                    receipt.expected_ms,
                    escape(label),
                    escape(model)
                );
                let _ = write!(
                    out,
                    "<p class=\"formula\">{} = {} = <b>{}</b> <span class=\"{}\">{} simulated {}</span></p>",
                    escape(&receipt.formula),
                    escape(&receipt.worked),
                    format_ms(receipt.expected_ms),
                    if ok { "ok" } else { "off" },
                    if ok { "✓" } else { "✗ differs from" },
                    format_ms(r.page_load_ms)
                );
                let rounds: Vec<String> = receipt
                    .breakdown
                    .iter()
                    .filter(|(_, n)| *n > 0.0)
                    .map(|(what, n)| format!("{} {}", escape(what), round_trips(*n)))
                    .collect();
                if !rounds.is_empty() {
                    let _ = write!(out, "<p class=\"rounds\">Round trips: {}</p>", rounds.join(", "));
                }
            }
            ClosedForm::None(why) => {
                let _ = write!(
                    out,
                    " data-agrees=\"none\"><p><b>{}</b>: <span class=\"cf-why\">no closed form: {}</span></p>",
                    escape(label),
                    escape(&why)
                );
            }
        }
        out.push_str("</div>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::{simulate_each, Limits, Protocol};

    fn html(link: &str) -> String {
        let (scenario, protocols) = reuse_sim::permalink::scenario_of(link).unwrap();
        let outputs = simulate_each(&scenario, &protocols, Limits::default()).unwrap();
        receipts_html(&scenario, &outputs)
    }

    /// Kurose & Ross, chapter 2: a base file and 8 small objects at RTT
    /// 100 ms (transmission time neglected) loads in 2(N + 1)·RTT = 1,800 ms
    /// non-persistent and serial, (N + 2)·RTT… the textbook's answers.
    #[test]
    fn the_textbook_answers_are_worked_and_agree() {
        // Serial non-persistent (one connection at a time): 2 × (8 + 1) × 100 ms.
        let serial =
            html("?v=1&p=textbook&rtt=100&bw=&loss=0&n=8&kb=1&iw=10&tls=none&ka=5000&cl=1&pl=0&show=10");
        assert!(serial.contains("data-expected-ms=\"1800\""), "{serial}");
        assert!(serial.contains("data-agrees=\"true\""), "{serial}");
        assert!(serial.contains("✓ simulated 1.8 s"), "{serial}");
        // Persistent with pipelining, one connection: (1 + 1 + 1) × 100 ms.
        let piped =
            html("?v=1&p=textbook&rtt=100&bw=&loss=0&n=8&kb=1&iw=10&tls=none&ka=5000&cl=1&pl=1&show=11");
        assert!(piped.contains("data-expected-ms=\"300\""), "{piped}");
    }

    #[test]
    fn every_shown_protocol_gets_a_receipt_or_a_reason() {
        let lossy = html("?v=1&p=lossy-mobile&show=10-11-2");
        assert_eq!(lossy.matches("class=\"receipt\"").count(), 3);
        assert_eq!(lossy.matches("data-agrees=\"none\"").count(), 3, "{lossy}");
        assert!(lossy.contains("no closed form: "), "{lossy}");
        let p = Protocol::Http11;
        assert!(lossy.contains(&format!("<b>{}</b>", p.label())));
    }
}
