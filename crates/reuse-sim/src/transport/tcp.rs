//! TCP as the engine's first transport, with TLS flights over it.
//!
//! - `endpoint`: one endpoint's arithmetic, sans I/O: windows, RTT and
//!   RTO, NewReno, the receive side. Pure and unit-tested.
//! - `state`: a segment arrives; the state machine's transitions, with
//!   their RFC 9293 names, beside the states they leave.
//! - `output`: what leaves and when: segmentation, the window, the
//!   retransmission and delayed-ACK timers, fast retransmit.
//! - `sender` (with `sender/recovery.rs` and `sender/growth.rs`), `receiver`: each half's
//!   arithmetic, sans I/O.
//! - `keepalive`, `middlebox`: the client's keep-alive probes and a NAT or
//!   load balancer on the path that forgets idle connections.
//! - this file: a connection's two endpoints and streams, opening,
//!   writing, closing, and the TLS handshake riding on the streams.

mod endpoint;
mod keepalive;
mod middlebox;
mod output;
mod receiver;
mod sender;
mod state;

pub use endpoint::*;
pub use keepalive::*;
pub use middlebox::*;
pub use receiver::*;
pub use sender::*;

use crate::engine::{Net, TraceIndex};
use crate::scheduler::LazyTimer;
use crate::time::SimTime;
use crate::trace::{CloseReason, ConnId, Content, EventKind, Side, TcpState, TlsMode};
use crate::transport::stream::{Interleave, Stream};
use crate::transport::{tls, Application, Shutdown, TransportEvent};

/// One TCP connection: both endpoints, both byte streams, their timers.
pub(crate) struct TcpConn {
    pub host: u32,
    pub ep: [TcpEndpoint; 2],
    /// Indexed by the sending side.
    pub streams: [Stream; 2],
    pub rto_timer: [LazyTimer; 2],
    pub delack_timer: [LazyTimer; 2],
    /// With pacing (BBR): the next segment's release time.
    pub pace_timer: [LazyTimer; 2],
    /// The application on each side has closed its socket.
    pub app_closed: [bool; 2],
    /// The server closed with [`Shutdown::Linger`]: it still reads.
    pub lingering: bool,
    /// Both ends are CLOSED or in TIME-WAIT.
    pub fully_closed: bool,
    pub tls_mode: TlsMode,
    /// The client has sent its Finished: no more early data.
    pub tls_done: bool,
    /// The client's keep-alive timer (`tcp.keepalive`) and the probes sent
    /// since it last heard from the server.
    pub keepalive_timer: LazyTimer,
    pub probes_out: u32,
    /// The middlebox's idle timer for this connection (`network.middlebox`),
    /// and whether it has forgotten the connection.
    pub middlebox_timer: LazyTimer,
    pub forgotten: bool,
    /// Per side: when the segment the retransmission timer keeps resending
    /// first left (Linux's `retrans_stamp`), for `tcp_retries2`.
    pub stalled_since: [Option<SimTime>; 2],
    /// Per sending side: the trace indices of its lost packets, in trace
    /// order, so the hole a receiver waits on is found without scanning the
    /// whole trace.
    pub lost_sent: [Vec<TraceIndex>; 2],
}

impl Net<'_> {
    pub(super) fn tcp_open(&mut self, host: u32) -> ConnId {
        let id = self.tcp.next_id();
        let cfg = self.tcp_cfg;
        self.tcp.0.push(TcpConn {
            host,
            ep: [TcpEndpoint::new(Side::Client, cfg), TcpEndpoint::new(Side::Server, cfg)],
            streams: [Stream::default(), Stream::default()],
            rto_timer: [LazyTimer::default(); 2],
            delack_timer: [LazyTimer::default(); 2],
            pace_timer: [LazyTimer::default(); 2],
            app_closed: [false; 2],
            lingering: false,
            fully_closed: false,
            tls_mode: TlsMode::None,
            tls_done: false,
            keepalive_timer: LazyTimer::default(),
            probes_out: 0,
            middlebox_timer: LazyTimer::default(),
            forgotten: false,
            stalled_since: [None; 2],
            lost_sent: [Vec::new(), Vec::new()],
        });
        id
    }

    /// The client's SYN leaves.
    pub(super) fn tcp_connect(&mut self, c: ConnId) {
        self.send_syn(c);
    }

    pub(super) fn tcp_write(&mut self, c: ConnId, side: Side, content: Content, bytes: u64, how: Interleave) {
        let cn = &mut self.tcp[c];
        let ep = &cn.ep[side.index()];
        if ep.snd.fin_queued || ep.state.is_closing() {
            return;
        }
        // A request written before the client's Finished rides as TLS 1.3
        // early data (0-RTT).
        let content = match content {
            Content::Request(r) if cn.tls_mode == TlsMode::EarlyData && !cn.tls_done => {
                Content::EarlyRequest(r)
            }
            other => other,
        };
        cn.streams[side.index()].queue(content, bytes, how);
    }

    /// The application on `side` closes its socket: a FIN follows the data
    /// already written; a connection never established is simply forgotten.
    pub(super) fn tcp_close<A: Application>(&mut self, app: &mut A, c: ConnId, side: Side, how: Shutdown) {
        let cn = &mut self.tcp[c];
        cn.app_closed[side.index()] = true;
        if how == Shutdown::Linger {
            cn.lingering = true;
        }
        let ep = &mut cn.ep[side.index()];
        match ep.state {
            TcpState::Established | TcpState::CloseWait => {
                ep.snd.fin_queued = true;
                self.output(app, c, side);
            }
            TcpState::SynSent | TcpState::Listen | TcpState::SynReceived | TcpState::Closed => {
                if let Some(ev) = ep.set_state(c, TcpState::Closed) {
                    self.record(ev);
                }
                self.check_fully_closed(app, c);
            }
            _ => {}
        }
    }

    /// `side` stops dead (a reset arrived, or it sent one, or it gave up);
    /// `reason` says why when it is more than a reset from the peer.
    pub(super) fn abort<A: Application>(
        &mut self,
        app: &mut A,
        c: ConnId,
        side: Side,
        reason: Option<CloseReason>,
    ) {
        self.stop_rto(c, side);
        let cn = &mut self.tcp[c];
        cn.app_closed[side.index()] = true;
        if let Some(ev) = cn.ep[side.index()].set_state(c, TcpState::Closed) {
            self.record(ev);
        }
        self.check_fully_closed(app, c);
        app.on_transport(self, c, TransportEvent::Reset { at: side, reason });
    }

    pub(super) fn check_fully_closed<A: Application>(&mut self, app: &mut A, c: ConnId) {
        let cn = &mut self.tcp[c];
        let done = |s: TcpState| matches!(s, TcpState::Closed | TcpState::TimeWait);
        if cn.fully_closed || !done(cn.ep[0].state) || !done(cn.ep[1].state) {
            return;
        }
        cn.fully_closed = true;
        for timer in cn.rto_timer.iter_mut().chain(cn.delack_timer.iter_mut()) {
            timer.stop();
        }
        #[cfg(feature = "cubic")]
        for timer in &mut cn.pace_timer {
            timer.stop();
        }
        cn.keepalive_timer.stop();
        cn.middlebox_timer.stop();
        app.on_transport(self, c, TransportEvent::Closed);
    }

    /// The client's end is established: TLS starts, or the connection is
    /// ready at once.
    pub(super) fn client_established<A: Application>(&mut self, app: &mut A, c: ConnId) {
        let host = self.tcp[c].host;
        let mode = tls::mode_for(self.sc.tls.version, self.sc.tls.resumption, self.has_ticket(host));
        self.tcp[c].tls_mode = mode;
        if mode == TlsMode::None {
            app.on_transport(self, c, TransportEvent::Ready { mode });
            return;
        }
        self.record(EventKind::TlsStarted { conn: c, mode });
        let (content, bytes) = tls::client_hello(mode);
        self.tcp_write(c, Side::Client, content, bytes, Interleave::InOrder);
        if mode == TlsMode::EarlyData {
            app.on_transport(self, c, TransportEvent::Ready { mode });
        }
    }

    /// A whole TLS handshake message arrived at `at`.
    fn tls_step<A: Application>(&mut self, app: &mut A, c: ConnId, at: Side, message: Content) {
        let cn = &self.tcp[c];
        let mode = cn.tls_mode;
        let step =
            tls::on_message(self.sc.tls.version, mode, at, message, self.sc.tls.certificate_bytes as u64);
        if let Some((content, bytes)) = step.reply {
            self.tcp_write(c, at, content, bytes, Interleave::InOrder);
            if at == Side::Client && content == Content::ClientFinished {
                self.tcp[c].tls_done = true;
            }
        }
        if step.ticket {
            let host = self.tcp[c].host;
            self.store_ticket(host);
        }
        if step.client_ready {
            app.on_transport(self, c, TransportEvent::Ready { mode });
        }
    }

    /// Bytes up to `upto` of the stream the peer sends are now in order at
    /// `at`: TLS messages go to the handshake, the rest up to the application.
    pub(super) fn deliver<A: Application>(&mut self, app: &mut A, c: ConnId, at: Side, upto: u64) {
        let mut items = std::mem::take(&mut self.delivery_scratch);
        items.clear();
        self.tcp[c].streams[at.peer().index()].deliver(upto, &mut items);
        for &(content, bytes, complete) in &items {
            if content.is_tls_handshake() {
                if complete {
                    self.tls_step(app, c, at, content);
                }
            } else {
                app.on_transport(self, c, TransportEvent::Delivered { at, content, bytes, complete });
            }
        }
        self.delivery_scratch = items;
    }

    /// Everything `side`'s application wrote has left, and the connection
    /// is open both ways.
    pub fn all_sent(&self, c: ConnId, side: Side) -> bool {
        let cn = &self.tcp[c];
        let stream = &cn.streams[side.index()];
        let ep = &cn.ep[side.index()];
        ep.snd.snd_nxt >= stream.written && !stream.has_queued() && ep.state == TcpState::Established
    }
}
