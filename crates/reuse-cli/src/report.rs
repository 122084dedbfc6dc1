//! Human-readable reports of runs: totals, a text waterfall of the requests,
//! connections with why they closed, and a side-by-side comparison of
//! protocols. Everything shown comes from the engine's results; nothing is
//! re-derived here.

use reuse_sim::scenario::{Protocol, TlsVersion};
use reuse_sim::{RequestResult, RunResult, Scenario, SimOutput};

use crate::text::{self, Align, Table};

/// Width of the waterfall bars, in characters (the whole page load).
const WATERFALL_WIDTH: usize = 40;
/// Request ids listed per connection before "+N more".
const CONNECTION_REQUESTS_SHOWN: usize = 4;

/// One run's scenario (under the protocol it ran with) and its output.
pub struct Run<'a> {
    pub scenario: &'a Scenario,
    pub output: &'a SimOutput,
    /// A variant's label (`run --variant`), shown in place of the protocol.
    pub label: Option<&'a str>,
    /// The scenario's many clients (`clients`), when it has them.
    pub crowd: Option<&'a reuse_sim::crowd::CrowdResult>,
}

impl Run<'_> {
    /// The column and section name: the variant's label with its protocol,
    /// or the protocol.
    pub fn name(&self) -> String {
        match self.label {
            Some(label) => format!("{label} ({})", protocol_label(self.scenario)),
            None => protocol_label(self.scenario),
        }
    }
}

/// The protocol with the options that change its behaviour: "HTTP/1.1
/// (pipelined)", "HTTP/1.0 (keep-alive)".
pub fn protocol_label(scenario: &Scenario) -> String {
    let c = &scenario.client;
    let base = c.protocol.label();
    match c.protocol {
        Protocol::Http10 if c.http10_keep_alive => format!("{base} (keep-alive)"),
        Protocol::Http11 if c.pipelining => format!("{base} (pipelined)"),
        _ => base.to_string(),
    }
}

/// The full report of one run.
pub fn run_report(run: &Run<'_>) -> String {
    let s = run.scenario;
    let r = &run.output.result;
    let mut out = String::new();
    out.push_str(&format!("{} ({})\n", title(s), protocol_label(s)));
    out.push_str(&setup_lines(s, run.output.hosts.len(), s.client.protocol.over_quic()));
    out.push('\n');
    out.push_str(&totals_section(s, r));
    out.push('\n');
    out.push_str(&requests_section(r));
    out.push('\n');
    out.push_str(&connections_section(r));
    if let Some(push) = &r.push {
        out.push('\n');
        out.push_str(&push_section(push));
    }
    if let Some(crowd) = run.crowd {
        out.push('\n');
        out.push_str(&crowd_section(crowd));
    }
    out
}

/// Many clients (`clients`): the server's figures at scale.
fn crowd_section(c: &reuse_sim::crowd::CrowdResult) -> String {
    let rows: Vec<(&str, String)> = vec![
        (
            "Clients",
            format!(
                "{}, arriving evenly over {} ms, each with its own connections and path ({} run{} simulated{})",
                text::count(c.clients.into()),
                text::ms(c.over_ms),
                c.distinct_runs,
                if c.distinct_runs == 1 { "" } else { "s" },
                if c.distinct_runs == 1 { ", shifted in time" } else { ": the clients cycle through the loss draws" }
            ),
        ),
        (
            "Page load",
            format!(
                "median {} ms, 90th percentile {} ms, max {} ms",
                text::ms(c.median_page_load_ms),
                text::ms(c.p90_page_load_ms),
                text::ms(c.max_page_load_ms)
            ),
        ),
        (
            "Connections",
            format!(
                "{} accepted, at most {} in one second; at most {} open at once (first at {} ms), {} on average until the last close at {} ms",
                text::count(c.connections_accepted),
                text::count(c.peak_accepts_per_second),
                text::count(c.peak_open_connections),
                text::ms(c.peak_at_ms),
                reuse_sim::time::fixed(c.mean_open_connections, 1),
                text::ms(c.duration_ms)
            ),
        ),
        (
            "Handshakes",
            format!(
                "{} full and {} resumed TLS handshakes, {} ms of CPU",
                text::count(c.full_handshakes),
                text::count(c.resumed_handshakes),
                text::ms(c.handshake_cpu_ms)
            ),
        ),
        (
            "Server",
            format!(
                "{} requests, {} sockets left in TIME-WAIT; CPU {} ms in all; memory at the peak {}",
                text::count(c.requests_served),
                text::count(c.time_wait_sockets),
                text::ms(c.cpu_ms),
                text::bytes(c.peak_memory_bytes)
            ),
        ),
    ];
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let body: String = rows.iter().map(|(k, v)| format!("  {k:<width$}  {v}\n")).collect();
    format!("Many clients (the server's side)\n{body}")
}

/// The server's events (`push`): a summary line, then when each happened,
/// went into a response and reached the client.
fn push_section(p: &reuse_sim::result::PushResult) -> String {
    let mut table = Table::new(&[
        ("event", Align::Right),
        ("happened", Align::Right),
        ("written", Align::Right),
        ("delivered", Align::Right),
        ("latency", Align::Right),
        ("request", Align::Left),
        ("conn", Align::Right),
    ])
    .indent(2);
    let or_never = |v: Option<f64>| v.map(text::ms).unwrap_or_else(|| "never".into());
    for (i, e) in p.events.iter().enumerate() {
        table.row(vec![
            (i + 1).to_string(),
            text::ms(e.happened_ms),
            or_never(e.written_ms),
            or_never(e.delivered_ms),
            or_never(e.latency_ms),
            e.request.clone().unwrap_or_else(|| "-".into()),
            e.connection.map_or_else(|| "-".into(), |c| c.to_string()),
        ]);
    }
    format!(
        "Server's events (ms), fetched by {}: {} of {} delivered, latency mean {}, median {}, max {} ms; \
         {} requests ({} answered with no event); {} bytes and {} packets on the wire per event\n{}",
        p.fetched_by,
        p.delivered,
        p.events.len(),
        text::ms(p.mean_latency_ms),
        text::ms(p.median_latency_ms),
        text::ms(p.max_latency_ms),
        p.requests,
        p.empty_responses,
        text::count(p.bytes_per_event.round() as u64),
        reuse_sim::time::fixed(p.packets_per_event, 1),
        table.render()
    )
}

fn title(s: &Scenario) -> &str {
    if s.name.trim().is_empty() {
        "(unnamed scenario)"
    } else {
        s.name.as_str()
    }
}

fn rate(mbps: Option<f64>) -> String {
    match mbps {
        Some(v) => format!("{v} Mbit/s"),
        None => "unlimited".into(),
    }
}

/// The settings that matter most when reading the numbers, the same for
/// every protocol (so a comparison can show them once); QUIC's when a run
/// is HTTP/3.
fn setup_lines(s: &Scenario, hosts: usize, quic: bool) -> String {
    let n = &s.network;
    let tls = match s.tls.version {
        TlsVersion::None => "no TLS".to_string(),
        TlsVersion::Tls12 => format!("TLS 1.2 (resumption: {})", s.tls.resumption.as_str()),
        TlsVersion::Tls13 => format!("TLS 1.3 (resumption: {})", s.tls.resumption.as_str()),
    };
    let hosts_text = if hosts == 1 { "1 host".to_string() } else { format!("{hosts} hosts") };
    let mut lines = format!(
        "  network: RTT {} ms, down {}, up {}, loss {}, MSS {} B, initial cwnd {} segments, {} congestion control\n  \
         requests: {} to {hosts_text}; {tls}; DNS {} ms; seed {}\n  \
         connections: up to {} per host over HTTP/1.x, one over HTTP/2 and HTTP/3 (up to {} streams); \
         idle timeout: server {} ms, client {} ms\n",
        text::ms(n.rtt_ms),
        rate(n.downlink_mbps),
        rate(n.uplink_mbps),
        text::percent(n.loss_rate),
        text::count(n.mss_bytes.into()),
        s.tcp.initial_cwnd_segments,
        s.tcp.congestion_control.label(),
        s.requests.len(),
        text::ms(s.dns_ms),
        s.seed,
        s.client.max_connections_per_host,
        s.server.max_concurrent_streams,
        text::ms(s.server.keep_alive_timeout_ms),
        text::ms(s.client.idle_timeout_ms),
    );
    if quic {
        let q = &s.quic;
        let mds = q.max_datagram_size_bytes as u64;
        let window = reuse_sim::transport::quic::recovery::initial_window(mds, q.initial_window_packets);
        lines.push_str(&format!(
            "  QUIC: TLS 1.3 always; datagrams of {} B, initial window {} B, max_ack_delay {} ms; \
             max_idle_timeout client {} ms, server {} ms; QPACK table {} B\n",
            text::count(mds),
            text::count(window),
            text::ms(q.max_ack_delay_ms),
            text::ms(q.client_max_idle_timeout_ms),
            text::ms(q.server_max_idle_timeout_ms),
            text::count(q.qpack_max_table_capacity_bytes.into()),
        ));
    }
    lines
}

/// The textbook's formula beside the simulated time, or why there is none
/// (`reuse_sim::formula`).
fn closed_form_words(s: &Scenario, r: &RunResult) -> String {
    use reuse_sim::formula::{agrees, closed_form, ClosedForm};
    match closed_form(s, r.protocol) {
        ClosedForm::Applies(receipt) => {
            let mark = if agrees(receipt.expected_ms, r.page_load_ms) { "✓" } else { "✗ differs from" };
            let rounds: Vec<String> = receipt
                .breakdown
                .iter()
                .filter(|(_, n)| *n > 0.0)
                .map(|(what, n)| format!("{what} {}", trim_round_trips(*n)))
                .collect();
            format!(
                "{} = {} = {} ms {mark} simulated {} ms; {}; round trips: {}",
                receipt.formula,
                receipt.worked,
                text::ms(receipt.expected_ms),
                text::ms(r.page_load_ms),
                receipt.model,
                rounds.join(", ")
            )
        }
        ClosedForm::None(why) => format!("none: {why}"),
    }
}

fn totals_section(s: &Scenario, r: &RunResult) -> String {
    let t = &r.totals;
    let rows: Vec<(&str, String)> = vec![
        ("Page load", format!("{} ms", text::ms(r.page_load_ms))),
        ("Closed form", closed_form_words(s, r)),
        (
            "Connections",
            format!(
                "{} opened, {} ms of set-up ({} round trips at RTT {} ms)",
                text::count(t.connections_opened.into()),
                text::ms(t.setup_ms),
                trim_round_trips(t.handshake_round_trips),
                text::ms(s.network.rtt_ms)
            ),
        ),
        (
            "Packets",
            format!(
                "{}, {} lost, {} retransmissions",
                text::count(t.packets),
                text::count(t.packets_lost),
                text::count(t.retransmissions)
            ),
        ),
        (
            "Bytes on the wire",
            format!(
                "{} bytes ({}), {} of them HTTP headers",
                text::count(t.bytes_on_wire),
                text::bytes(t.bytes_on_wire),
                text::count(t.header_bytes)
            ),
        ),
        ("Idle closes", text::count(t.idle_closes.into())),
        ("Retried requests", text::count(t.retried_requests.into())),
        ("Queued", format!("{} ms, summed over requests", text::ms(t.queued_ms))),
        ("TIME-WAIT", format!("{} on the client, {} on the server", t.time_wait_client, t.time_wait_server)),
        ("Server", server_words(r)),
    ];
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    rows.iter().map(|(k, v)| format!("{k:<width$}  {v}\n")).collect()
}

/// The server's side (`RunResult::server`): what it held and did, and the
/// estimate of its CPU and memory at `server.costs`.
fn server_words(r: &RunResult) -> String {
    let v = &r.server;
    format!(
        "peak {} connection{} open (mean {} over the page load), {} accepted, {} full and {} resumed \
         TLS handshakes, {} requests; estimated CPU {} ms, memory at the peak {}",
        v.peak_open_connections,
        if v.peak_open_connections == 1 { "" } else { "s" },
        reuse_sim::time::fixed(v.mean_open_connections, 2),
        v.connections_accepted,
        v.full_handshakes,
        v.resumed_handshakes,
        v.requests_served,
        text::ms(v.cpu_ms),
        text::bytes(v.peak_memory_bytes),
    )
}

fn trim_round_trips(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Per-request phases in DevTools' order, with a text waterfall.
fn requests_section(r: &RunResult) -> String {
    let hosts_differ = r.requests.windows(2).any(|w| w[0].host != w[1].host);
    let any_stream = r.requests.iter().any(|q| q.stream.is_some());
    let any_retry = r.requests.iter().any(|q| q.retries > 0);
    let span = r.requests.iter().map(|q| q.end_ms).fold(r.page_load_ms, f64::max);

    let mut columns: Vec<(&str, Align)> = vec![("request", Align::Left)];
    if hosts_differ {
        columns.push(("host", Align::Left));
    }
    columns.push(("conn", Align::Right));
    if any_stream {
        columns.push(("stream", Align::Right));
    }
    columns.extend([
        ("reused", Align::Left),
        ("start", Align::Right),
        ("queued", Align::Right),
        ("dns", Align::Right),
        ("connect", Align::Right),
        ("tls", Align::Right),
        ("send", Align::Right),
        ("wait", Align::Right),
        ("download", Align::Right),
        ("end", Align::Right),
    ]);
    if any_retry {
        columns.push(("retries", Align::Right));
    }
    columns.push(("waterfall", Align::Left));

    let mut table = Table::new(&columns).indent(2);
    for q in &r.requests {
        let mut row = vec![q.id.clone()];
        if hosts_differ {
            row.push(q.host.clone());
        }
        row.push(q.connection.to_string());
        if any_stream {
            row.push(q.stream.map(|id| id.to_string()).unwrap_or_else(|| "-".into()));
        }
        row.push(if q.reused { "yes" } else { "no" }.into());
        for v in [
            q.start_ms,
            q.queued_ms,
            q.dns_ms,
            q.connect_ms,
            q.tls_ms,
            q.send_ms,
            q.wait_ms,
            q.download_ms,
            q.end_ms,
        ] {
            row.push(text::ms(v));
        }
        if any_retry {
            row.push(q.retries.to_string());
        }
        row.push(format!("|{}|", waterfall_bar(q, span, WATERFALL_WIDTH)));
        table.row(row);
    }
    format!(
        "Requests (ms)\n{}  waterfall: one column = {} ms;  . queued  d DNS  c connect  t TLS  s send  w wait  = download\n",
        table.render(),
        text::ms(if span > 0.0 { span / WATERFALL_WIDTH as f64 } else { 0.0 }),
    )
}

/// The request's phases drawn to scale on `width` columns spanning
/// `0..span` ms. A phase covers the columns between its rounded start and
/// end; a request too short for one column still gets one mark, so every
/// request is visible.
pub fn waterfall_bar(q: &RequestResult, span: f64, width: usize) -> String {
    let mut cells = vec![' '; width];
    if span <= 0.0 || width == 0 {
        return cells.into_iter().collect();
    }
    let column = |t: f64| -> usize {
        let c = (t / span * width as f64).round();
        if c.is_finite() && c > 0.0 {
            (c as usize).min(width)
        } else {
            0
        }
    };
    let phases = [
        ('.', q.queued_ms),
        ('d', q.dns_ms),
        ('c', q.connect_ms),
        ('t', q.tls_ms),
        ('s', q.send_ms),
        ('w', q.wait_ms),
        ('=', q.download_ms),
    ];
    let mut at = q.start_ms;
    let mut drawn = false;
    for (mark, duration) in phases {
        let (from, to) = (column(at), column(at + duration));
        for cell in cells.iter_mut().take(to).skip(from) {
            *cell = mark;
            drawn = true;
        }
        at += duration;
    }
    if !drawn && q.end_ms > q.start_ms {
        // Too short to cover a column: mark the longest phase where it starts.
        let longest = phases.iter().fold(phases[0], |best, p| if p.1 > best.1 { *p } else { best });
        let c = column(q.start_ms).min(width - 1);
        cells[c] = longest.0;
    }
    cells.into_iter().collect()
}

fn connections_section(r: &RunResult) -> String {
    let mut table = Table::new(&[
        ("conn", Align::Right),
        ("host", Align::Left),
        ("tls", Align::Left),
        ("opened", Align::Right),
        ("ready", Align::Right),
        ("closed", Align::Right),
        ("closed by", Align::Left),
        ("TIME-WAIT", Align::Left),
        ("packets", Align::Right),
        ("retx", Align::Right),
        ("requests", Align::Left),
    ])
    .indent(2);
    for c in &r.connections {
        let shown: Vec<&str> =
            c.requests.iter().take(CONNECTION_REQUESTS_SHOWN).map(String::as_str).collect();
        let mut requests = format!("{}: {}", c.requests.len(), shown.join(", "));
        if c.requests.len() > shown.len() {
            requests.push_str(&format!(" +{} more", c.requests.len() - shown.len()));
        }
        if c.requests.is_empty() {
            requests = "0".into();
        }
        table.row(vec![
            c.id.to_string(),
            c.host.clone(),
            c.tls.as_str().to_string(),
            text::ms(c.opened_ms),
            c.ready_ms.map(text::ms).unwrap_or_else(|| "never".into()),
            c.closed_ms.map(text::ms).unwrap_or_else(|| "-".into()),
            c.closed_by.as_str().to_string(),
            c.time_wait.map(|side| side.as_str().to_string()).unwrap_or_else(|| "-".into()),
            text::count(c.packets),
            text::count(c.retransmissions),
            requests,
        ]);
    }
    format!("Connections (ms)\n{}", table.render())
}

/// Totals of several runs side by side, the first one as the baseline.
pub fn comparison(runs: &[Run<'_>]) -> String {
    let Some(first) = runs.first() else {
        return String::new();
    };
    let labels: Vec<String> = runs.iter().map(Run::name).collect();
    let mut columns: Vec<(&str, Align)> = vec![("", Align::Left)];
    columns.extend(labels.iter().map(|l| (l.as_str(), Align::Right)));
    let mut table = Table::new(&columns).indent(2);

    let metric = |name: &str, value: &dyn Fn(&RunResult) -> String| -> Vec<String> {
        std::iter::once(name.to_string()).chain(runs.iter().map(|run| value(&run.output.result))).collect()
    };
    let baseline = first.output.result.page_load_ms;
    table.row(metric("page load (ms)", &|r| text::ms(r.page_load_ms)));
    let mut saving = metric(&format!("saving vs {}", labels[0]), &|r| {
        let saved = baseline - r.page_load_ms;
        if baseline > 0.0 {
            format!("{} ms ({})", text::ms(saved), text::percent(saved / baseline))
        } else {
            format!("{} ms", text::ms(saved))
        }
    });
    saving[1] = "-".into();
    table.row(saving);
    table.row(metric("connections", &|r| text::count(r.totals.connections_opened.into())));
    table.row(metric("setup (ms)", &|r| text::ms(r.totals.setup_ms)));
    table.row(metric("packets", &|r| text::count(r.totals.packets)));
    table.row(metric("header bytes", &|r| text::count(r.totals.header_bytes)));
    table.row(metric("bytes on the wire", &|r| text::count(r.totals.bytes_on_wire)));
    table.row(metric("retransmissions", &|r| text::count(r.totals.retransmissions)));
    table.row(metric("idle closes", &|r| text::count(r.totals.idle_closes.into())));
    table.row(metric("retried requests", &|r| text::count(r.totals.retried_requests.into())));
    table.row(metric("queued (ms)", &|r| text::ms(r.totals.queued_ms)));
    if runs.iter().any(|run| run.crowd.is_some()) {
        type Figure = fn(&reuse_sim::crowd::CrowdResult) -> String;
        let rows: [(&str, Figure); 7] = [
            ("clients: connections accepted", |c| text::count(c.connections_accepted)),
            ("clients: most per second", |c| text::count(c.peak_accepts_per_second)),
            ("clients: most open at once", |c| text::count(c.peak_open_connections)),
            ("clients: full TLS handshakes", |c| text::count(c.full_handshakes)),
            ("clients: handshake CPU (ms)", |c| text::ms(c.handshake_cpu_ms)),
            ("clients: memory at the peak", |c| text::bytes(c.peak_memory_bytes)),
            ("clients: median page load (ms)", |c| text::ms(c.median_page_load_ms)),
        ];
        for (name, value) in rows {
            let cells = runs.iter().map(|run| run.crowd.map_or_else(|| "-".into(), value));
            table.row(std::iter::once(name.to_string()).chain(cells).collect());
        }
    }
    if runs.iter().any(|run| run.output.result.push.is_some()) {
        let push = |value: fn(&reuse_sim::result::PushResult) -> String| {
            move |r: &RunResult| r.push.as_ref().map_or_else(|| "-".into(), value)
        };
        table.row(metric("events delivered", &push(|p| format!("{} of {}", p.delivered, p.events.len()))));
        table.row(metric("event latency, mean (ms)", &push(|p| text::ms(p.mean_latency_ms))));
        table.row(metric("event latency, median (ms)", &push(|p| text::ms(p.median_latency_ms))));
        table.row(metric("event latency, max (ms)", &push(|p| text::ms(p.max_latency_ms))));
        table.row(metric("requests for events", &push(|p| text::count(p.requests.into()))));
        table.row(metric("  answered with none", &push(|p| text::count(p.empty_responses.into()))));
        table.row(metric("bytes per event", &push(|p| text::count(p.bytes_per_event.round() as u64))));
        table.row(metric("packets per event", &push(|p| reuse_sim::time::fixed(p.packets_per_event, 1))));
    }

    format!(
        "{} ({} {})\n{}\n{}",
        title(first.scenario),
        runs.len(),
        if first.label.is_some() {
            "variants compared; the settings are the first one's, each variant's are in its section"
        } else {
            "protocols compared"
        },
        setup_lines(
            first.scenario,
            first.output.hosts.len(),
            runs.iter().any(|run| run.scenario.client.protocol.over_quic())
        ),
        table.render()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(start: f64, phases: [f64; 7]) -> RequestResult {
        let end = start + phases.iter().sum::<f64>();
        RequestResult {
            id: "r".into(),
            host: "example.com".into(),
            status: 200,
            connection: 1,
            reused: false,
            start_ms: start,
            queued_ms: phases[0],
            dns_ms: phases[1],
            connect_ms: phases[2],
            tls_ms: phases[3],
            send_ms: phases[4],
            wait_ms: phases[5],
            download_ms: phases[6],
            end_ms: end,
            sent_ms: start + phases[..4].iter().sum::<f64>(),
            first_byte_ms: end - phases[6],
            retries: 0,
            held_ms: 0.0,
            blocked_ms: 0.0,
            failure: None,
            stream: None,
            header_bytes: 0,
            response_wire_bytes: 0,
            response_received_bytes: 0,
        }
    }

    #[test]
    fn waterfall_marks_each_phase_in_proportion() {
        // 100 ms connect + 100 ms wait over a 400 ms page on 40 columns:
        // 10 columns each, starting at column 0.
        let q = request(0.0, [0.0, 0.0, 100.0, 0.0, 0.0, 100.0, 0.0]);
        let bar = waterfall_bar(&q, 400.0, 40);
        assert_eq!(bar.chars().count(), 40);
        assert_eq!(bar.chars().filter(|&c| c == 'c').count(), 10);
        assert_eq!(bar.chars().filter(|&c| c == 'w').count(), 10);
        assert!(bar.starts_with("cccccccccc"));
        assert_eq!(bar.trim_end().len(), 20);
    }

    #[test]
    fn waterfall_starts_late_requests_at_their_start_column() {
        let q = request(200.0, [0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 100.0]);
        let bar = waterfall_bar(&q, 400.0, 40);
        assert_eq!(bar.find('w'), Some(20));
        assert_eq!(bar.rfind('='), Some(39));
    }

    #[test]
    fn waterfall_shows_a_tiny_request_as_one_mark() {
        let q = request(10.0, [0.0, 0.0, 0.0, 0.0, 0.1, 0.5, 0.2]);
        let bar = waterfall_bar(&q, 10_000.0, 40);
        assert_eq!(bar.trim().chars().collect::<Vec<_>>(), vec!['w']);
    }

    #[test]
    fn waterfall_of_an_instant_page_is_blank() {
        let q = request(0.0, [0.0; 7]);
        assert_eq!(waterfall_bar(&q, 0.0, 8), "        ");
    }
}
