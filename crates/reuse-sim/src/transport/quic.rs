//! QUIC as the engine's second transport (RFC 9000, 9001, 9002), the
//! transport of HTTP/3.
//!
//! - `wire`: sizes of headers, frames and TLS messages, with their RFCs.
//! - `recovery`: RFC 9002 loss detection, probe timeout and NewReno, sans I/O.
//! - `received`: which packet numbers arrived and when an ACK is owed.
//! - `streams`: one direction of a stream (or CRYPTO stream): what was
//!   sent, acknowledged and lost, and what arrived in order.
//! - `output`: building datagrams (coalesced packets, padding, the
//!   congestion window and the anti-amplification limit) and the timers.
//! - `input`: a datagram arrives: acknowledgments, CRYPTO and STREAM data,
//!   HANDSHAKE_DONE, CONNECTION_CLOSE.
//! - this file: a connection's two endpoints and its streams; opening,
//!   writing, closing; TLS 1.3 inside CRYPTO frames; the idle timeout and
//!   the closing and draining periods.
//!
//! Every packet is a UDP datagram on the same links as TCP's segments,
//! recorded as one `PacketSent` whose `quic` field lists the QUIC packets
//! coalesced in it.

mod input;
mod output;
pub mod received;
pub mod recovery;
pub mod streams;
pub mod wire;

use std::collections::VecDeque;

use crate::engine::{Ev, Net};
use crate::scenario::{Scenario, TlsVersion};
use crate::scheduler::{LazyTimer, TimerFire};
use crate::time::SimDuration;
use crate::trace::{CloseReason, ConnId, Content, EventKind, PnSpace, QuicState, ReqIdx, Side, TlsMode};
use crate::transport::{tls, Application, Interleave, Shutdown, TransportEvent};

pub(crate) use output::QuicScratch;
use received::Received;
use recovery::Recovery;
use streams::ByteStream;

/// What stays the same for every QUIC connection of a run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct QuicConfig {
    pub max_datagram_size: u64,
    pub initial_window: u64,
    pub max_ack_delay: SimDuration,
    /// The smaller of both sides' max_idle_timeout (RFC 9000 §10.1).
    pub idle_timeout: SimDuration,
    /// How the results report a silent idle close: the side whose timeout
    /// is the smaller (the server's on a tie).
    pub idle_reason: CloseReason,
    pub certificate_bytes: u64,
    /// `tcp.congestion_control`: QUIC's senders use the same controller.
    pub congestion: crate::scenario::CongestionControl,
}

impl QuicConfig {
    pub fn new(sc: &Scenario) -> Self {
        let q = &sc.quic;
        let mds = q.max_datagram_size_bytes as u64;
        let client = SimDuration::from_ms_f64(q.client_max_idle_timeout_ms);
        let server = SimDuration::from_ms_f64(q.server_max_idle_timeout_ms);
        QuicConfig {
            max_datagram_size: mds,
            initial_window: recovery::initial_window(mds, q.initial_window_packets),
            max_ack_delay: SimDuration::from_ms_f64(q.max_ack_delay_ms),
            idle_timeout: client.min(server),
            idle_reason: if server <= client {
                CloseReason::ServerIdleTimeout
            } else {
                CloseReason::ClientIdleTimeout
            },
            certificate_bytes: sc.tls.certificate_bytes as u64,
            congestion: sc.tcp.congestion_control,
        }
    }
}

/// Which of an endpoint's timers an event is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QuicTimer {
    /// The client starts the handshake (scheduled by `connect`).
    Start,
    /// What the application wrote at this instant leaves (scheduled by
    /// `flush`), packed into as few datagrams as it fits.
    Flush,
    /// Loss detection and probe timeout (RFC 9002 §6).
    Loss,
    /// A delayed acknowledgment is due (RFC 9000 §13.2.1).
    Ack,
    /// The idle timeout (RFC 9000 §10.1).
    Idle,
    /// The end of the closing or draining period (RFC 9000 §10.2).
    Drain,
    /// The pacing clock lets the next datagram go (BBR).
    Pace,
}

/// One endpoint of a QUIC connection.
pub(crate) struct QuicEndpoint {
    pub state: QuicState,
    pub recovery: Recovery,
    pub received: [Received; 3],
    /// May send in each space (application data: 0-RTT or 1-RTT keys).
    pub keys: [bool; 3],
    /// 1-RTT keys: application data goes in 1-RTT packets (else 0-RTT).
    pub one_rtt: bool,
    pub handshake_complete: bool,
    pub handshake_confirmed: bool,
    /// The client's PeerCompletedAddressValidation (RFC 9002 A.6): a
    /// Handshake packet was acknowledged, or the handshake is confirmed.
    pub peer_validated: bool,
    /// The server: the client's address is validated (RFC 9000 §8.1), and
    /// the bytes counted until then.
    pub address_validated: bool,
    pub bytes_received: u64,
    pub bytes_sent: u64,
    pub amplification_blocked: bool,
    /// Streams with new data: sent whole in order, or taking turns.
    pub in_order: VecDeque<u32>,
    pub round_robin: VecDeque<u32>,
    pub turn_left: u64,
    /// Streams with data to resend.
    pub retx: VecDeque<u32>,
    /// Bytes written to its streams and never sent.
    pub unsent: u64,
    pub handshake_done_pending: bool,
    pub ping_pending: [bool; 3],
    /// Datagrams that may leave beyond the congestion window: probes.
    pub probes: u32,
    pub close_pending: bool,
    pub app_closed: bool,
    /// A flush is scheduled for this instant.
    pub flush_pending: bool,
    /// An ack-eliciting packet left since the last one arrived (the idle
    /// timer restarts on the first, RFC 9000 §10.1).
    pub sent_since_receipt: bool,
    pub loss_timer: LazyTimer,
    pub ack_timer: LazyTimer,
    /// With pacing (BBR): the next datagram's release time.
    pub pace_timer: LazyTimer,
    pub idle_timer: LazyTimer,
    pub drain_timer: LazyTimer,
}

impl QuicEndpoint {
    fn new(side: Side, cfg: &QuicConfig) -> Self {
        QuicEndpoint {
            state: QuicState::Idle,
            recovery: Recovery::new(cfg.max_datagram_size, cfg.initial_window, cfg.max_ack_delay)
                .with_congestion_control(cfg.congestion),
            received: Default::default(),
            keys: [false; 3],
            one_rtt: false,
            handshake_complete: false,
            handshake_confirmed: false,
            peer_validated: side == Side::Server,
            address_validated: side == Side::Client,
            bytes_received: 0,
            bytes_sent: 0,
            amplification_blocked: false,
            in_order: VecDeque::new(),
            round_robin: VecDeque::new(),
            turn_left: 0,
            retx: VecDeque::new(),
            unsent: 0,
            handshake_done_pending: false,
            ping_pending: [false; 3],
            probes: 0,
            close_pending: false,
            app_closed: false,
            flush_pending: false,
            sent_since_receipt: false,
            loss_timer: LazyTimer::default(),
            ack_timer: LazyTimer::default(),
            pace_timer: LazyTimer::default(),
            idle_timer: LazyTimer::default(),
            drain_timer: LazyTimer::default(),
        }
    }

    /// Can it still send or read anything?
    pub fn open(&self) -> bool {
        matches!(self.state, QuicState::Handshake | QuicState::Established)
    }

    /// The server may send at most this much more before the client's
    /// address is validated (RFC 9000 §8.1: three times what it received).
    pub fn amplification_allowance(&self) -> Option<u64> {
        (!self.address_validated)
            .then(|| (AMPLIFICATION_FACTOR * self.bytes_received).saturating_sub(self.bytes_sent))
    }
}

/// RFC 9000 §8.1: before validating the client's address a server sends at
/// most three times the bytes it received.
pub const AMPLIFICATION_FACTOR: u64 = 3;
/// RFC 9000 §10.2: the closing and draining periods last three PTO.
pub const CLOSING_PTOS: u64 = 3;
/// RFC 9000 §10.1: the idle timeout is at least three PTO.
pub const IDLE_MIN_PTOS: u64 = 3;

/// Client-initiated bidirectional streams are 0, 4, 8 … (RFC 9000 §2.1).
pub const FIRST_CLIENT_BIDI_STREAM: u64 = 0;
/// The HTTP/3 control streams: the first unidirectional stream of each
/// side (RFC 9000 §2.1; RFC 9114 §6.2.1).
pub const CLIENT_CONTROL_STREAM: u64 = 2;
pub const SERVER_CONTROL_STREAM: u64 = 3;

/// One QUIC connection.
pub(crate) struct QuicConn {
    pub host: u32,
    pub mode: TlsMode,
    pub ep: [QuicEndpoint; 2],
    /// One direction of a stream each.
    pub streams: Vec<ByteStream>,
    /// Each number space's CRYPTO stream, by sending side.
    pub crypto: [[ByteStream; 2]; 3],
    /// Bidirectional stream `4k`: its two directions' indices in `streams`.
    bidi: Vec<[u32; 2]>,
    /// The control streams' indices, by side.
    control: [u32; 2],
    /// The stream each request went on.
    request_stream: Vec<(ReqIdx, u64)>,
    next_bidi: u64,
    closed_reported: bool,
}

const NONE: u32 = u32::MAX;

impl QuicConn {
    /// The index in `streams` of stream `id`'s direction from `from`.
    pub fn half(&self, id: u64, from: Side) -> Option<u32> {
        let index = match id % 4 {
            0 => self.bidi.get((id / 4) as usize).map_or(NONE, |pair| pair[from.index()]),
            2 if id == CLIENT_CONTROL_STREAM && from == Side::Client => self.control[0],
            3 if id == SERVER_CONTROL_STREAM && from == Side::Server => self.control[1],
            _ => NONE,
        };
        (index != NONE).then_some(index)
    }

    fn new_half(&mut self, id: u64, from: Side, ends: bool) -> u32 {
        let index = self.streams.len() as u32;
        self.streams.push(ByteStream::new(id, from, ends));
        match id % 4 {
            0 => {
                let k = (id / 4) as usize;
                if self.bidi.len() <= k {
                    self.bidi.resize(k + 1, [NONE; 2]);
                }
                self.bidi[k][from.index()] = index;
            }
            _ => self.control[from.index()] = index,
        }
        index
    }

    /// The stream of request `r`'s response, opened if new; `ends`: the
    /// message written now ends it.
    fn response_stream(&mut self, r: ReqIdx, ends: bool) -> Option<u32> {
        let &(_, id) = self.request_stream.iter().rev().find(|&&(q, _)| q == r)?;
        let i = match self.half(id, Side::Server) {
            Some(i) => i,
            None => self.new_half(id, Side::Server, ends),
        };
        self.streams[i as usize].ends = ends;
        Some(i)
    }

    /// The stream a message goes on, opened if new.
    fn stream_for(&mut self, side: Side, content: Content) -> Option<u32> {
        match (side, content) {
            (Side::Client, Content::Request(r) | Content::EarlyRequest(r)) => {
                let id = self.next_bidi;
                self.next_bidi += 4;
                self.request_stream.push((r, id));
                Some(self.new_half(id, Side::Client, true))
            }
            (Side::Server, Content::Response(r)) => self.response_stream(r, true),
            // A streamed response's parts leave the stream open; its last
            // part (a `Response`) ends it with FIN.
            #[cfg(feature = "push")]
            (Side::Server, Content::ResponsePart(r)) => self.response_stream(r, false),
            (_, Content::H3Control | Content::H3GoAway) => {
                let id = match side {
                    Side::Client => CLIENT_CONTROL_STREAM,
                    Side::Server => SERVER_CONTROL_STREAM,
                };
                Some(match self.half(id, side) {
                    Some(i) => i,
                    None => self.new_half(id, side, false),
                })
            }
            _ => None,
        }
    }
}

fn crypto_streams() -> [[ByteStream; 2]; 3] {
    std::array::from_fn(|_| {
        [ByteStream::new(u64::MAX, Side::Client, false), ByteStream::new(u64::MAX, Side::Server, false)]
    })
}

impl QuicConn {
    /// A new connection to `host`: a full handshake ahead, no streams yet.
    fn new(host: u32, cfg: &QuicConfig) -> Self {
        QuicConn {
            host,
            mode: TlsMode::Full,
            ep: [QuicEndpoint::new(Side::Client, cfg), QuicEndpoint::new(Side::Server, cfg)],
            streams: Vec::new(),
            crypto: crypto_streams(),
            bidi: Vec::new(),
            control: [NONE; 2],
            request_stream: Vec::new(),
            next_bidi: FIRST_CLIENT_BIDI_STREAM,
            closed_reported: false,
        }
    }
}

impl Net<'_> {
    pub(super) fn quic_open(&mut self, host: u32) -> ConnId {
        let id = self.quic.next_id();
        let cfg = self.quic_cfg;
        self.quic.0.push(QuicConn::new(host, &cfg));
        id
    }

    /// The handshake starts as soon as the caller is done: HTTP queues the
    /// request that opened the connection first, so early data finds it.
    pub(super) fn quic_connect(&mut self, c: ConnId) {
        self.sched.at(self.now(), Ev::QuicTimer { conn: c, side: Side::Client, timer: QuicTimer::Start });
    }

    /// The client's first flight leaves: an Initial with the ClientHello
    /// (and, resuming with early data, 0-RTT packets with the requests).
    fn quic_start<A: Application>(&mut self, app: &mut A, c: ConnId) {
        let host = self.quic[c].host;
        // QUIC always carries TLS 1.3 (RFC 9001), whatever tls.version says.
        let mode = tls::mode_for(TlsVersion::Tls13, self.sc.tls.resumption, self.has_ticket(host));
        let cn = &mut self.quic[c];
        cn.mode = mode;
        let hello = match mode {
            TlsMode::Full | TlsMode::None => wire::CLIENT_HELLO_BYTES,
            TlsMode::Resumed | TlsMode::EarlyData => wire::CLIENT_HELLO_RESUME_BYTES,
        };
        cn.crypto[PnSpace::Initial.index()][Side::Client.index()].write(Content::ClientHello, hello);
        let ep = &mut cn.ep[Side::Client.index()];
        ep.keys[PnSpace::Initial.index()] = true;
        ep.keys[PnSpace::Application.index()] = mode == TlsMode::EarlyData;
        self.record(EventKind::QuicHandshakeStarted { conn: c, mode });
        self.quic_set_state(c, Side::Client, QuicState::Handshake);
        if mode == TlsMode::EarlyData {
            app.on_transport(self, c, TransportEvent::Ready { mode });
        }
        self.quic_output(app, c, Side::Client);
    }

    /// Sends what the application wrote once it is done writing at this
    /// instant, as a QUIC stack sends when its event loop comes round: a
    /// page's requests written together share datagrams.
    pub(super) fn quic_flush(&mut self, c: ConnId, side: Side) {
        let ep = &mut self.quic[c].ep[side.index()];
        if !ep.flush_pending {
            ep.flush_pending = true;
            self.sched.at(self.now(), Ev::QuicTimer { conn: c, side, timer: QuicTimer::Flush });
        }
    }

    pub(super) fn quic_write(
        &mut self,
        c: ConnId,
        side: Side,
        content: Content,
        bytes: u64,
        how: Interleave,
    ) {
        let cn = &mut self.quic[c];
        let ep = &cn.ep[side.index()];
        if ep.app_closed
            || !matches!(ep.state, QuicState::Idle | QuicState::Handshake | QuicState::Established)
        {
            return;
        }
        let Some(index) = cn.stream_for(side, content) else {
            debug_assert!(false, "{content:?} has no QUIC stream");
            return;
        };
        let stream = &mut cn.streams[index as usize];
        let queued = stream.unsent() > 0;
        stream.write(content, bytes);
        let ep = &mut cn.ep[side.index()];
        ep.unsent += bytes;
        if queued {
            return;
        }
        match how {
            Interleave::InOrder => ep.in_order.push_back(index),
            Interleave::RoundRobin { unit } => {
                cn.streams[index as usize].unit = unit.max(1);
                ep.round_robin.push_back(index);
            }
        }
    }

    /// The application on `side` closes: CONNECTION_CLOSE follows what it
    /// wrote (an HTTP/3 GOAWAY), then the closing period. A connection not
    /// yet established is simply forgotten.
    pub(super) fn quic_close<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side, _how: Shutdown) {
        let ep = &mut self.quic[c].ep[side.index()];
        ep.app_closed = true;
        match ep.state {
            QuicState::Established => {
                ep.close_pending = true;
                self.quic_output(app, c, side);
            }
            QuicState::Idle | QuicState::Handshake => {
                self.quic_set_state(c, side, QuicState::Closed);
                self.quic_check_closed(app, c);
            }
            QuicState::Closing | QuicState::Draining | QuicState::Closed => {}
        }
    }

    pub(crate) fn quic_set_state(&mut self, c: ConnId, side: Side, to: QuicState) {
        let ep = &mut self.quic[c].ep[side.index()];
        let from = ep.state;
        if from == to {
            return;
        }
        ep.state = to;
        if to == QuicState::Closed {
            for timer in [
                &mut ep.loss_timer,
                &mut ep.ack_timer,
                &mut ep.idle_timer,
                &mut ep.drain_timer,
                &mut ep.pace_timer,
            ] {
                timer.stop();
            }
        }
        self.record(EventKind::QuicStateChanged { conn: c, side, from, to });
    }

    /// Both endpoints are closed (or the server never heard of the
    /// connection): it leaves the run.
    pub(crate) fn quic_check_closed<A: Application>(&mut self, app: &mut A, c: ConnId) {
        let cn = &mut self.quic[c];
        let done = |s: QuicState| matches!(s, QuicState::Closed);
        let server_gone = done(cn.ep[1].state) || (cn.ep[1].state == QuicState::Idle && done(cn.ep[0].state));
        if cn.closed_reported || !done(cn.ep[0].state) || !server_gone {
            return;
        }
        cn.closed_reported = true;
        app.on_transport(self, c, TransportEvent::Closed);
    }

    /// Starts the closing or draining period (3 PTO, RFC 9000 §10.2).
    pub(crate) fn quic_start_drain(&mut self, c: ConnId, side: Side, to: QuicState) {
        self.quic_set_state(c, side, to);
        let now = self.now();
        let ep = &mut self.quic[c].ep[side.index()];
        for timer in [&mut ep.loss_timer, &mut ep.ack_timer, &mut ep.idle_timer] {
            timer.stop();
        }
        let period = ep.recovery.current_pto().saturating_mul(CLOSING_PTOS);
        if let Some(at) = ep.drain_timer.set(now + period) {
            self.sched.at(at, Ev::QuicTimer { conn: c, side, timer: QuicTimer::Drain });
        }
    }

    /// Restarts the idle timer: a packet arrived, or the first ack-eliciting
    /// one left since then (RFC 9000 §10.1).
    pub(crate) fn quic_touch_idle(&mut self, c: ConnId, side: Side) {
        let now = self.now();
        let base = self.quic_cfg.idle_timeout;
        let ep = &mut self.quic[c].ep[side.index()];
        let timeout = base.max(ep.recovery.current_pto().saturating_mul(IDLE_MIN_PTOS));
        if let Some(at) = ep.idle_timer.set(now + timeout) {
            self.sched.at(at, Ev::QuicTimer { conn: c, side, timer: QuicTimer::Idle });
        }
    }

    /// One of an endpoint's timers pops.
    pub(crate) fn on_quic_timer<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        side: Side,
        timer: QuicTimer,
    ) {
        let now = self.now();
        let ep = &mut self.quic[c].ep[side.index()];
        let slot = match timer {
            QuicTimer::Start => {
                if ep.state == QuicState::Idle && !ep.app_closed {
                    self.quic_start(app, c);
                }
                return;
            }
            QuicTimer::Flush => {
                ep.flush_pending = false;
                self.quic_output(app, c, side);
                return;
            }
            QuicTimer::Loss => &mut ep.loss_timer,
            QuicTimer::Ack => &mut ep.ack_timer,
            QuicTimer::Idle => &mut ep.idle_timer,
            QuicTimer::Drain => &mut ep.drain_timer,
            QuicTimer::Pace => &mut ep.pace_timer,
        };
        match slot.fire(now) {
            TimerFire::Ignore => return,
            TimerFire::Reschedule(at) => {
                self.sched.at(at, Ev::QuicTimer { conn: c, side, timer });
                return;
            }
            TimerFire::Fire => {}
        }
        match timer {
            QuicTimer::Start | QuicTimer::Flush => {}
            QuicTimer::Loss => self.quic_on_loss_timer(app, c, side),
            QuicTimer::Ack => {
                for r in &mut self.quic[c].ep[side.index()].received {
                    if r.ack_deadline.is_some_and(|d| d <= now) {
                        r.on_ack_timer();
                    }
                }
                self.quic_output(app, c, side);
            }
            QuicTimer::Idle => self.quic_idle_expired(app, c, side),
            QuicTimer::Pace => self.quic_output(app, c, side),
            QuicTimer::Drain => {
                self.quic_set_state(c, side, QuicState::Closed);
                self.quic_check_closed(app, c);
            }
        }
    }

    /// No packet for the idle timeout: this end forgets the connection,
    /// silently (RFC 9000 §10.1).
    fn quic_idle_expired<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side) {
        let state = self.quic[c].ep[side.index()].state;
        if matches!(state, QuicState::Closed | QuicState::Idle) {
            return;
        }
        let (timeout, reason) = (self.quic_cfg.idle_timeout, self.quic_cfg.idle_reason);
        let pto = self.quic[c].ep[side.index()].recovery.current_pto().saturating_mul(IDLE_MIN_PTOS);
        self.record(EventKind::QuicIdleTimeout { conn: c, side, timeout: timeout.max(pto), reason });
        self.quic_set_state(c, side, QuicState::Closed);
        if matches!(state, QuicState::Handshake | QuicState::Established) {
            app.on_transport(self, c, TransportEvent::IdleTimeout { at: side, reason });
        }
        self.quic_check_closed(app, c);
    }

    /// A whole TLS message arrived at `at` in a CRYPTO stream.
    pub(crate) fn quic_tls_message<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        at: Side,
        message: Content,
    ) {
        let mode = self.quic[c].mode;
        match (at, message) {
            (Side::Server, Content::ClientHello) => {
                let flight = match mode {
                    TlsMode::Full | TlsMode::None => (
                        Content::ServerCertificate,
                        wire::certificate_flight_bytes(self.quic_cfg.certificate_bytes),
                    ),
                    TlsMode::Resumed | TlsMode::EarlyData => {
                        (Content::ServerHandshake, wire::SERVER_RESUMED_FLIGHT_BYTES)
                    }
                };
                let cn = &mut self.quic[c];
                cn.crypto[PnSpace::Initial.index()][1].write(Content::ServerHello, wire::SERVER_HELLO_BYTES);
                cn.crypto[PnSpace::Handshake.index()][1].write(flight.0, flight.1);
                let ep = &mut cn.ep[1];
                ep.keys = [true; 3];
                ep.one_rtt = true;
            }
            (Side::Client, Content::ServerHello) => {
                self.quic[c].ep[0].keys[PnSpace::Handshake.index()] = true;
            }
            (Side::Client, Content::ServerCertificate | Content::ServerHandshake) => {
                let cn = &mut self.quic[c];
                cn.crypto[PnSpace::Handshake.index()][0].write(Content::ClientFinished, wire::FINISHED_BYTES);
                let ep = &mut cn.ep[0];
                ep.keys[PnSpace::Application.index()] = true;
                ep.one_rtt = true;
                ep.handshake_complete = true;
                self.quic_set_state(c, Side::Client, QuicState::Established);
                if mode != TlsMode::EarlyData {
                    app.on_transport(self, c, TransportEvent::Ready { mode });
                }
            }
            (Side::Server, Content::ClientFinished) => {
                // The server's handshake is complete and confirmed (RFC 9001
                // §4.1.2): HANDSHAKE_DONE and a ticket for next time; its
                // Handshake keys go (§4.9.2).
                let cn = &mut self.quic[c];
                cn.crypto[PnSpace::Application.index()][1]
                    .write(Content::SessionTicket, wire::SESSION_TICKET_BYTES);
                let ep = &mut cn.ep[1];
                ep.handshake_complete = true;
                ep.handshake_confirmed = true;
                ep.handshake_done_pending = true;
                ep.keys[PnSpace::Handshake.index()] = false;
                ep.recovery.discard(PnSpace::Handshake);
                self.quic_set_state(c, Side::Server, QuicState::Established);
            }
            (Side::Client, Content::SessionTicket) => {
                let host = self.quic[c].host;
                self.store_ticket(host);
            }
            _ => {}
        }
    }

    /// Everything `side`'s application wrote has left at least once, on an
    /// established connection.
    pub(crate) fn quic_all_sent(&self, c: ConnId, side: Side) -> bool {
        let ep = &self.quic[c].ep[side.index()];
        ep.unsent == 0 && ep.state == QuicState::Established && !ep.close_pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(client_ms: f64, server_ms: f64) -> QuicConfig {
        let mut s = Scenario::new("q", 100.0, vec![crate::RequestSpec::new("a", 1)]);
        s.quic.client_max_idle_timeout_ms = client_ms;
        s.quic.server_max_idle_timeout_ms = server_ms;
        QuicConfig::new(&s)
    }

    #[test]
    fn the_idle_timeout_is_the_smaller_side_and_reported_as_that_side() {
        let c = config(10_000.0, 30_000.0);
        assert_eq!(c.idle_timeout, SimDuration::from_millis(10_000));
        assert_eq!(c.idle_reason, CloseReason::ClientIdleTimeout);
        let c = config(30_000.0, 10_000.0);
        assert_eq!(
            (c.idle_timeout, c.idle_reason),
            (SimDuration::from_millis(10_000), CloseReason::ServerIdleTimeout)
        );
        // A tie is the server's, as the idle periods' deadlines are.
        assert_eq!(config(5_000.0, 5_000.0).idle_reason, CloseReason::ServerIdleTimeout);
    }

    #[test]
    fn defaults_are_the_rfcs() {
        let c = config(30_000.0, 30_000.0);
        assert_eq!(c.max_datagram_size, 1200);
        assert_eq!(c.initial_window, 12_000);
        assert_eq!(c.max_ack_delay, SimDuration::from_millis(25));
    }

    #[test]
    fn streams_of_requests_count_up_by_four_and_control_streams_are_two_and_three() {
        let cfg = config(30_000.0, 30_000.0);
        let mut cn = QuicConn::new(0, &cfg);
        let a = cn.stream_for(Side::Client, Content::Request(7)).unwrap();
        let b = cn.stream_for(Side::Client, Content::Request(3)).unwrap();
        let control = cn.stream_for(Side::Client, Content::H3Control).unwrap();
        let response = cn.stream_for(Side::Server, Content::Response(3)).unwrap();
        let ids: Vec<u64> = [a, b, control, response].iter().map(|&i| cn.streams[i as usize].id).collect();
        assert_eq!(ids, vec![0, 4, 2, 4]);
        assert_eq!(cn.half(4, Side::Server), Some(response));
        assert_eq!(cn.half(3, Side::Server), None, "the server's control stream is not open yet");
        assert_eq!(cn.stream_for(Side::Client, Content::H3GoAway), Some(control), "GOAWAY shares it");
    }
}
