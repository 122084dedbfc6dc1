//! Digests of every preset under 24 variations (seed, loss, buffer limit,
//! pipelining, delayed ACK, window, rates, timeouts, request limits, MSS,
//! stream limits) and every protocol: 432 lines. An optimisation must leave
//! them byte-identical:
//!
//! ```text
//! cargo run -q --release -p reuse-sim --example digest_matrix > before.txt
//! # change the engine
//! cargo run -q --release -p reuse-sim --example digest_matrix | diff before.txt -
//! ```
//!
//! Variation 0 of each preset is the preset itself (same as `reuse-cli digest`).
use reuse_sim::scenario::{PipelineProcessing, Protocol};

fn main() {
    let mut lines: Vec<String> = Vec::new();
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
            match reuse_sim::simulate_each(&s, &Protocol::ALL, Default::default()) {
                Ok(outputs) => {
                    for out in outputs {
                        let protocol = out.result.protocol.as_str();
                        let digest = reuse_sim::digest(&out);
                        lines.push(format!("{} v{v} {protocol} {digest:016x}", preset.id));
                    }
                }
                Err(e) => lines.push(format!("{} v{v} error {e}", preset.id)),
            }
        }
    }
    println!("{}", lines.join("\n"));
}
