//! A middlebox on the path (`network.middlebox`): a NAT next to the client
//! or a load balancer next to the server, which keeps state per connection
//! and forgets a connection idle for longer than its timeout, silently.
//!
//! Every packet that passes it refreshes its idle timer: data, ACKs and
//! keep-alive probes alike (RFC 5382 REQ-5: a NAT's established-connection
//! idle timeout is refreshed by packets in either direction). When the timer
//! runs out the box forgets the connection (the trace records it as an
//! observer event, [`EventKind::MiddleboxForgot`]; nothing goes on the wire).
//! A packet of a forgotten connection goes no further: with
//! `on_expired: "rst"` the box answers it with a reset (AWS NAT gateway and
//! Network Load Balancer: "If a client or a target sends data after the idle
//! timeout period elapses, it receives a TCP RST packet"); with `"drop"` it
//! vanishes and its sender retransmits until it gives up (`tcp_retries2`).
//!
//! Where it stands decides when a packet meets it: a packet from the side
//! it stands next to meets it as it leaves (`transmit`), one from the far
//! side as it arrives (`tcp_arrive`). A reset it sends takes no bottleneck
//! time and is never lost; it is recorded as a packet from the far side's
//! direction with [`PacketNote::MiddleboxReset`].
//!
//! QUIC (HTTP/3) runs do not meet the middlebox (see the README).

use crate::engine::{Ev, Net, TraceIndex};
use crate::scenario::Middlebox;
#[cfg(feature = "keepalive")]
use crate::scenario::{MiddleboxKind, OnExpired};
#[cfg(feature = "keepalive")]
use crate::scheduler::TimerFire;
use crate::time::SimDuration;
use crate::trace::{ConnId, Content, EventKind, Flags, PacketInfo, PacketNote, Side, TraceEvent};

use super::NO_ECHO;

/// A middlebox as the engine uses it. Without the feature `keepalive` it
/// cannot exist (see `KeepaliveConfig`): every middlebox path is dropped.
#[derive(Clone, Copy, Debug)]
pub struct MiddleboxConfig {
    /// The side it stands next to.
    pub near: Side,
    pub idle_timeout: SimDuration,
    pub reset: bool,
    #[cfg(not(feature = "keepalive"))]
    _never: crate::transport::Never,
}

impl MiddleboxConfig {
    #[cfg(feature = "keepalive")]
    pub fn new(m: &Middlebox) -> Option<Self> {
        Some(MiddleboxConfig {
            near: match m.kind {
                MiddleboxKind::Nat => Side::Client,
                MiddleboxKind::LoadBalancer => Side::Server,
            },
            idle_timeout: SimDuration::from_ms_f64(m.idle_timeout_ms),
            reset: m.on_expired == OnExpired::Rst,
        })
    }

    /// Validation refuses `network.middlebox` in this build.
    #[cfg(not(feature = "keepalive"))]
    pub fn new(_: &Middlebox) -> Option<Self> {
        None
    }
}

impl Net<'_> {
    /// A packet passes the middlebox now: `true` if the box still knows the
    /// connection (its idle timer starts over), `false` if it forgot it.
    fn middlebox_passes(&mut self, c: ConnId) -> bool {
        let Some(mb) = self.middlebox else { return true };
        let now = self.now();
        let cn = &mut self.tcp[c];
        if !cn.forgotten && cn.middlebox_timer.deadline().is_some_and(|d| d <= now) {
            // It runs out this very instant, before its event popped.
            cn.middlebox_timer.stop();
            self.forget(c);
        }
        let cn = &mut self.tcp[c];
        if cn.forgotten {
            return false;
        }
        if let Some(at) = cn.middlebox_timer.set(now + mb.idle_timeout) {
            self.sched.at(at, Ev::MiddleboxIdle { conn: c });
        }
        true
    }

    /// Did the middlebox forget connection `c` (a TCP connection)?
    #[cfg(feature = "keepalive")]
    pub(crate) fn silently_dead(&self, c: ConnId) -> bool {
        match self.transport {
            crate::transport::TransportKind::Tcp => {
                self.tcp.0.get(c as usize - 1).is_some_and(|cn| cn.forgotten)
            }
            #[cfg(feature = "quic")]
            crate::transport::TransportKind::Quic => false,
        }
    }

    fn forget(&mut self, c: ConnId) {
        self.tcp[c].forgotten = true;
        self.record(EventKind::MiddleboxForgot { conn: c });
    }

    /// The middlebox's idle timer fires (if it still runs).
    #[cfg(feature = "keepalive")]
    pub(crate) fn on_middlebox_idle(&mut self, c: ConnId) {
        let now = self.now();
        match self.tcp[c].middlebox_timer.fire(now) {
            TimerFire::Fire => {
                if !self.tcp[c].forgotten && !self.tcp[c].fully_closed {
                    self.forget(c);
                }
            }
            TimerFire::Ignore => {}
            TimerFire::Reschedule(at) => {
                self.sched.at(at, Ev::MiddleboxIdle { conn: c });
            }
        }
    }

    /// A packet `from` leaves: does the middlebox next to it stop it?
    pub(super) fn middlebox_stops_departure(&mut self, c: ConnId, from: Side) -> bool {
        match self.middlebox {
            Some(mb) if mb.near == from => !self.middlebox_passes(c),
            _ => false,
        }
    }

    /// Packet `sent` arrives: does the middlebox next to its receiver stop
    /// it? A stopped packet is marked lost in its `PacketSent` entry (the
    /// views draw it so) and answered as the box answers.
    pub(super) fn middlebox_stops_arrival(&mut self, c: ConnId, sent: TraceIndex) -> bool {
        let Some(mb) = self.middlebox else { return false };
        let Some(p) = self.sent_packet(sent) else { return false };
        if mb.near == p.from || p.note == Some(PacketNote::MiddleboxReset) || self.middlebox_passes(c) {
            return false;
        }
        if let Some(TraceEvent { kind: EventKind::PacketSent(p), .. }) = self.trace.get_mut(sent as usize) {
            p.lost = true;
            let lost = &mut self.tcp[c].lost_sent[p.from.index()];
            let at = lost.partition_point(|&i| i < sent);
            lost.insert(at, sent);
        }
        // Its reset travels back the whole path to the sender.
        let back = self.links[mb.near.index()].propagation();
        self.middlebox_rejects(c, sent, back);
        true
    }

    /// The middlebox stops packet `sent`: it records so and, when it answers
    /// with resets, sends one that reaches the packet's sender `delay` later
    /// (never a reset for a reset).
    pub(super) fn middlebox_rejects(&mut self, c: ConnId, sent: TraceIndex, delay: SimDuration) {
        let Some(p) = self.sent_packet(sent) else { return };
        let (id, from, rst, ack) = (p.id, p.from, p.flags.rst, p.ack);
        self.record(EventKind::MiddleboxRejected { conn: c, id, from });
        if rst || !self.middlebox.is_some_and(|m| m.reset) {
            return;
        }
        let now = self.now();
        let reset_id = self.next_packet_id;
        self.next_packet_id += 1;
        let wire_bytes = self.sc.network.packet_overhead_bytes;
        let arrives = now + delay;
        let index = self.trace.len() as TraceIndex;
        self.trace.push(TraceEvent {
            time: now,
            kind: EventKind::PacketSent(PacketInfo {
                id: reset_id,
                conn: c,
                from: from.peer(),
                flags: Flags::RST,
                // RFC 9293 §3.10.7.1: a reset answering a segment with an ACK
                // takes its sequence number from that ACK.
                seq: ack,
                ack: 0,
                payload_bytes: 0,
                wire_bytes,
                queued_at: now,
                sent: now,
                departed: now,
                arrives,
                lost: false,
                queue_drop: false,
                retransmission: false,
                content: Content::None,
                more_content: 0,
                cwnd_bytes: 0,
                #[cfg(feature = "quic")]
                quic: None,
                note: Some(PacketNote::MiddleboxReset),
            }),
        });
        // Not in the link's FIFO order: through the heap.
        self.sched.at(arrives, Ev::Arrive { sent: index, sack: 0, echo: NO_ECHO });
    }
}
