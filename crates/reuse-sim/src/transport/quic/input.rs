//! A QUIC datagram arrives: each packet it coalesces is read if its keys
//! are there (RFC 9001 §4: Initial, Handshake, 0-RTT, 1-RTT), its number
//! recorded for the ACK the receiver owes, and its frames acted on:
//! acknowledgments (RFC 9002 §6), CRYPTO data (the TLS handshake), STREAM
//! data (delivered in order per stream, RFC 9000 §2.2), HANDSHAKE_DONE and
//! CONNECTION_CLOSE.

use crate::engine::{Net, TraceIndex};
use crate::trace::{ConnId, EventKind, PnSpace, QuicFrame, QuicPacketType, QuicState, Side, TlsMode};
use crate::transport::{Application, TransportEvent};

use super::output::quic_packet;
use super::recovery::SentPacket;

/// Streams named as continuing in a head-of-line event, at most.
const CONTINUING_LISTED: usize = 8;

impl Net<'_> {
    pub(in crate::transport) fn quic_arrive<A: Application>(&mut self, app: &mut A, sent: TraceIndex) {
        let Some(p) = self.sent_packet(sent) else { return };
        let (id, c, from, size) = (p.id, p.conn, p.from, p.payload_bytes as u64);
        let count = p.quic.as_ref().map_or(0, |d| d.packets.len());
        let first_type = p.quic.as_ref().and_then(|d| d.packets.first()).map(|q| q.packet_type);
        let to = from.peer();
        self.record(EventKind::PacketDelivered { id, conn: c, to });
        let now = self.now();
        match self.quic[c].ep[to.index()].state {
            QuicState::Closed | QuicState::Draining => return,
            QuicState::Closing => {
                // RFC 9000 §10.2.1: anything arriving is answered with
                // CONNECTION_CLOSE again.
                self.quic[c].ep[to.index()].close_pending = true;
                self.quic_output(app, c, to);
                return;
            }
            QuicState::Idle => {
                if to != Side::Server || first_type != Some(QuicPacketType::Initial) {
                    return;
                }
                self.quic[c].ep[to.index()].keys[PnSpace::Initial.index()] = true;
                self.quic_set_state(c, to, QuicState::Handshake);
            }
            QuicState::Handshake | QuicState::Established => {}
        }
        let ep = &mut self.quic[c].ep[to.index()];
        if !ep.address_validated {
            ep.bytes_received += size;
            ep.amplification_blocked = false;
        }
        let max_ack_delay = self.quic_cfg.max_ack_delay;
        let mut processed = false;
        for k in 0..count {
            let Some(q) = quic_packet(&self.trace, sent, k as u8) else { break };
            let (packet_type, pn, eliciting, frames) = (q.packet_type, q.pn, q.ack_eliciting, q.frames.len());
            if !self.quic_can_read(c, to, packet_type) {
                continue;
            }
            let space = packet_type.space();
            let ep = &mut self.quic[c].ep[to.index()];
            if !ep.received[space.index()].on_packet(
                pn,
                eliciting,
                now,
                space != PnSpace::Application,
                max_ack_delay,
            ) {
                continue;
            }
            processed = true;
            if space == PnSpace::Handshake && !ep.address_validated {
                // RFC 9000 §8.1: a Handshake packet validates the client's
                // address; RFC 9001 §4.9.1: the server's Initial keys go.
                ep.address_validated = true;
                ep.keys[PnSpace::Initial.index()] = false;
                ep.recovery.discard(PnSpace::Initial);
                self.record(EventKind::QuicAddressValidated { conn: c });
            }
            for f in 0..frames {
                let Some(frame) = quic_packet(&self.trace, sent, k as u8).map(|q| q.frames[f]) else { break };
                match frame {
                    QuicFrame::Padding { .. } | QuicFrame::Ping => {}
                    QuicFrame::Ack { ack_delay, .. } => {
                        self.quic_on_ack_frame(c, to, space, sent, k as u8, ack_delay)
                    }
                    QuicFrame::Crypto { offset, bytes, .. } => {
                        self.quic_on_crypto(app, c, to, space, offset, bytes as u64)
                    }
                    QuicFrame::Stream { id, offset, bytes, .. } => {
                        self.quic_on_stream(app, c, to, id, offset, bytes as u64)
                    }
                    QuicFrame::HandshakeDone => {
                        // RFC 9001 §4.1.2: the client's handshake is
                        // confirmed; its Handshake keys go (§4.9.2).
                        let ep = &mut self.quic[c].ep[to.index()];
                        if to == Side::Client && !ep.handshake_confirmed {
                            ep.handshake_confirmed = true;
                            ep.peer_validated = true;
                            ep.keys[PnSpace::Handshake.index()] = false;
                            ep.recovery.discard(PnSpace::Handshake);
                        }
                    }
                    QuicFrame::ConnectionClose => {
                        self.quic_start_drain(c, to, QuicState::Draining);
                        app.on_transport(self, c, TransportEvent::PeerClosed { at: to });
                        return;
                    }
                }
                if !self.quic[c].ep[to.index()].open() {
                    return;
                }
            }
        }
        if processed {
            self.quic[c].ep[to.index()].sent_since_receipt = false;
            self.quic_touch_idle(c, to);
        }
        self.quic_output(app, c, to);
    }

    /// Does `at` hold the keys to read this packet?
    fn quic_can_read(&self, c: ConnId, at: Side, t: QuicPacketType) -> bool {
        let cn = &self.quic[c];
        let ep = &cn.ep[at.index()];
        match t {
            QuicPacketType::Initial => ep.keys[PnSpace::Initial.index()],
            QuicPacketType::Handshake => ep.keys[PnSpace::Handshake.index()],
            // The server reads 0-RTT packets when it accepted early data.
            QuicPacketType::ZeroRtt => at == Side::Server && cn.mode == TlsMode::EarlyData && ep.keys[2],
            // RFC 9001 §5.7: a server reads 1-RTT packets once its
            // handshake is complete; a client once it has the keys.
            QuicPacketType::OneRtt => match at {
                Side::Server => ep.handshake_complete,
                Side::Client => ep.one_rtt,
            },
        }
    }

    /// An ACK frame in packet `index` of the datagram at `sent` reaches
    /// `side`, the sender of the packets it acknowledges.
    fn quic_on_ack_frame(
        &mut self,
        c: ConnId,
        side: Side,
        space: PnSpace,
        sent: TraceIndex,
        index: u8,
        ack_delay: crate::time::SimDuration,
    ) {
        let now = self.now();
        let Net { trace, quic, .. } = self;
        let Some(q) = quic_packet(trace, sent, index) else { return };
        let ep = &mut quic[c].ep[side.index()];
        let confirmed = ep.handshake_confirmed;
        let out = ep.recovery.on_ack(space, &q.ack_ranges, ack_delay, now, confirmed);
        if out.acked.is_empty() {
            return;
        }
        self.quic_handle_acked(c, side, space, &out.acked);
        let ep = &mut self.quic[c].ep[side.index()];
        if side == Side::Client && space == PnSpace::Handshake {
            ep.peer_validated = true;
        }
        if ep.peer_validated {
            ep.recovery.pto_count = 0;
        }
        self.quic_handle_lost(c, side, space, &out.lost, out.cwnd_event);
        // BBR's changes, in builds that have it (the feature `cubic`).
        #[cfg(feature = "cubic")]
        {
            let cc = &mut self.quic[c].ep[side.index()].recovery.cc;
            let cwnd = cc.cwnd;
            let events = cc.controller.bbr().map(|bbr| {
                let mode = out.bbr.map(|change| bbr.mode_event(c, side, change, 1, cwnd));
                [mode, out.bbr_pacing.then(|| bbr.pacing_event(c, side, 1))]
            });
            for kind in events.into_iter().flatten().flatten() {
                self.record(kind);
            }
        }
    }

    /// The data of acknowledged packets needs no resending.
    fn quic_handle_acked(&mut self, c: ConnId, side: Side, space: PnSpace, acked: &[SentPacket]) {
        for p in acked {
            let count = quic_packet(&self.trace, p.trace, p.index).map_or(0, |q| q.frames.len());
            for f in 0..count {
                let Some(frame) = quic_packet(&self.trace, p.trace, p.index).map(|q| q.frames[f]) else {
                    break;
                };
                let cn = &mut self.quic[c];
                match frame {
                    QuicFrame::Crypto { offset, bytes, .. } => {
                        cn.crypto[space.index()][side.index()].on_acked(offset, bytes as u64)
                    }
                    QuicFrame::Stream { id, offset, bytes, .. } => {
                        if let Some(i) = cn.half(id, side) {
                            cn.streams[i as usize].on_acked(offset, bytes as u64);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// CRYPTO bytes reach `at`: whole TLS messages go to the handshake.
    fn quic_on_crypto<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        at: Side,
        space: PnSpace,
        offset: u64,
        bytes: u64,
    ) {
        let mut items = std::mem::take(&mut self.delivery_scratch);
        items.clear();
        let stream = &mut self.quic[c].crypto[space.index()][at.peer().index()];
        stream.on_frame(offset, bytes);
        stream.deliver(&mut items);
        for &(content, _, complete) in &items {
            if complete {
                self.quic_tls_message(app, c, at, content);
            }
        }
        self.delivery_scratch = items;
    }

    /// STREAM bytes reach `at`: what is now in order on that stream goes up;
    /// bytes beyond a gap wait, on that stream only.
    fn quic_on_stream<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        at: Side,
        id: u64,
        offset: u64,
        bytes: u64,
    ) {
        let from = at.peer();
        let cn = &mut self.quic[c];
        let Some(i) = cn.half(id, from) else { return };
        let mut items = std::mem::take(&mut self.delivery_scratch);
        items.clear();
        let stream = &mut cn.streams[i as usize];
        let was_blocked = stream.blocked;
        stream.on_frame(offset, bytes);
        stream.deliver(&mut items);
        let held = stream.held();
        let content = stream.content_at(stream.delivered);
        let missing_from = stream.delivered;
        if held > 0 && !was_blocked {
            stream.blocked = true;
            let continuing: Vec<u64> = cn
                .streams
                .iter()
                .filter(|s| {
                    s.from == from && s.id % 4 == 0 && s.id != id && !s.blocked && s.delivered < s.written
                })
                .map(|s| s.id)
                .take(CONTINUING_LISTED)
                .collect();
            self.record(EventKind::QuicStreamBlocked {
                conn: c,
                to: at,
                stream: id,
                content,
                held_bytes: held,
                missing_from,
                continuing,
            });
            // The message this stream carries waits (and only it).
            app.on_transport(self, c, TransportEvent::Held { at, content, bytes: held, behind: u64::MAX });
        } else if held == 0 && was_blocked {
            stream.blocked = false;
            let delivered_bytes = items.iter().map(|&(_, b, _)| b).sum();
            let content = items.first().map_or(content, |&(content, _, _)| content);
            self.record(EventKind::QuicStreamUnblocked {
                conn: c,
                to: at,
                stream: id,
                content,
                delivered_bytes,
            });
            app.on_transport(self, c, TransportEvent::Released { at, content, bytes: delivered_bytes });
        }
        for &(content, bytes, complete) in &items {
            app.on_transport(self, c, TransportEvent::Delivered { at, content, bytes, complete });
        }
        self.delivery_scratch = items;
    }
}
