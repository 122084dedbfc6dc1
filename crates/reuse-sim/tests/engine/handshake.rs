//! The three-way handshake: one RTT before the request leaves, the request
//! on the final ACK, and RFC 6298's one-second initial RTO when a SYN is lost.

use crate::fixtures::*;
use reuse_sim::trace::{EventKind, Side, TcpState};
use reuse_sim::transport::tcp::INITIAL_RTO;

#[test]
fn handshake_costs_one_rtt_and_the_request_rides_on_the_final_ack() {
    for rtt in [1.0, 37.5, 100.0, 600.0] {
        let out = run(&single(rtt, 1000));
        let r = &out.result.requests[0];
        assert_ms(r.connect_ms, rtt, "connect");
        assert_ms(out.result.connections[0].ready_ms.unwrap(), rtt, "ready");
        let client_packets: Vec<_> = packets(&out).filter(|p| p.from == Side::Client).collect();
        assert!(client_packets[0].flags.syn && !client_packets[0].flags.ack);
        assert!(client_packets[1].flags.ack && client_packets[1].payload_bytes > 0, "request on the ACK");
    }
}

#[test]
fn states_follow_rfc_9293_names_on_both_sides() {
    let out = run(&single(100.0, 1000));
    let path = |side: Side| -> Vec<&str> {
        out.trace
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::TcpStateChanged { side: s, to, .. } if s == side => Some(to.as_str()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(&path(Side::Client)[..2], &["SYN-SENT", "ESTABLISHED"]);
    assert_eq!(&path(Side::Server)[..2], &["SYN-RECEIVED", "ESTABLISHED"]);
    // Whoever closes first ends in TIME-WAIT, the other in CLOSED.
    let last = |side| *path(side).last().unwrap();
    let mut ends = [last(Side::Client), last(Side::Server)];
    ends.sort();
    assert_eq!(ends, [TcpState::Closed.as_str(), TcpState::TimeWait.as_str()]);
}

#[test]
fn a_lost_syn_waits_for_the_initial_rto() {
    // Search seeds for a run where only the first SYN is lost (the loss
    // draws are deterministic per seed), then check the RFC 6298 timing.
    let rtt = 100.0;
    let mut found = false;
    for seed in 1..2000u64 {
        let mut s = single(rtt, 1000);
        s.network.loss_rate = 0.2;
        s.seed = seed;
        let out = run(&s);
        let lost: Vec<u64> = packets(&out).filter(|p| p.lost).map(|p| p.id).collect();
        if lost != [0] {
            continue;
        }
        found = true;
        let r = &out.result.requests[0];
        assert_ms(r.connect_ms, INITIAL_RTO.as_ms() + rtt, "SYN retransmitted after 1 s");
        assert_eq!(out.result.totals.retransmissions, 1);
        break;
    }
    assert!(found, "no seed lost exactly the first SYN");
}
