//! What a QUIC endpoint sends, and when: datagrams of coalesced packets
//! (Initial, Handshake, then 0-RTT or 1-RTT, RFC 9000 §12.2), Initial
//! datagrams padded to the datagram size (§14.1), within the congestion
//! window (RFC 9002 §7) and, for a server whose client is not yet
//! validated, three times what it received (RFC 9000 §8.1); probes on a
//! probe timeout (RFC 9002 §6.2.4). Every datagram goes through
//! [`Net::link_send`], which puts it on the link, like TCP's segments.

use crate::engine::{Ev, Net, TraceIndex};
use crate::time::SimTime;
use crate::trace::{
    ConnId, Content, CwndCause, EventKind, Flags, PacketInfo, PnSpace, QuicDatagram, QuicFrame, QuicPacket,
    QuicPacketType, QuicState, Side, SmallList, TraceEvent,
};
use crate::transport::{Application, TransportEvent};

use super::recovery::{SentPacket, MAX_PTO_PROBES};
use super::streams::ByteStream;
use super::{wire, QuicConn, QuicTimer};

/// Scratch space of `quic_output`: first transmissions, sending reports.
pub(crate) type QuicScratch = (Vec<(u32, u64, u64)>, Vec<(Content, bool, bool)>);

/// Below this much room a datagram is not worth building.
const MIN_DATAGRAM_ROOM: u64 = 64;

/// A datagram built and ready to leave.
struct Built {
    packets: Vec<QuicPacket>,
    bytes: u64,
    retransmission: bool,
    ack_eliciting: bool,
    close: bool,
}

/// Where a frame's bytes come from.
#[derive(Clone, Copy)]
enum Source {
    New,
    Lost,
}

impl Net<'_> {
    /// Sends what the endpoint may send now, then re-arms its timers.
    pub(crate) fn quic_output<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        // Reused between datagrams so that sending allocates less.
        let mut scratch = std::mem::take(&mut self.quic_scratch);
        while let Some(built) = self.quic_build(c, side, &mut scratch.0) {
            self.quic_send(app, c, side, built, &mut scratch);
        }
        self.quic_scratch = scratch;
        // Nothing more to send with room in the window: BBR's rate samples
        // are the application's until this flight is delivered.
        let ep = &mut self.quic[c].ep[side.index()];
        let cc = &mut ep.recovery.cc;
        if ep.unsent == 0 && ep.retx.is_empty() && cc.in_flight < cc.cwnd {
            let in_flight = cc.in_flight;
            cc.controller.on_app_limited(in_flight);
        }
        self.quic_arm_timers(c, side);
        if self.quic_all_sent(c, side) {
            app.on_transport(self, c, TransportEvent::AllSent { side });
        }
    }

    /// Builds the next datagram, or `None` when nothing may or need leave.
    fn quic_build(&mut self, c: ConnId, side: Side, first_sends: &mut Vec<(u32, u64, u64)>) -> Option<Built> {
        let now = self.now();
        let mds = self.quic_cfg.max_datagram_size;
        let cn = &mut self.quic[c];
        let ep = &cn.ep[side.index()];
        let closing_again = ep.state == QuicState::Closing && ep.close_pending;
        if !ep.open() && !closing_again {
            return None;
        }
        let mut budget = mds;
        if let Some(allowance) = ep.amplification_allowance() {
            if allowance < MIN_DATAGRAM_ROOM {
                let waiting: u64 = [PnSpace::Initial, PnSpace::Handshake]
                    .iter()
                    .map(|s| {
                        let stream = &cn.crypto[s.index()][side.index()];
                        stream.unsent() + stream.lost.bytes()
                    })
                    .sum();
                if waiting > 0 && !ep.amplification_blocked {
                    let (received_bytes, sent_bytes) = (ep.bytes_received, ep.bytes_sent);
                    cn.ep[side.index()].amplification_blocked = true;
                    self.record(EventKind::QuicAmplificationLimit {
                        conn: c,
                        received_bytes,
                        sent_bytes,
                        waiting_bytes: waiting,
                    });
                }
                return None;
            }
            budget = budget.min(allowance);
        }
        let mut can_send_data = !closing_again && (ep.probes > 0 || ep.recovery.cc.allows(mds));
        // With pacing (BBR) data waits for the pacing clock; ACKs do not.
        if let (true, Some(at)) = (can_send_data && ep.probes == 0, ep.recovery.cc.paced_until(now)) {
            can_send_data = false;
            if let Some(at) = cn.ep[side.index()].pace_timer.set(at) {
                self.sched.at(at, Ev::QuicTimer { conn: c, side, timer: QuicTimer::Pace });
            }
        }
        let cn = &mut self.quic[c];
        let mut built = Built {
            packets: Vec::new(),
            bytes: 0,
            retransmission: false,
            ack_eliciting: false,
            close: false,
        };
        let QuicConn { ep, streams, crypto, .. } = cn;
        let ep = &mut ep[side.index()];
        for space in PnSpace::ALL {
            let s = space.index();
            if !ep.keys[s] || ep.recovery.space(space).discarded {
                continue;
            }
            if closing_again && space != PnSpace::Application {
                continue;
            }
            let packet_type = match space {
                PnSpace::Initial => QuicPacketType::Initial,
                PnSpace::Handshake => QuicPacketType::Handshake,
                PnSpace::Application if ep.one_rtt => QuicPacketType::OneRtt,
                PnSpace::Application => QuicPacketType::ZeroRtt,
            };
            let overhead = wire::packet_overhead(packet_type) as u64;
            if built.bytes + overhead + 8 > budget {
                continue;
            }
            let mut room = budget - built.bytes - overhead;
            // RFC 9000 §17.2.3: no ACK frames in 0-RTT packets; nothing but
            // CONNECTION_CLOSE while closing (§10.2.1).
            let ack_bytes = match (ep.received[s].ack_pending, packet_type) {
                (false, _) | (_, QuicPacketType::ZeroRtt) => None,
                _ if closing_again => None,
                _ => ep.received[s].ack_frame_bytes(now),
            };
            let ack_bytes = ack_bytes.filter(|&b| b <= room);
            // Most calls find a space with nothing to say: skip it before
            // building a frame list.
            let crypto_waiting = || {
                let stream = &crypto[s][side.index()];
                stream.unsent() > 0 || stream.has_lost()
            };
            let data_waiting = || match space {
                PnSpace::Application => ep.handshake_done_pending || !ep.retx.is_empty() || ep.unsent > 0,
                PnSpace::Initial | PnSpace::Handshake => false,
            };
            let something = ack_bytes.is_some()
                || ep.ping_pending[s]
                || (space == PnSpace::Application && ep.close_pending)
                || (can_send_data && (crypto_waiting() || data_waiting()));
            if !something {
                continue;
            }
            if let Some(bytes) = ack_bytes {
                room -= bytes;
            }
            let mut frames: SmallList<QuicFrame, 4> = SmallList::new();
            if can_send_data {
                let stream = &mut crypto[s][side.index()];
                for source in [Source::Lost, Source::New] {
                    while let Some(frame) = crypto_frame(stream, &mut room, source) {
                        built.retransmission |= matches!(source, Source::Lost);
                        frames.push(frame);
                    }
                }
                if space == PnSpace::Application {
                    if ep.handshake_done_pending && room >= wire::HANDSHAKE_DONE_BYTES as u64 {
                        ep.handshake_done_pending = false;
                        room -= wire::HANDSHAKE_DONE_BYTES as u64;
                        frames.push(QuicFrame::HandshakeDone);
                    }
                    // Lost data first, then new: in-order messages whole,
                    // then the others taking turns of `unit` bytes.
                    while let Some(&i) = ep.retx.front() {
                        let stream = &mut streams[i as usize];
                        match stream_frame(stream, &mut room, u64::MAX, Source::Lost) {
                            Some((frame, _, _)) => {
                                built.retransmission = true;
                                frames.push(frame);
                            }
                            None if stream.has_lost() => break,
                            None => {}
                        }
                        if !streams[i as usize].has_lost() {
                            ep.retx.pop_front();
                        }
                    }
                    while let Some(&i) = ep.in_order.front() {
                        let stream = &mut streams[i as usize];
                        if stream.unsent() > 0 {
                            let Some((frame, offset, len)) =
                                stream_frame(stream, &mut room, u64::MAX, Source::New)
                            else {
                                break;
                            };
                            ep.unsent -= len;
                            first_sends.push((i, offset, len));
                            frames.push(frame);
                        }
                        if streams[i as usize].unsent() == 0 {
                            ep.in_order.pop_front();
                        }
                    }
                    while ep.in_order.is_empty() {
                        let Some(&i) = ep.round_robin.front() else { break };
                        let stream = &mut streams[i as usize];
                        if stream.unsent() > 0 {
                            if ep.turn_left == 0 {
                                ep.turn_left = stream.unit;
                            }
                            let Some((frame, offset, len)) =
                                stream_frame(stream, &mut room, ep.turn_left, Source::New)
                            else {
                                break;
                            };
                            ep.unsent -= len;
                            ep.turn_left -= len.min(ep.turn_left);
                            first_sends.push((i, offset, len));
                            frames.push(frame);
                        }
                        if streams[i as usize].unsent() == 0 {
                            ep.round_robin.pop_front();
                            ep.turn_left = 0;
                        } else if ep.turn_left == 0 {
                            ep.round_robin.rotate_left(1);
                        }
                    }
                }
                let eliciting = frames.iter().any(|f| f.ack_eliciting());
                if ep.ping_pending[s] && !eliciting && room >= wire::PING_BYTES as u64 {
                    room -= wire::PING_BYTES as u64;
                    frames.push(QuicFrame::Ping);
                }
                if frames.iter().any(|f| f.ack_eliciting()) {
                    ep.ping_pending[s] = false;
                }
            }
            // HTTP/3's graceful close (RFC 9114 §5.2): CONNECTION_CLOSE once
            // every request and response this side wrote is acknowledged; the
            // GOAWAY on the control stream rides with it.
            let delivered =
                || streams.iter().filter(|st| st.from == side && st.id % 4 == 0).all(|st| st.all_acked());
            if space == PnSpace::Application
                && ep.close_pending
                && room >= wire::CONNECTION_CLOSE_BYTES as u64
                && (closing_again || (ep.unsent == 0 && ep.retx.is_empty() && delivered()))
            {
                frames.push(QuicFrame::ConnectionClose);
                built.close = true;
            }
            let owed_now = ep.received[s].ack_now;
            let mut ack_ranges = SmallList::new();
            match ack_bytes.and_then(|_| ep.received[s].ack_frame(now)) {
                Some((ranges, delay)) if owed_now || !frames.is_empty() => {
                    let largest = ranges.first().map_or(0, |&(_, hi)| hi);
                    frames.push_front(QuicFrame::Ack { largest, ack_delay: delay });
                    ep.received[s].on_ack_sent();
                    ack_ranges = ranges;
                }
                _ if frames.is_empty() => continue,
                _ => {}
            }
            let pn = ep.recovery.take_pn(space);
            let bytes = wire::packet_overhead(packet_type)
                + frames.iter().map(|f| frame_bytes(f, &ack_ranges)).sum::<u32>();
            let ack_eliciting = frames.iter().any(|f| f.ack_eliciting());
            built.ack_eliciting |= ack_eliciting;
            built.bytes += bytes as u64;
            // Most datagrams carry one packet: exact growth, where Vec's
            // would make room for four of these 240-byte packets.
            built.packets.reserve_exact(1);
            built.packets.push(QuicPacket {
                packet_type,
                space,
                pn,
                bytes,
                ack_eliciting,
                frames,
                ack_ranges,
            });
        }
        if built.packets.is_empty() {
            return None;
        }
        // RFC 9000 §14.1: a client pads every datagram with an Initial
        // packet, a server those with an ack-eliciting one, to the datagram
        // size (at least 1200 bytes).
        let pad = built
            .packets
            .iter()
            .any(|p| p.packet_type == QuicPacketType::Initial && (side == Side::Client || p.ack_eliciting));
        if pad && built.bytes < budget {
            let extra = budget - built.bytes;
            let last = built.packets.last_mut().expect("a packet");
            last.frames.push(QuicFrame::Padding { bytes: extra as u32 });
            last.bytes += extra as u32;
            built.bytes = budget;
        }
        Some(built)
    }

    /// Puts a built datagram on the link and does the sender's bookkeeping.
    /// `scratch`: the first transmissions of stream bytes the datagram
    /// carries, `(stream index, offset, len)`, and room for the reports.
    fn quic_send<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        side: Side,
        built: Built,
        scratch: &mut QuicScratch,
    ) {
        let now = self.now();
        let id = self.next_packet_id;
        self.next_packet_id += 1;
        let wire_bytes = built.bytes + wire::IPV4_UDP_HEADER_BYTES as u64;
        let (transit, lost, queue_drop) = self.link_send(side, id, wire_bytes);
        let mut contents = built.packets.iter().flat_map(|p| p.frames.iter()).filter_map(|f| match *f {
            QuicFrame::Crypto { content, .. } | QuicFrame::Stream { content, .. } => Some(content),
            _ => None,
        });
        let content = contents.next().unwrap_or(Content::None);
        let mut more_content = 0u32;
        let mut previous = content;
        for next in contents {
            if next != previous {
                more_content += 1;
                previous = next;
            }
        }
        let sent = self.trace.len() as TraceIndex;
        let ep = &mut self.quic[c].ep[side.index()];
        for (index, p) in built.packets.iter().enumerate() {
            let in_flight =
                p.ack_eliciting || p.frames.iter().any(|f| matches!(f, QuicFrame::Padding { .. }));
            ep.recovery.on_sent(
                p.space,
                SentPacket {
                    pn: p.pn,
                    time: now,
                    bytes: p.bytes,
                    ack_eliciting: p.ack_eliciting,
                    in_flight,
                    trace: sent,
                    id,
                    index: index as u8,
                    rate: Default::default(),
                },
            );
        }
        if built.packets.iter().any(|p| p.ack_eliciting) {
            let srtt = ep.recovery.rtt.first_sample_at.map(|_| ep.recovery.rtt.smoothed);
            ep.recovery.cc.on_paced(now, wire_bytes, srtt);
        }
        if !ep.address_validated {
            ep.bytes_sent += built.bytes;
        }
        if built.ack_eliciting && ep.probes > 0 {
            ep.probes -= 1;
        }
        let cwnd_bytes = ep.recovery.cc.cwnd;
        let handshake_sent = built.packets.iter().any(|p| p.space == PnSpace::Handshake);
        self.trace.push(TraceEvent {
            time: now,
            kind: EventKind::PacketSent(PacketInfo {
                id,
                conn: c,
                from: side,
                flags: Flags::default(),
                seq: 0,
                ack: 0,
                payload_bytes: built.bytes as u32,
                wire_bytes: wire_bytes as u32,
                queued_at: now,
                sent: transit.sent,
                departed: transit.departed,
                arrives: transit.arrives,
                lost,
                queue_drop,
                retransmission: built.retransmission,
                content,
                more_content,
                cwnd_bytes,
                quic: Some(Box::new(QuicDatagram { packets: built.packets })),
                note: None,
            }),
        });
        self.schedule_arrival(sent, side, transit.arrives, lost, queue_drop);
        // RFC 9001 §4.9.1: a client discards its Initial keys when it first
        // sends a Handshake packet.
        let ep = &mut self.quic[c].ep[side.index()];
        if side == Side::Client && handshake_sent && ep.keys[PnSpace::Initial.index()] {
            ep.keys[PnSpace::Initial.index()] = false;
            ep.recovery.discard(PnSpace::Initial);
        }
        if built.ack_eliciting && !ep.sent_since_receipt {
            ep.sent_since_receipt = true;
            self.quic_touch_idle(c, side);
        }
        if built.close {
            let ep = &mut self.quic[c].ep[side.index()];
            ep.close_pending = false;
            if ep.state == QuicState::Established {
                self.quic_start_drain(c, side, QuicState::Closing);
            }
        }
        let (first_sends, reports) = scratch;
        reports.clear();
        for &(i, offset, len) in first_sends.iter() {
            self.quic[c].streams[i as usize].first_and_last(offset, len, reports);
        }
        first_sends.clear();
        for &(content, first, last) in reports.iter() {
            let first = first.then_some(transit.sent);
            let last = last.then_some(transit.departed);
            app.on_transport(self, c, TransportEvent::Sending { side, content, first, last });
        }
    }

    /// Arms (or stops) the loss-detection and delayed-ACK timers.
    pub(crate) fn quic_arm_timers(&mut self, c: ConnId, side: Side) {
        let now = self.now();
        let ep = &mut self.quic[c].ep[side.index()];
        if !ep.open() {
            ep.loss_timer.stop();
            ep.ack_timer.stop();
            return;
        }
        let has_handshake_keys = ep.keys[PnSpace::Handshake.index()];
        let loss = ep.recovery.timer_deadline(
            now,
            ep.handshake_confirmed,
            has_handshake_keys,
            ep.amplification_blocked,
            ep.peer_validated,
        );
        let mut schedule: [Option<(SimTime, QuicTimer)>; 2] = [None, None];
        // A deadline already past fires now (a lazy timer's event must carry
        // the time it pops at).
        match loss {
            Some((at, _)) => schedule[0] = ep.loss_timer.set(at.max(now)).map(|t| (t, QuicTimer::Loss)),
            None => ep.loss_timer.stop(),
        }
        let ack =
            ep.received.iter().filter(|r| r.ack_pending && !r.ack_now).filter_map(|r| r.ack_deadline).min();
        match ack {
            Some(at) => schedule[1] = ep.ack_timer.set(at.max(now)).map(|t| (t, QuicTimer::Ack)),
            None => ep.ack_timer.stop(),
        }
        for (at, timer) in schedule.into_iter().flatten() {
            self.sched.at(at, Ev::QuicTimer { conn: c, side, timer });
        }
    }

    /// RFC 9002 A.9 OnLossDetectionTimeout: a loss time passed, or the
    /// probe timeout fired.
    pub(crate) fn quic_on_loss_timer<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        let now = self.now();
        let ep = &mut self.quic[c].ep[side.index()];
        if !ep.open() {
            return;
        }
        if let Some((_, space)) = ep.recovery.loss_time_and_space() {
            let lost = ep.recovery.detect_lost(space, now);
            let cause = ep.recovery.on_lost(&lost, now);
            self.quic_handle_lost(c, side, space, &lost, cause);
            self.quic_output(app, c, side);
            return;
        }
        let has_handshake_keys = ep.keys[PnSpace::Handshake.index()];
        let nothing_in_flight = ep.recovery.spaces.iter().all(|s| s.ack_eliciting_in_flight == 0);
        let space = if nothing_in_flight {
            // The client's anti-deadlock probe (RFC 9002 §6.2.2.1).
            if has_handshake_keys {
                PnSpace::Handshake
            } else {
                PnSpace::Initial
            }
        } else {
            match ep.recovery.pto_time_and_space(now, ep.handshake_confirmed, has_handshake_keys) {
                Some((_, space)) => space,
                None => return,
            }
        };
        let pto = ep.recovery.pto_duration(space);
        ep.recovery.pto_count += 1;
        let probes = if nothing_in_flight { 1 } else { ep.recovery.pto_count.min(MAX_PTO_PROBES) };
        ep.probes = probes;
        let pto_count = ep.recovery.pto_count;
        let oldest = ep.recovery.oldest_unacked(space, probes as usize);
        self.record(EventKind::QuicProbeTimeout { conn: c, side, space, pto_count, pto, probes });
        let mut queued = false;
        for p in oldest {
            queued |= self.quic_requeue(c, side, space, &p);
        }
        if !queued {
            self.quic[c].ep[side.index()].ping_pending[space.index()] = true;
        }
        self.quic_output(app, c, side);
    }

    /// Packets declared lost: the trace says so, their data goes back in
    /// line, and the window reacts.
    pub(crate) fn quic_handle_lost(
        &mut self,
        c: ConnId,
        side: Side,
        space: PnSpace,
        lost: &[(SentPacket, crate::trace::QuicLossReason)],
        cause: Option<CwndCause>,
    ) {
        for (p, reason) in lost {
            // A lost ACK-only packet needs nothing resent: not worth a word.
            if !p.ack_eliciting {
                continue;
            }
            let (id, pn, reason) = (p.id, p.pn, *reason);
            self.record(EventKind::QuicPacketLost { conn: c, side, id, space, pn, reason });
            self.quic_requeue(c, side, space, p);
        }
        if let Some(cause) = cause {
            let cc = &self.quic[c].ep[side.index()].recovery.cc;
            let (cwnd_bytes, ssthresh_bytes) = (cc.cwnd, cc.ssthresh);
            self.record(EventKind::CongestionWindow { conn: c, side, cause, cwnd_bytes, ssthresh_bytes });
        }
    }

    /// Puts the data of a sent packet back in line to resend (QUIC resends
    /// frames, never packets). Returns whether anything was queued.
    pub(crate) fn quic_requeue(&mut self, c: ConnId, side: Side, space: PnSpace, p: &SentPacket) -> bool {
        let count = quic_packet(&self.trace, p.trace, p.index).map_or(0, |q| q.frames.len());
        let mut queued = false;
        for f in 0..count {
            let Some(frame) = quic_packet(&self.trace, p.trace, p.index).map(|q| q.frames[f]) else { break };
            let cn = &mut self.quic[c];
            match frame {
                QuicFrame::Crypto { offset, bytes, .. } => {
                    queued |= cn.crypto[space.index()][side.index()].on_lost(offset, bytes as u64);
                }
                QuicFrame::Stream { id, offset, bytes, .. } => {
                    if let Some(i) = cn.half(id, side) {
                        if cn.streams[i as usize].on_lost(offset, bytes as u64) {
                            queued = true;
                            let retx = &mut cn.ep[side.index()].retx;
                            if !retx.contains(&i) {
                                retx.push_back(i);
                            }
                        }
                    }
                }
                QuicFrame::HandshakeDone => {
                    cn.ep[side.index()].handshake_done_pending = true;
                    queued = true;
                }
                QuicFrame::Padding { .. }
                | QuicFrame::Ping
                | QuicFrame::Ack { .. }
                | QuicFrame::ConnectionClose => {}
            }
        }
        queued
    }
}

/// The QUIC packet `index` of the datagram recorded at `sent`.
pub(crate) fn quic_packet(trace: &[TraceEvent], sent: TraceIndex, index: u8) -> Option<&QuicPacket> {
    match trace.get(sent as usize).map(|e| &e.kind) {
        Some(EventKind::PacketSent(p)) => p.quic.as_ref().and_then(|d| d.packets.get(index as usize)),
        _ => None,
    }
}

/// A frame's bytes inside its packet.
pub(crate) fn frame_bytes(frame: &QuicFrame, ack_ranges: &[(u64, u64)]) -> u32 {
    match *frame {
        QuicFrame::Padding { bytes } => bytes,
        QuicFrame::Ping => wire::PING_BYTES,
        QuicFrame::Ack { ack_delay, .. } => wire::ack_frame_bytes(ack_ranges, ack_delay),
        QuicFrame::Crypto { offset, bytes, .. } => wire::crypto_frame_header(offset, bytes as u64) + bytes,
        QuicFrame::Stream { id, offset, bytes, .. } => {
            wire::stream_frame_header(id, offset, bytes as u64) + bytes
        }
        QuicFrame::HandshakeDone => wire::HANDSHAKE_DONE_BYTES,
        QuicFrame::ConnectionClose => wire::CONNECTION_CLOSE_BYTES,
    }
}

/// Where the next frame from `source` starts, if it has bytes to give.
fn next_offset(stream: &ByteStream, source: Source) -> Option<u64> {
    match source {
        Source::New => (stream.unsent() > 0).then_some(stream.sent),
        Source::Lost => stream.lost.0.first().map(|&(start, _)| start),
    }
}

/// The next CRYPTO frame that fits in `room`, if any.
fn crypto_frame(stream: &mut ByteStream, room: &mut u64, source: Source) -> Option<QuicFrame> {
    let header = wire::crypto_frame_header(next_offset(stream, source)?, *room) as u64;
    if *room <= header {
        return None;
    }
    let (offset, len) = match source {
        Source::New => stream.take_new(*room - header)?,
        Source::Lost => stream.take_lost(*room - header)?,
    };
    *room -= wire::crypto_frame_header(offset, len) as u64 + len;
    let content = stream.content_at(offset);
    let message_bytes = stream.messages.iter().find(|m| m.content == content).map_or(0, |m| m.end - m.start);
    Some(QuicFrame::Crypto { offset, bytes: len as u32, content, message_bytes })
}

/// The next STREAM frame that fits in `room`, with at most `limit` bytes
/// of data: the frame, offset and length.
fn stream_frame(
    stream: &mut ByteStream,
    room: &mut u64,
    limit: u64,
    source: Source,
) -> Option<(QuicFrame, u64, u64)> {
    let header = wire::stream_frame_header(stream.id, next_offset(stream, source)?, *room) as u64;
    if *room <= header {
        return None;
    }
    let max = (*room - header).min(limit);
    let (offset, len) = match source {
        Source::New => stream.take_new(max)?,
        Source::Lost => stream.take_lost(max)?,
    };
    *room -= wire::stream_frame_header(stream.id, offset, len) as u64 + len;
    let frame = QuicFrame::Stream {
        id: stream.id,
        offset,
        bytes: len as u32,
        fin: stream.fin_at(offset + len),
        content: stream.content_at(offset),
    };
    Some((frame, offset, len))
}
