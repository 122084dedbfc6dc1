//! A segment arrives: the TCP state machine (RFC 9293 §3.10.7).
//!
//! Each state's transitions sit beside it in [`Net::tcp_arrive`]; every
//! change goes through `TcpEndpoint::set_state`,
//! which returns the trace event to record, so no transition goes
//! unrecorded:
//!
//! | from         | on                      | to           |
//! |--------------|-------------------------|--------------|
//! | LISTEN       | SYN                     | SYN-RECEIVED |
//! | SYN-SENT     | SYN-ACK                 | ESTABLISHED  |
//! | SYN-RECEIVED | ACK                     | ESTABLISHED  |
//! | ESTABLISHED  | FIN in order            | CLOSE-WAIT   |
//! | ESTABLISHED  | own FIN sent            | FIN-WAIT-1   |
//! | CLOSE-WAIT   | own FIN sent            | LAST-ACK     |
//! | FIN-WAIT-1   | ACK of own FIN          | FIN-WAIT-2   |
//! | FIN-WAIT-1   | FIN in order            | CLOSING      |
//! | FIN-WAIT-2   | FIN in order            | TIME-WAIT    |
//! | CLOSING      | ACK of own FIN          | TIME-WAIT    |
//! | LAST-ACK     | ACK of own FIN          | CLOSED       |
//! | any open     | RST                     | CLOSED       |

use crate::engine::{Net, TraceIndex};
use crate::trace::{CloseReason, ConnId, EventKind, Flags, PacketNote, Side, TcpState};
use crate::transport::{Application, TransportEvent};

use super::{LossRecovery, TimerAction};

/// The parts of a packet the receiver reads.
#[derive(Clone, Copy, Debug)]
struct Segment {
    flags: Flags,
    seq: u64,
    ack: u64,
    len: u32,
}

impl Net<'_> {
    pub(in crate::transport) fn tcp_arrive<A: Application>(
        &mut self,
        app: &mut A,
        sent: TraceIndex,
        sack: u32,
        echo: TraceIndex,
    ) {
        let Some(p) = self.sent_packet(sent) else { return };
        let (id, c, to, note) = (p.id, p.conn, p.from.peer(), p.note);
        let seg = Segment { flags: p.flags, seq: p.seq, ack: p.ack, len: p.payload_bytes };
        // A middlebox next to `to` sees the packet as it arrives.
        if self.middlebox_stops_arrival(c, sent) {
            return;
        }
        self.record(EventKind::PacketDelivered { id, conn: c, to });
        let now = self.now();
        let state = self.tcp[c].ep[to.index()].state;
        if seg.flags.rst {
            if !matches!(state, TcpState::Closed | TcpState::TimeWait) {
                let reason = (note == Some(PacketNote::MiddleboxReset)).then_some(CloseReason::Middlebox);
                self.abort(app, c, to, reason);
            }
            return;
        }
        if to == Side::Client {
            self.keepalive_heard(c);
        }
        if note == Some(PacketNote::KeepaliveProbe) {
            // RFC 9293 §3.10.7.4: a segment below the window is answered
            // with an ACK; a keep-alive probe is one on purpose.
            self.tcp[c].ep[to.index()].rcv.ack_now = true;
        }
        match state {
            TcpState::TimeWait => {
                if seg.flags.fin {
                    // RFC 9293 §3.10.7.4: a retransmitted FIN is acknowledged again.
                    self.tcp[c].ep[to.index()].rcv.ack_now = true;
                    let snd_nxt = self.tcp[c].ep[to.index()].snd.snd_nxt;
                    self.transmit(c, to, Flags::ACK, snd_nxt, 0, false);
                }
                return;
            }
            TcpState::Closed => {
                // RFC 9293 §3.10.7.1: anything but a reset arriving for a
                // closed connection is answered with a reset (the first one
                // may have been lost).
                if seg.len > 0 || seg.flags.fin {
                    let seq = self.tcp[c].ep[to.index()].snd.snd_nxt;
                    self.record(EventKind::Reset { conn: c, side: to, data: seg.len > 0 });
                    self.transmit(c, to, Flags::RST, seq, 0, false);
                }
                return;
            }
            TcpState::Listen => {
                if seg.flags.syn {
                    let ep = &mut self.tcp[c].ep[to.index()];
                    if let Some(ev) = ep.set_state(c, TcpState::SynReceived) {
                        self.record(ev);
                    }
                    self.send_synack(c, false);
                }
                return;
            }
            TcpState::SynSent => {
                if seg.flags.syn && seg.flags.ack {
                    self.stop_rto(c, to);
                    let ep = &mut self.tcp[c].ep[to.index()];
                    let rtt = ep.snd.syn_sent_at.map(|t| now.since(t));
                    ep.snd.on_established(rtt);
                    ep.rcv.ack_pending = true;
                    ep.rcv.ack_now = true;
                    if let Some(ev) = ep.set_state(c, TcpState::Established) {
                        self.record(ev);
                    }
                    self.client_established(app, c);
                    self.output(app, c, to);
                }
                return;
            }
            TcpState::SynReceived => {
                if seg.flags.syn {
                    self.send_synack(c, true);
                    return;
                }
                if !seg.flags.ack {
                    return;
                }
                self.stop_rto(c, to);
                self.tcp[c].stalled_since[to.index()] = None;
                let ep = &mut self.tcp[c].ep[to.index()];
                let rtt = ep.snd.syn_sent_at.map(|t| now.since(t));
                ep.snd.on_established(rtt);
                if let Some(ev) = ep.set_state(c, TcpState::Established) {
                    self.record(ev);
                }
            }
            TcpState::Established
            | TcpState::FinWait1
            | TcpState::FinWait2
            | TcpState::CloseWait
            | TcpState::Closing
            | TcpState::LastAck => {
                if seg.flags.syn {
                    // Our ACK of the SYN-ACK was lost: acknowledge again.
                    self.tcp[c].ep[to.index()].rcv.ack_now = true;
                    self.output(app, c, to);
                    return;
                }
            }
        }

        if seg.flags.ack {
            let echoed = self.trace.get(echo as usize).map(|e| e.time);
            self.process_ack(app, c, to, seg, sack, echoed);
        }
        let len = seg.len as u64;
        if len > 0 {
            let cn = &self.tcp[c];
            let ep = &cn.ep[to.index()];
            if to == Side::Server
                && cn.app_closed[to.index()]
                && !cn.lingering
                && seg.seq + len > ep.rcv.rcv_nxt
            {
                // Data after the server closed its socket: RFC 9293 §3.10.7.4
                // / RFC 1122 §4.2.2.13 — the answer is a reset.
                let seq = ep.snd.snd_nxt;
                self.record(EventKind::Reset { conn: c, side: to, data: true });
                self.transmit(c, to, Flags::RST, seq, 0, false);
                self.abort(app, c, to, None);
                return;
            }
            let rcv = &mut self.tcp[c].ep[to.index()].rcv;
            rcv.on_timestamp(seg.seq, sent);
            let held_before = rcv.held_bytes();
            let (before, after) = rcv.on_data(seg.seq, len);
            let end = seg.seq + len;
            if after == before && seg.seq > before && rcv.held_bytes() > held_before {
                // In order only: these bytes wait behind the hole at `before`.
                let behind = self.lost_packet_at(c, to.peer(), before);
                self.report_waiting(app, c, to, seg.seq, end, Some(behind));
            } else if after > end {
                // This segment filled a hole: what waited behind it goes up too.
                self.report_waiting(app, c, to, end, after, None);
            }
            if after > before {
                self.deliver(app, c, to, after);
            }
        }
        if seg.flags.fin {
            let rcv = &mut self.tcp[c].ep[to.index()].rcv;
            if len == 0 {
                rcv.on_timestamp(seg.seq, sent);
            }
            rcv.peer_fin_at = Some(seg.seq + len);
        }
        let ep = &mut self.tcp[c].ep[to.index()];
        if ep.rcv.take_fin() {
            let next = match ep.state {
                TcpState::Established => TcpState::CloseWait,
                TcpState::FinWait1 => TcpState::Closing,
                TcpState::FinWait2 => TcpState::TimeWait,
                other => other,
            };
            if let Some(ev) = ep.set_state(c, next) {
                self.record(ev);
            }
            app.on_transport(self, c, TransportEvent::PeerClosed { at: to });
            self.check_fully_closed(app, c);
        }
        self.output(app, c, to);
    }

    /// The acknowledgment field (and SACK ranges) of an arriving segment,
    /// at the sender it acknowledges. `sack`: how far the peer's SACK log
    /// went when the segment left.
    fn process_ack<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        side: Side,
        seg: Segment,
        sack: u32,
        echo: Option<crate::time::SimTime>,
    ) {
        let now = self.now();
        let pure = seg.len == 0 && !seg.flags.fin && !seg.flags.syn;
        let cn = &mut self.tcp[c];
        let [client, server] = &mut cn.ep;
        let (ep, peer) = match side {
            Side::Client => (client, server),
            Side::Server => (server, client),
        };
        if ep.snd.cfg.recovery == LossRecovery::Sack {
            let seen = ep.snd.sack_seen as usize;
            for &(start, end) in peer.rcv.sack_log.get(seen..sack as usize).unwrap_or(&[]) {
                ep.snd.on_sack(now, start, end);
            }
            ep.snd.sack_seen = ep.snd.sack_seen.max(sack);
        }
        let out = ep.snd.on_ack(now, seg.ack, pure, echo);
        if out.newly_acked > 0 {
            cn.stalled_since[side.index()] = None;
        }
        let (cwnd_bytes, ssthresh_bytes) = (ep.snd.cwnd_bytes(), ep.snd.ssthresh_bytes());
        let rack_tlp = ep.snd.cfg.rack_tlp;
        let reordering = ep.snd.reordering_pending();
        if let Some(cause) = out.cwnd_event {
            self.record(EventKind::CongestionWindow { conn: c, side, cause, cwnd_bytes, ssthresh_bytes });
        }
        #[cfg(feature = "cubic")]
        if out.bbr.is_some() || out.bbr_pacing {
            self.record_bbr(c, side, out.bbr, out.bbr_pacing);
        }
        match out.timer {
            TimerAction::Stop => self.stop_rto(c, side),
            TimerAction::Restart if rack_tlp => self.arm_loss_timer(c, side, true),
            TimerAction::Restart => self.arm_rto(c, side, true),
            // A segment RACK will call lost: its timer (RFC 8985 §6.3).
            TimerAction::Keep if reordering => self.arm_loss_timer(c, side, false),
            TimerAction::Keep => {}
        }
        if out.retransmit_now {
            self.retransmit_first_lost(app, c, side);
        }
        if out.send_new {
            // F-RTO step 2b: two new segments, if there is new data.
            let before = self.tcp[c].ep[side.index()].snd.snd_nxt;
            self.output(app, c, side);
            if self.tcp[c].ep[side.index()].snd.snd_nxt == before {
                self.tcp[c].ep[side.index()].snd.frto_no_new_data();
            }
        }
        if out.fin_acked {
            let ep = &mut self.tcp[c].ep[side.index()];
            let next = match ep.state {
                TcpState::FinWait1 => TcpState::FinWait2,
                TcpState::Closing => TcpState::TimeWait,
                TcpState::LastAck => TcpState::Closed,
                other => other,
            };
            if let Some(ev) = ep.set_state(c, next) {
                self.record(ev);
            }
            self.check_fully_closed(app, c);
        }
    }

    /// Tells the application which messages have bytes in `[from, to)` of
    /// the stream `at` receives: held behind lost packet `behind`, or (with
    /// `None`) released.
    fn report_waiting<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        at: Side,
        from: u64,
        to: u64,
        behind: Option<u64>,
    ) {
        let mut i = self.tcp[c].streams[at.peer().index()].chunk_at(from);
        while let Some(&ch) = self.tcp[c].streams[at.peer().index()].chunks.get(i) {
            if ch.start >= to {
                break;
            }
            let bytes = (ch.start + ch.len).min(to) - ch.start.max(from);
            let content = ch.content;
            let event = match behind {
                Some(behind) => TransportEvent::Held { at, content, bytes, behind },
                None => TransportEvent::Released { at, content, bytes },
            };
            app.on_transport(self, c, event);
            i += 1;
        }
    }

    /// The id of the latest lost packet `from` sent on `c` that carried
    /// byte `seq` (the hole a receiver waits on).
    fn lost_packet_at(&self, c: ConnId, from: Side, seq: u64) -> u64 {
        self.tcp[c].lost_sent[from.index()]
            .iter()
            .rev()
            .find_map(|&i| match &self.trace[i as usize].kind {
                EventKind::PacketSent(p)
                    if p.conn == c
                        && p.from == from
                        && p.lost
                        && p.seq <= seq
                        && seq < p.seq + (p.payload_bytes as u64).max(1) =>
                {
                    Some(p.id)
                }
                _ => None,
            })
            .unwrap_or(u64::MAX)
    }
}
