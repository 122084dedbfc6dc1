//! Many clients in the server's view (issue 14, item 2; full build): the
//! page loaded by 1 to 10,000 clients arriving evenly over a period, each
//! with its own connections and path to one server, and what the server
//! sees at that scale per protocol: connections accepted and per second,
//! the most open at once, handshakes and their CPU, memory at the peak and
//! the clients' page loads. The engine folds them
//! (`reuse_sim::crowd::simulate_crowd`, what `reuse-cli run --clients N
//! --over MS` prints) and draws them (`reuse_render::crowd_svg`, `reuse-cli
//! svg --view server --clients N`); this writes them as HTML for the card.
//!
//! Made in the export worker (`src/export.rs`, kind `crowd`): 10,000
//! clients are a second of folding, off the page's thread. The card's
//! fields are read here too ([`read_fields`]) by the engine's own rule.

use std::fmt::Write as _;

use reuse_render::layout::{format_bytes, format_count, format_ms};
use reuse_render::svg::escape;
use reuse_sim::crowd::{simulate_crowd, CrowdResult};
use reuse_sim::scenario::Clients;
use reuse_sim::Limits;

/// The element the figures are written into.
pub const FIGURES_ID: &str = "crowd-figures";

/// The scope of the picture's style sheet on the page.
const PLOT_SCOPE: &str = ".crowd-plot";

/// The figures' own styles, sent with them (not in the first load's CSS).
/// The picture is drawn for paper; a dark page shows it inverted.
const STYLE: &str = "<style>\
.crowd-figures{border-collapse:collapse;font-size:.88rem;width:100%}\
.crowd-figures th,.crowd-figures td{padding:.28rem .4rem;border-bottom:1px solid var(--grid);text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.crowd-figures thead th{font-size:.8rem;border-bottom:1px solid var(--line)}\
.crowd-figures th[scope=row]{text-align:left;font-weight:500;white-space:normal}\
.crowd-hint code{overflow-wrap:anywhere}\
@media (prefers-color-scheme:dark){.crowd-plot svg{filter:invert(.9) hue-rotate(180deg)}}\
</style>";

/// The card's two fields: the number of clients and the seconds their
/// arrivals are spread over, checked by the engine's rule
/// (`Clients::validate`). `Err((field, reason))`: `field` is `count` or
/// `over`.
pub fn read_fields(count: &str, over_s: &str) -> Result<Clients, (&'static str, String)> {
    let count_text = count.trim();
    let count: u32 = count_text.parse().map_err(|_| {
        ("count", format!("must be a whole number of clients from 1 to 10,000 (got {count_text:?})"))
    })?;
    let over_text = over_s.trim();
    let over_s: f64 = match over_text {
        "" => 0.0,
        text => text
            .parse()
            .ok()
            .filter(|s: &f64| s.is_finite())
            .ok_or_else(|| ("over", format!("must be a number of seconds (got {text:?})")))?,
    };
    let clients = Clients { count, over_ms: over_s * 1000.0 };
    clients.validate().map_err(|e| {
        let field = if e.field.ends_with("count") { "count" } else { "over" };
        // The engine speaks in milliseconds; the field is in seconds.
        let reason = if field == "over" {
            format!("must be from 0 to 3,600 seconds, one hour (got {over_text})")
        } else {
            e.reason
        };
        (field, reason)
    })?;
    Ok(clients)
}

/// The worker's job text for `clients` drawn `width_px` wide:
/// `COUNT:OVER_MS:WIDTH`.
pub fn job(clients: &Clients, width_px: f64) -> String {
    format!("{}:{}:{}", clients.count, reuse_sim::time::decimal(clients.over_ms), width_px.round() as u32)
}

/// Reads [`job`]'s text.
fn read_job(job: &str) -> Option<(Clients, u32)> {
    let mut parts = job.split(':');
    let count = parts.next()?.parse().ok()?;
    let over_ms = parts.next()?.parse().ok()?;
    let width = parts.next().and_then(|w| w.parse().ok()).unwrap_or(800);
    Some((Clients { count, over_ms }, width))
}

/// The figures of `query`'s scenario loaded by the clients of `job`, for
/// each protocol the link shows, as HTML: a table, the command line that
/// prints the same, and the picture. A problem is written as an alert in
/// the same place, never lost.
pub fn crowd_html(query: &str, job: &str) -> String {
    match crowds(query, job) {
        Ok(html) => html,
        Err(message) => format!("<p class=\"error\" role=\"alert\">{}</p>", escape(&message)),
    }
}

fn crowds(query: &str, job: &str) -> Result<String, String> {
    let (clients, width) =
        read_job(job).ok_or_else(|| format!("the many-clients job {job:?} could not be read"))?;
    let (mut scenario, protocols) = reuse_sim::permalink::scenario_of(query)
        .map_err(|e| format!("the page's link could not be read ({e})"))?;
    scenario.clients = Some(clients.clone());
    scenario.validate().map_err(|e| e.to_string())?;
    let limits = Limits { max_events: crate::view_model::BROWSER_MAX_EVENTS, ..Limits::default() };
    let results: Vec<CrowdResult> = protocols
        .iter()
        .map(|&p| simulate_crowd(&scenario, p, limits).map_err(|e| format!("{}: {e}", p.label())))
        .collect::<Result<_, _>>()?;
    let mut out = String::from(STYLE);
    out.push_str(&table(&results));
    let lossy = results.iter().any(|c| c.distinct_runs > 1);
    let arrivals = if clients.over_ms > 0.0 {
        format!(
            "arriving evenly over {} (one every {})",
            format_ms(clients.over_ms),
            format_ms(clients.over_ms / f64::from(clients.count))
        )
    } else {
        "all arriving at 0 s".to_string()
    };
    let _ = write!(
        out,
        "<p class=\"hint crowd-hint\">{} clients {arrivals}, each with its own connections and path to this server (no shared bottleneck); {}. \
         The command line prints the same: <code>reuse-cli run --link '{}' --clients {} --over {}</code></p>",
        format_count(u64::from(clients.count)),
        if lossy {
            "with loss, the clients take turns among 50 loss draws"
        } else {
            "without loss every client's run is the same, shifted in time"
        },
        escape(query),
        clients.count,
        reuse_sim::time::decimal(clients.over_ms),
    );
    let options = reuse_render::RenderOptions { width_px: width.max(reuse_render::MIN_WIDTH_PX) };
    let svg = reuse_render::crowd_svg(&scenario, &results.iter().collect::<Vec<_>>(), &options);
    let _ = write!(
        out,
        "<div class=\"crowd-plot\" style=\"overflow-x:auto\">{}</div>",
        reuse_render::svg::scoped(&svg, PLOT_SCOPE)
    );
    Ok(out)
}

/// One row per figure, one column per protocol.
fn table(results: &[CrowdResult]) -> String {
    type Figure = fn(&CrowdResult) -> String;
    // (key for tests and scripts, label, figure)
    let rows: [(&str, &str, Figure); 9] = [
        ("accepted", "Connections accepted", |c| format_count(c.connections_accepted)),
        ("per-second", "Most accepted in one second", |c| format_count(c.peak_accepts_per_second)),
        ("peak-open", "Most open at once", |c| {
            format!("{} at {}", format_count(c.peak_open_connections), format_ms(c.peak_at_ms))
        }),
        ("handshakes", "Full TLS handshakes (resumed)", |c| {
            format!("{} ({})", format_count(c.full_handshakes), format_count(c.resumed_handshakes))
        }),
        ("handshake-cpu", "Handshake CPU", |c| format_ms(c.handshake_cpu_ms)),
        ("cpu", "Server CPU in all", |c| format_ms(c.cpu_ms)),
        ("memory", "Memory at the peak", |c| format_bytes(c.peak_memory_bytes)),
        ("time-wait", "Sockets left in TIME-WAIT", |c| format_count(c.time_wait_sockets)),
        ("page-load", "Page load: median, 90th percentile", |c| {
            format!("{}, {}", format_ms(c.median_page_load_ms), format_ms(c.p90_page_load_ms))
        }),
    ];
    let mut out = String::from(
        "<div class=\"totals-wrap\"><table class=\"crowd-figures\" data-testid=\"crowd-table\"><thead><tr><th scope=\"col\">On the server</th>",
    );
    for c in results {
        let _ = write!(out, "<th scope=\"col\">{}</th>", c.protocol.label());
    }
    out.push_str("</tr></thead><tbody>");
    for (key, name, figure) in rows {
        let _ = write!(out, "<tr data-figure=\"{key}\"><th scope=\"row\">{name}</th>");
        for c in results {
            let _ = write!(out, "<td data-protocol=\"{}\">{}</td>", c.protocol.as_str(), escape(&figure(c)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figure of `key` for `protocol` in the HTML.
    fn cell(html: &str, key: &str, protocol: &str) -> String {
        let row = &html[html.find(&format!("data-figure=\"{key}\"")).expect(key)..];
        let row = &row[..row.find("</tr>").expect("row end")];
        let at = row.find(&format!("data-protocol=\"{protocol}\">")).expect(protocol);
        let rest = &row[at..];
        rest[rest.find('>').expect("cell") + 1..rest.find("</td>").expect("cell end")].to_string()
    }

    #[test]
    fn the_fields_are_read_by_the_engines_rule_and_each_problem_names_its_field() {
        let ok = read_fields(" 1000 ", "60").expect("reads");
        assert_eq!((ok.count, ok.over_ms), (1000, 60_000.0));
        assert_eq!(read_fields("5", "").map(|c| c.over_ms), Ok(0.0));
        for (count, over, field) in [
            ("0", "1", "count"),
            ("10001", "1", "count"),
            ("2.5", "1", "count"),
            ("ten", "1", "count"),
            ("5", "-1", "over"),
            ("5", "3601", "over"),
            ("5", "soon", "over"),
        ] {
            let (f, reason) = read_fields(count, over).expect_err(count);
            assert_eq!(f, field, "{count} {over}: {reason}");
            assert!(!reason.is_empty());
        }
    }

    #[test]
    fn a_job_reads_back_as_written() {
        let clients = Clients { count: 250, over_ms: 1500.5 };
        let (back, width) = read_job(&job(&clients, 812.4)).expect("reads");
        assert_eq!((back, width), (clients, 812));
        assert!(read_job("x:1:2").is_none());
    }

    #[test]
    fn keep_alive_accepts_one_connection_per_client_where_http10_accepts_one_per_object() {
        // K&R's page (index.html + 10 objects), one connection at a time,
        // TLS 1.3 and no resumption: HTTP/1.0 opens N + 1 = 11 connections
        // per client, each a full handshake; keep-alive opens one.
        let html = crowd_html(
            "?v=1&p=textbook&cl=1&tls=tls1.3&show=10-11",
            &job(&Clients { count: 1000, over_ms: 60_000.0 }, 800.0),
        );
        let n = |k: u64| format_count(k);
        assert_eq!(cell(&html, "accepted", "http/1.0"), n(11_000));
        assert_eq!(cell(&html, "accepted", "http/1.1"), n(1_000));
        assert_eq!(cell(&html, "handshakes", "http/1.0"), format!("{} (0)", n(11_000)));
        assert_eq!(cell(&html, "handshakes", "http/1.1"), format!("{} (0)", n(1_000)));
        assert!(html.contains("--clients 1000 --over 60000"), "{html}");
        assert!(html.contains("data-view=\"crowd\""), "the picture");
        assert!(html.contains("one every 60 ms"), "{html}");
    }

    #[test]
    fn a_bad_link_or_job_is_said_in_place() {
        let bad = crowd_html("?v=1&p=nope", &job(&Clients { count: 5, over_ms: 0.0 }, 800.0));
        assert!(bad.contains("role=\"alert\"") && bad.contains("nope"), "{bad}");
        assert!(crowd_html("?v=1&p=textbook", "five").contains("could not be read"));
    }
}
