//! The golden matrix: every preset under 26 variations (seed, loss, buffer
//! limit, pipelining, delayed ACK, window, rates, timeouts, request limits,
//! MSS, stream limits; the last two with CUBIC) and every protocol. Shared by the golden test
//! (`tests/golden.rs`) and `examples/digest_matrix.rs`, which prints it.
//!
//! Each line carries two digests:
//! - `behaviour`: what crosses the wire (every packet with its times, flags,
//!   sequence numbers and fate) and the result fields the scenario format
//!   names. It changes only when the engine *behaves* differently.
//! - `trace`: [`reuse_sim::digest`], the whole trace and result as JSON. It
//!   also changes when the trace or the result gains a field or an event.

use reuse_sim::scenario::{CongestionControl, CwndUnit, LossRecovery, PipelineProcessing, Protocol};
use reuse_sim::trace::EventKind;
use reuse_sim::{Scenario, SimOutput};

/// One row: `(label, scenario)`; variation 0 of a preset is the preset itself.
pub fn scenarios() -> Vec<(String, Scenario)> {
    let mut rows = Vec::new();
    for preset in reuse_sim::presets::all() {
        for v in 0..24u32 {
            let mut s = preset.scenario();
            s.seed = s.seed.wrapping_add(v as u64 * 7919);
            if v % 2 == 1 {
                s.network.loss_rate = [0.01, 0.03, 0.08][(v as usize / 2) % 3];
            }
            if v % 3 == 1 {
                s.network.queue_packets = Some(4 + v);
            }
            if v % 4 == 2 {
                s.client.pipelining = true;
                s.server.pipeline_processing = PipelineProcessing::Serial;
            }
            if v % 4 == 3 {
                s.client.pipelining = true;
                s.server.pipeline_processing = PipelineProcessing::Parallel;
            }
            if v % 5 == 1 {
                s.tcp.delayed_ack = !s.tcp.delayed_ack;
            }
            if v % 5 == 2 {
                s.tcp.rwnd_bytes = Some(20_000);
            }
            if v % 6 == 1 {
                s.network.downlink_mbps = None;
                s.network.uplink_mbps = Some(0.5);
            }
            if v % 7 == 3 {
                s.server.keep_alive_timeout_ms = 50.0;
                s.client.idle_timeout_ms = 120.0;
            }
            if v % 7 == 5 {
                s.server.max_requests_per_connection = 2;
                s.client.http10_keep_alive = true;
            }
            if v % 8 == 5 {
                s.tcp.slow_start_after_idle = !s.tcp.slow_start_after_idle;
                s.network.mss_bytes = 536;
            }
            if v % 9 == 4 {
                s.server.max_concurrent_streams = 2;
                s.client.max_connections_per_host = 2;
            }
            rows.push((format!("{} v{v}", preset.id), s));
        }
        // CUBIC with HyStart++ (`tcp.congestion_control`): under loss with
        // a small buffer, and counting bytes with NewReno's recovery.
        for v in 24..26u32 {
            let mut s = preset.scenario();
            s.tcp.congestion_control = CongestionControl::Cubic;
            s.seed = s.seed.wrapping_add(v as u64 * 7919);
            s.network.loss_rate = 0.02;
            if v == 24 {
                s.network.queue_packets = Some(16);
            } else {
                s.tcp.cwnd_unit = CwndUnit::Bytes;
                s.tcp.loss_recovery = LossRecovery::NewReno;
            }
            rows.push((format!("{} v{v}", preset.id), s));
        }
        // BBR (`tcp.congestion_control`): paced, under loss.
        let mut s = preset.scenario();
        s.tcp.congestion_control = CongestionControl::Bbr;
        s.seed = s.seed.wrapping_add(26 * 7919);
        s.network.loss_rate = 0.02;
        rows.push((format!("{} v26", preset.id), s));
    }
    rows
}

/// The protocols every row runs under.
pub fn protocols() -> Vec<Protocol> {
    Protocol::ALL.to_vec()
}

/// Every line of the matrix: `LABEL PROTOCOL behaviour=HEX trace=HEX`, in
/// matrix order. Rows are simulated on every core (each run is
/// deterministic on its own, so the order of work does not matter).
pub fn lines() -> Vec<String> {
    let rows = scenarios();
    let protocols = protocols();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = rows.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(chunk.max(1))
            .map(|part| {
                let protocols = &protocols;
                scope.spawn(move || {
                    part.iter().flat_map(|(label, s)| row_lines(label, s, protocols)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a matrix worker panicked")).collect()
    })
}

fn row_lines(label: &str, s: &reuse_sim::Scenario, protocols: &[Protocol]) -> Vec<String> {
    match reuse_sim::simulate_each(s, protocols, Default::default()) {
        Ok(outputs) => outputs
            .iter()
            .map(|out| {
                format!(
                    "{label} {} behaviour={:016x} trace={:016x}",
                    out.result.protocol.as_str(),
                    behaviour_digest(out),
                    reuse_sim::digest(out)
                )
            })
            .collect(),
        Err(e) => vec![format!("{label} error {e}")],
    }
}

/// FNV-1a over a fixed text projection of the run's behaviour (see the
/// module documentation). Written out field by field so that fields added
/// to the trace or the result later do not move it.
pub fn behaviour_digest(out: &SimOutput) -> u64 {
    use std::fmt::Write;
    let mut text = String::new();
    for event in &out.trace {
        if let EventKind::PacketSent(p) = &event.kind {
            let f = p.flags;
            let _ = writeln!(
                text,
                "P {} {} {} {:?}{}{}{}{} {} {} {} {} {} {} {} {} {} {} {}",
                event.time.0,
                p.id,
                p.conn,
                p.from,
                f.syn as u8,
                f.ack as u8,
                f.fin as u8,
                f.rst as u8,
                p.seq,
                p.ack,
                p.payload_bytes,
                p.wire_bytes,
                p.queued_at.0,
                p.sent.0,
                p.departed.0,
                p.arrives.0,
                p.lost as u8,
                p.queue_drop as u8,
                p.retransmission as u8,
            );
        }
    }
    let r = &out.result;
    let t = &r.totals;
    let _ = writeln!(
        text,
        "R {} {} {} {} {} {} {} {} {} {} {}",
        r.protocol.as_str(),
        r.page_load_ms,
        t.connections_opened,
        t.setup_ms,
        t.packets,
        t.bytes_on_wire,
        t.header_bytes,
        t.retransmissions,
        t.idle_closes,
        t.retried_requests,
        t.queued_ms
    );
    for q in &r.requests {
        let _ = writeln!(
            text,
            "Q {} {} {} {} {} {} {} {} {} {} {} {}",
            q.id,
            q.connection,
            q.reused,
            q.start_ms,
            q.queued_ms,
            q.dns_ms,
            q.connect_ms,
            q.tls_ms,
            q.send_ms,
            q.wait_ms,
            q.download_ms,
            q.end_ms
        );
    }
    for c in &r.connections {
        let _ = writeln!(
            text,
            "C {} {} {} {:?} {:?} {} {}",
            c.id,
            c.host,
            c.opened_ms,
            c.ready_ms,
            c.closed_ms,
            c.closed_by.as_str(),
            c.requests.join(",")
        );
    }
    reuse_sim::Fnv1a::hash(text.as_bytes())
}
