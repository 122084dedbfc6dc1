//! What leaves, and when: segments taken for lost first, then new data cut
//! at the MSS, while the pipe is below the congestion window (RFC 6675 §5);
//! acknowledgments (immediate or delayed); the retransmission timer (RFC
//! 6298); restart after idle (RFC 5681 §4.1). Every packet goes through
//! `Net::transmit`, which puts it on the link and in the trace.

use crate::engine::{Ev, Net, TraceIndex};
use crate::link::Transit;
use crate::scheduler::TimerFire;
use crate::time::SimDuration;
use crate::trace::{
    CloseReason, ConnId, Content, CwndCause, EventKind, Flags, LossCause, PacketInfo, PacketNote, Side,
    TcpState, TcpTimeout, TraceEvent,
};
use crate::transport::{Application, TransportEvent};

use super::LossTimer;
use super::{DELAYED_ACK_TIMEOUT, RETRIES2_TIMEOUT, SYNACK_RETRIES_TIMEOUT, SYN_RETRIES_TIMEOUT};
#[cfg(feature = "cubic")]
use crate::transport::congestion::BbrChange;

impl Net<'_> {
    pub(super) fn send_syn(&mut self, c: ConnId) {
        let now = self.now();
        let ep = &mut self.tcp[c].ep[Side::Client.index()];
        ep.snd.syn_sent_at = Some(now);
        if let Some(ev) = ep.set_state(c, TcpState::SynSent) {
            self.record(ev);
        }
        self.transmit(c, Side::Client, Flags::SYN, 0, 0, false);
        self.arm_rto(c, Side::Client, true);
    }

    pub(super) fn send_synack(&mut self, c: ConnId, retransmission: bool) {
        let now = self.now();
        let cn = &mut self.tcp[c];
        cn.ep[Side::Server.index()].snd.syn_sent_at = Some(now);
        // The first SYN-ACK's time, for `tcp_synack_retries`.
        cn.stalled_since[Side::Server.index()].get_or_insert(now);
        self.transmit(c, Side::Server, Flags::SYN_ACK, 0, 0, retransmission);
        self.arm_rto(c, Side::Server, true);
    }

    /// Puts one packet on the link, records it and schedules its arrival
    /// (or loss).
    pub(super) fn transmit(
        &mut self,
        c: ConnId,
        from: Side,
        flags: Flags,
        seq: u64,
        len: u64,
        retransmission: bool,
    ) -> Transit {
        self.transmit_noted(c, from, flags, seq, len, retransmission, None)
    }

    /// [`transmit`](Self::transmit) for a packet with a [`PacketNote`].
    #[allow(clippy::too_many_arguments)]
    pub(super) fn transmit_noted(
        &mut self,
        c: ConnId,
        from: Side,
        flags: Flags,
        seq: u64,
        len: u64,
        retransmission: bool,
        note: Option<PacketNote>,
    ) -> Transit {
        let now = self.now();
        let id = self.next_packet_id;
        self.next_packet_id += 1;
        let wire_bytes = len + self.sc.network.packet_overhead_bytes as u64;
        let link = &mut self.links[from.index()];
        let queue_drop = link.buffer_full(now);
        let (transit, lost) = if queue_drop {
            // Tail drop: the packet never reaches the wire.
            (Transit { sent: now, departed: now, arrives: now }, true)
        } else {
            (link.transmit(now, wire_bytes), self.loss.drop_next(id))
        };
        let cn = &mut self.tcp[c];
        let ep = &mut cn.ep[from.index()];
        let ack = if flags.ack { ep.rcv.ack_number() } else { 0 };
        if flags.ack {
            ep.rcv.ack_sent();
            cn.delack_timer[from.index()].stop();
        }
        let sack = ep.rcv.sack_position();
        let echo = ep.rcv.ts_recent;
        let cwnd_bytes = ep.snd.cwnd_bytes();
        let (content, more_content) = if len > 0 {
            let stream = &cn.streams[from.index()];
            let first = stream.chunk_at(seq);
            let mut last = first;
            let chunks = stream.chunks.as_slice();
            while last + 1 < chunks.len() && chunks[last + 1].start < seq + len {
                last += 1;
            }
            (chunks[first].content, (last - first) as u32)
        } else {
            (Content::None, 0)
        };
        // A middlebox next to the sender sees the packet as it leaves.
        let stopped = !queue_drop && self.middlebox_stops_departure(c, from);
        let lost = lost || stopped;
        let sent = self.trace.len() as TraceIndex;
        self.trace.push(TraceEvent {
            time: now,
            kind: EventKind::PacketSent(PacketInfo {
                id,
                conn: c,
                from,
                flags,
                seq,
                ack,
                payload_bytes: len as u32,
                wire_bytes: wire_bytes as u32,
                queued_at: now,
                sent: transit.sent,
                departed: transit.departed,
                arrives: transit.arrives,
                lost,
                queue_drop,
                retransmission,
                content,
                more_content,
                cwnd_bytes,
                #[cfg(feature = "quic")]
                quic: None,
                note,
            }),
        });
        if lost {
            self.tcp[c].lost_sent[from.index()].push(sent);
        }
        if stopped {
            self.middlebox_rejects(c, sent, SimDuration::ZERO);
            return transit;
        }
        if queue_drop {
            // Not in arrival order with the link's packets: through the heap.
            self.sched.at(now, Ev::Lost { sent });
        } else {
            let event = if lost { Ev::Lost { sent } } else { Ev::Arrive { sent, sack, echo } };
            self.sched.in_lane(from.index(), transit.arrives, event);
        }
        transit
    }

    /// Sends a data segment `[seq, seq+len)` (with FIN if it ends the
    /// stream) and tells the application which messages start or finish
    /// leaving in it.
    fn send_segment<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        side: Side,
        seq: u64,
        len: u64,
        fin: bool,
    ) {
        let now = self.now();
        let ep = &mut self.tcp[c].ep[side.index()];
        let retransmission = seq < ep.snd.snd_nxt;
        let first_fin = fin && ep.snd.fin_seq.is_none();
        if fin {
            ep.snd.fin_seq = Some(seq + len);
        }
        ep.snd.on_data_sent(now, seq, seq + len + fin as u64);
        if cfg!(feature = "cubic") {
            ep.snd.on_paced(now, len + self.sc.network.packet_overhead_bytes as u64);
        }
        if first_fin {
            let to = match ep.state {
                TcpState::CloseWait => TcpState::LastAck,
                _ => TcpState::FinWait1,
            };
            if let Some(ev) = ep.set_state(c, to) {
                self.record(ev);
            }
        }
        let flags = Flags { syn: false, ack: true, fin, rst: false };
        let transit = self.transmit(c, side, flags, seq, len, retransmission);
        if !retransmission && len > 0 {
            self.report_sending(app, c, side, seq, len, transit);
        }
        // RFC 8985 §7.2: new data (not a probe) restarts the probe timer.
        if !retransmission && self.tcp[c].ep[side.index()].snd.cfg.rack_tlp {
            self.arm_loss_timer(c, side, false);
        } else if self.tcp[c].rto_timer[side.index()].deadline().is_none() {
            // Usually already running: test here rather than call.
            self.arm_rto(c, side, false);
        }
    }

    /// For each message with bytes in `[seq, seq+len)`: did its first byte,
    /// or its last, leave in this segment?
    fn report_sending<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        side: Side,
        seq: u64,
        len: u64,
        transit: Transit,
    ) {
        let stream = &self.tcp[c].streams[side.index()];
        let mut i = stream.chunk_at(seq);
        // The usual case: the middle of one long message.
        let head = stream.chunks[i];
        if head.start < seq && head.start + head.len > seq + len {
            return;
        }
        loop {
            let chunks = self.tcp[c].streams[side.index()].chunks.as_slice();
            let Some(&ch) = chunks.get(i) else { break };
            if ch.start >= seq + len {
                break;
            }
            let first = (seq <= ch.start).then_some(transit.sent);
            let last = (ch.ends_message && seq + len >= ch.start + ch.len).then_some(transit.departed);
            // Most segments of a long message are neither its first nor its last.
            if first.is_some() || last.is_some() {
                app.on_transport(self, c, TransportEvent::Sending { side, content: ch.content, first, last });
            }
            i += 1;
        }
    }

    /// Sends whatever the window, the data and the owed ACK allow: first
    /// the segments taken for lost, then new data, then a FIN.
    pub(crate) fn output<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        let mss = self.tcp_cfg.mss as u64;
        loop {
            let cn = &mut self.tcp[c];
            let ep = &cn.ep[side.index()];
            if !matches!(
                ep.state,
                TcpState::Established
                    | TcpState::CloseWait
                    | TcpState::FinWait1
                    | TcpState::Closing
                    | TcpState::LastAck
            ) {
                break;
            }
            if let Some(seg) = ep.snd.next_retransmission() {
                if !ep.snd.window_allows(seg.end - seg.start) || self.paced(c, side) {
                    break;
                }
                self.retransmit(app, c, side, seg.start, seg.lost_cause);
                continue;
            }
            let stream = &mut cn.streams[side.index()];
            let snd_nxt = ep.snd.snd_nxt;
            while stream.written - snd_nxt.min(stream.written) < mss && stream.has_queued() {
                let want = mss - (stream.written - snd_nxt.min(stream.written));
                stream.pull(want);
            }
            let written = stream.written;
            let more_queued = stream.has_queued();
            if snd_nxt < written {
                let len = mss.min(written - snd_nxt);
                if !ep.snd.window_allows(len) || !ep.snd.receive_window_allows(len) || self.paced(c, side) {
                    break;
                }
                let now = self.now();
                let ep = &mut self.tcp[c].ep[side.index()];
                if ep.snd.restart_after_idle(now) {
                    let (cwnd_bytes, ssthresh_bytes) = (ep.snd.cwnd_bytes(), ep.snd.ssthresh_bytes());
                    self.record(EventKind::CongestionWindow {
                        conn: c,
                        side,
                        cause: CwndCause::IdleRestart,
                        cwnd_bytes,
                        ssthresh_bytes,
                    });
                    continue;
                }
                let fin = ep.snd.fin_queued && !more_queued && snd_nxt + len == written;
                self.send_segment(app, c, side, snd_nxt, len, fin);
                continue;
            }
            if ep.snd.fin_queued && !more_queued && snd_nxt == written && ep.snd.fin_seq.is_none() {
                if self.paced(c, side) {
                    break;
                }
                self.send_segment(app, c, side, written, 0, true);
                continue;
            }
            // Nothing more to send: BBR's rate samples are the
            // application's until this flight is delivered.
            if cfg!(feature = "cubic") && !more_queued && snd_nxt == written {
                self.tcp[c].ep[side.index()].snd.on_app_limited();
            }
            break;
        }
        let ep = &self.tcp[c].ep[side.index()];
        let state_ok = !matches!(ep.state, TcpState::Closed | TcpState::Listen | TcpState::SynSent);
        if ep.rcv.ack_now && state_ok {
            self.transmit(c, side, Flags::ACK, ep.snd.snd_nxt.max(ep.snd.snd_una), 0, false);
        } else if ep.rcv.ack_pending
            && state_ok
            && self.tcp[c].delack_timer[side.index()].deadline().is_none()
        {
            let deadline = self.now() + DELAYED_ACK_TIMEOUT;
            if let Some(at) = self.tcp[c].delack_timer[side.index()].set(deadline) {
                self.sched.at(at, Ev::DelayedAck { conn: c, side });
            }
        }
        if self.all_sent(c, side) {
            app.on_transport(self, c, TransportEvent::AllSent { side });
        }
    }

    /// With pacing (BBR): must the next segment wait for the pacing clock?
    /// If so its timer is set.
    fn paced(&mut self, c: ConnId, side: Side) -> bool {
        if cfg!(not(feature = "cubic")) {
            return false;
        }
        let now = self.now();
        let cn = &mut self.tcp[c];
        let Some(at) = cn.ep[side.index()].snd.paced_until(now) else { return false };
        if let Some(at) = cn.pace_timer[side.index()].set(at) {
            self.sched.at(at, Ev::Pace { conn: c, side });
        }
        true
    }

    /// The pacing timer fires (if it still runs): what waited may go.
    #[cfg(feature = "cubic")]
    pub(crate) fn on_pace<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        let now = self.now();
        match self.tcp[c].pace_timer[side.index()].fire(now) {
            TimerFire::Ignore => {}
            TimerFire::Reschedule(at) => {
                self.sched.at(at, Ev::Pace { conn: c, side });
            }
            TimerFire::Fire => self.output(app, c, side),
        }
    }

    /// Records BBR's change of mode with its model of the path.
    /// And its pacing rate when it moved enough to be shown again.
    #[cfg(feature = "cubic")]
    pub(super) fn record_bbr(&mut self, c: ConnId, side: Side, change: Option<BbrChange>, pacing: bool) {
        let snd = &mut self.tcp[c].ep[side.index()].snd;
        let (cwnd_bytes, bytes_per_unit) = (snd.cwnd_bytes(), snd.bytes_per_unit());
        let Some(bbr) = snd.cc.bbr() else { return };
        let mode = change.map(|change| bbr.mode_event(c, side, change, bytes_per_unit, cwnd_bytes));
        let rate = pacing.then(|| bbr.pacing_event(c, side, bytes_per_unit));
        for kind in [mode, rate].into_iter().flatten() {
            self.record(kind);
        }
    }

    /// Sends again the segment starting at `seq` (taken for lost), saying why.
    fn retransmit<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side, seq: u64, cause: LossCause) {
        let ep = &self.tcp[c].ep[side.index()];
        let Some(seg) = ep.snd.segments.iter().find(|s| s.start == seq).copied() else { return };
        let fin = ep.snd.fin_seq.is_some_and(|f| f + 1 == seg.end);
        let head = seq == ep.snd.snd_una;
        self.record(EventKind::Retransmit { conn: c, side, seq, cause });
        self.send_segment(app, c, side, seg.start, seg.end - seg.start - fin as u64, fin);
        if head {
            // The first unacknowledged segment went again: its timer starts
            // over (RFC 6582 §3.2, Linux's `tcp_xmit_retransmit_queue`).
            self.arm_rto(c, side, true);
        }
    }

    /// Starts the retransmission timer (or restarts it, RFC 6298 §5.3).
    pub(super) fn arm_rto(&mut self, c: ConnId, side: Side, restart: bool) {
        let now = self.now();
        let cn = &mut self.tcp[c];
        let timer = &mut cn.rto_timer[side.index()];
        let snd = &mut cn.ep[side.index()].snd;
        if timer.deadline().is_some() && !restart && snd.rack.timer == LossTimer::Retransmission {
            return;
        }
        snd.rack.timer = LossTimer::Retransmission;
        if let Some(at) = timer.set(now + snd.rto) {
            self.sched.at(at, Ev::Rto { conn: c, side });
        }
    }

    /// With RACK-TLP: arms the one loss timer for what it must do next
    /// ([`Sender::loss_timer`]): RACK's reordering timeout, the probe
    /// timeout, or the retransmission timeout (restarted only on an ACK of
    /// new data, `on_ack`, as RFC 6298 §5.3 asks).
    pub(super) fn arm_loss_timer(&mut self, c: ConnId, side: Side, on_ack: bool) {
        let now = self.now();
        let (at, kind) = self.tcp[c].ep[side.index()].snd.loss_timer(now, on_ack);
        if kind == LossTimer::Retransmission {
            self.arm_rto(c, side, on_ack);
            return;
        }
        let cn = &mut self.tcp[c];
        cn.ep[side.index()].snd.rack.timer = kind;
        if let Some(at) = cn.rto_timer[side.index()].set(at) {
            self.sched.at(at, Ev::Rto { conn: c, side });
        }
    }

    /// The probe timer fired (RFC 8985 §7.3): one segment goes, new data if
    /// there is some, else the last segment again; then the retransmission
    /// timer runs.
    fn send_loss_probe<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        let now = self.now();
        let snd = &mut self.tcp[c].ep[side.index()].snd;
        if !snd.start_probe() {
            // Recovery began (or a SACK came) since it was armed.
            let at = snd.rto_deadline(now);
            snd.rack.timer = LossTimer::Retransmission;
            if let Some(at) = self.tcp[c].rto_timer[side.index()].set(at) {
                self.sched.at(at, Ev::Rto { conn: c, side });
            }
            return;
        }
        let before = snd.snd_nxt;
        self.output(app, c, side);
        let snd = &self.tcp[c].ep[side.index()].snd;
        let retransmission = snd.snd_nxt == before;
        if retransmission {
            if let Some(last) = snd.segments.back().copied() {
                self.retransmit(app, c, side, last.start, LossCause::TailLossProbe);
            }
        }
        self.tcp[c].ep[side.index()].snd.probe_sent(retransmission);
        self.arm_rto(c, side, true);
    }

    /// RACK's reordering timer fired (RFC 8985 §6.3): the segments it was
    /// waiting on are lost now, and recovery starts as on an ACK.
    fn on_reordering_timeout<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        let now = self.now();
        let ep = &mut self.tcp[c].ep[side.index()];
        let out = ep.snd.on_reordering_timeout(now);
        if let Some(cause) = out.cwnd_event {
            let (cwnd_bytes, ssthresh_bytes) = (ep.snd.cwnd_bytes(), ep.snd.ssthresh_bytes());
            self.record(EventKind::CongestionWindow { conn: c, side, cause, cwnd_bytes, ssthresh_bytes });
        }
        #[cfg(feature = "cubic")]
        if out.bbr.is_some() || out.bbr_pacing {
            self.record_bbr(c, side, out.bbr, out.bbr_pacing);
        }
        if out.retransmit_now {
            self.retransmit_first_lost(app, c, side);
        }
        self.output(app, c, side);
        self.arm_loss_timer(c, side, true);
    }

    #[inline(always)]
    pub(super) fn stop_rto(&mut self, c: ConnId, side: Side) {
        self.tcp[c].rto_timer[side.index()].stop();
    }

    /// The retransmission timer fires (if it still runs).
    pub(crate) fn on_rto<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        let now = self.now();
        match self.tcp[c].rto_timer[side.index()].fire(now) {
            TimerFire::Fire => {}
            TimerFire::Ignore => return,
            TimerFire::Reschedule(at) => {
                self.sched.at(at, Ev::Rto { conn: c, side });
                return;
            }
        }
        let ep = &mut self.tcp[c].ep[side.index()];
        match ep.state {
            TcpState::SynSent => {
                let first_syn = ep.snd.syn_sent_at.unwrap_or(now);
                if now.since(first_syn) >= SYN_RETRIES_TIMEOUT {
                    // Linux's `tcp_syn_retries` ran out: the connect fails
                    // with ETIMEDOUT.
                    self.record(EventKind::TcpTimedOut { conn: c, side, cause: TcpTimeout::Retransmissions });
                    self.abort(app, c, side, Some(CloseReason::TimedOut));
                    return;
                }
                let ep = &mut self.tcp[c].ep[side.index()];
                ep.snd.on_timeout(true);
                self.record(EventKind::Retransmit { conn: c, side, seq: 0, cause: LossCause::Timeout });
                self.transmit(c, side, Flags::SYN, 0, 0, true);
                self.arm_rto(c, side, true);
            }
            TcpState::SynReceived => {
                let first = self.tcp[c].stalled_since[side.index()].unwrap_or(now);
                if now.since(first) >= SYNACK_RETRIES_TIMEOUT {
                    // Linux's `tcp_synack_retries` ran out: the half-open
                    // connection is dropped.
                    self.record(EventKind::TcpTimedOut { conn: c, side, cause: TcpTimeout::Retransmissions });
                    self.abort(app, c, side, Some(CloseReason::TimedOut));
                    return;
                }
                let ep = &mut self.tcp[c].ep[side.index()];
                ep.snd.on_timeout(true);
                self.record(EventKind::Retransmit { conn: c, side, seq: 0, cause: LossCause::Timeout });
                self.send_synack(c, true);
            }
            TcpState::Closed | TcpState::TimeWait | TcpState::Listen => {}
            TcpState::Established
            | TcpState::FinWait1
            | TcpState::FinWait2
            | TcpState::CloseWait
            | TcpState::Closing
            | TcpState::LastAck => {
                if ep.snd.outstanding() == 0 {
                    return;
                }
                match ep.snd.rack.timer {
                    LossTimer::Retransmission => {}
                    LossTimer::Probe => return self.send_loss_probe(app, c, side),
                    LossTimer::Reordering => return self.on_reordering_timeout(app, c, side),
                }
                let head_sent = ep.snd.segments.front().map_or(now, |s| s.sent_at);
                let since = *self.tcp[c].stalled_since[side.index()].get_or_insert(head_sent);
                if now.since(since) >= RETRIES2_TIMEOUT {
                    // Linux's `tcp_write_timeout`: `tcp_retries2` ran out;
                    // the socket reports ETIMEDOUT and sends nothing more.
                    self.record(EventKind::TcpTimedOut { conn: c, side, cause: TcpTimeout::Retransmissions });
                    self.abort(app, c, side, Some(CloseReason::TimedOut));
                    return;
                }
                let ep = &mut self.tcp[c].ep[side.index()];
                ep.snd.on_timeout(false);
                let (cwnd_bytes, ssthresh_bytes) = (ep.snd.cwnd_bytes(), ep.snd.ssthresh_bytes());
                self.record(EventKind::CongestionWindow {
                    conn: c,
                    side,
                    cause: CwndCause::Timeout,
                    cwnd_bytes,
                    ssthresh_bytes,
                });
                // RFC 6298 §5.4: the earliest unacknowledged segment goes again
                // at once, whatever else is in flight.
                self.retransmit_first_lost(app, c, side);
                self.output(app, c, side);
                self.arm_rto(c, side, true);
            }
        }
    }

    /// The delayed-ACK timer fires (if it still runs): the owed ACK leaves.
    pub(crate) fn on_delayed_ack<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        let now = self.now();
        match self.tcp[c].delack_timer[side.index()].fire(now) {
            TimerFire::Ignore => {}
            TimerFire::Reschedule(at) => {
                self.sched.at(at, Ev::DelayedAck { conn: c, side });
            }
            TimerFire::Fire => {
                let ep = &mut self.tcp[c].ep[side.index()];
                if ep.rcv.ack_pending {
                    ep.rcv.ack_now = true;
                    self.output(app, c, side);
                }
            }
        }
    }

    /// The fast retransmission (or a NewReno partial ACK's): the first
    /// segment taken for lost leaves now, whatever the window (RFC 5681
    /// §3.2 step 4, RFC 6675 §5 step 4.3, RFC 6582 §3.2 step 4).
    pub(super) fn retransmit_first_lost<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        if let Some(seg) = self.tcp[c].ep[side.index()].snd.next_retransmission() {
            self.retransmit(app, c, side, seg.start, seg.lost_cause);
        }
    }
}
