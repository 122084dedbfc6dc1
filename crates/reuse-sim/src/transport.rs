//! The transport seam: what HTTP asks of a transport, and what a transport
//! tells HTTP.
//!
//! HTTP sees a connection as two byte streams (one per direction) that it
//! can open, write messages into, flush and close; the transport reports
//! back through `Application::on_transport` with a `TransportEvent`:
//! the connection is ready, a message's bytes left or arrived, the peer
//! closed, a reset, both ends are done. Everything about packets, windows,
//! retransmission and handshakes stays below this line.
//!
//! TCP with TLS on top (`tcp`, `tls`) is the transport of HTTP/1.x and
//! HTTP/2; QUIC (`quic`, TLS 1.3 inside its CRYPTO frames) is HTTP/3's.
//! Each is a variant of `TransportKind`, and every method of the seam below
//! matches on it, so a third transport is a compile error at each place it
//! must answer. A run uses one transport (its protocol's).
//!
//! Upcalls are synchronous: when a segment delivers a request, the server's
//! reaction (and the packets it sends) happens before the segment's own
//! acknowledgment goes out, exactly as the event order of a real stack.

pub mod congestion;
#[cfg(feature = "quic")]
pub mod quic;
pub mod stream;
pub mod tcp;
pub mod tls;

use crate::engine::{Net, TraceIndex};
use crate::time::SimTime;
use crate::trace::CloseReason;
use crate::trace::{ConnId, Content, EventKind, Side, TlsMode};
pub(crate) use stream::Interleave;

/// A type with no values: a field of it makes a whole type uninhabited, so
/// the optimiser drops code that needs one (features compiled out).
#[derive(Clone, Copy, Debug)]
pub enum Never {}

/// What a transport reports to the application above it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TransportEvent {
    /// The client may send requests: its handshakes are done (or it may
    /// send early data).
    Ready { mode: TlsMode },
    /// Bytes of a message are now in order at `at`; `complete` when its last
    /// byte is.
    Delivered { at: Side, content: Content, bytes: u64, complete: bool },
    /// A message's bytes go on the wire for the first time: the first byte
    /// starts to leave the bottleneck at `first`, the last has left at
    /// `last` (either may fall in a later packet).
    Sending { side: Side, content: Content, first: Option<SimTime>, last: Option<SimTime> },
    /// Everything `side`'s application wrote has left, and the connection
    /// is open in both directions.
    AllSent { side: Side },
    /// `bytes` of a message reached `at` but wait behind a hole (packet
    /// `behind` was lost): the transport delivers in order.
    Held { at: Side, content: Content, bytes: u64, behind: u64 },
    /// The hole filled: `bytes` of a message that waited go up now.
    Released { at: Side, content: Content, bytes: u64 },
    /// The peer will send nothing more: its FIN is in order at `at`.
    PeerClosed { at: Side },
    /// A reset reached `at`, or `at` answered late data with one, or `at`
    /// gave up (ETIMEDOUT): nothing more flows on this connection. `reason`:
    /// how the results report it, when the reset says more than "error".
    Reset { at: Side, reason: Option<CloseReason> },
    /// `at` forgot the connection after its idle timeout, without a packet
    /// (QUIC, RFC 9000 §10.1); `reason` is how the results report it.
    #[cfg(feature = "quic")]
    IdleTimeout { at: Side, reason: CloseReason },
    /// Both ends are done (CLOSED or TIME-WAIT).
    Closed,
}

/// The layer above a transport (HTTP).
pub(crate) trait Application {
    fn on_transport(&mut self, net: &mut Net, conn: ConnId, event: TransportEvent);
}

/// How an application closes its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shutdown {
    /// Close the socket: data arriving afterwards is answered with a reset.
    Close,
    /// Stop sending but keep reading and discarding (Apache's and nginx's
    /// lingering close after `Connection: close`), so late client data does
    /// not provoke a reset that would destroy the response in flight.
    Linger,
}

/// The transports the engine has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TransportKind {
    /// TCP, with TLS over it when the scenario asks for TLS.
    Tcp,
    /// QUIC, with TLS 1.3 inside it.
    #[cfg(feature = "quic")]
    Quic,
}

impl Net<'_> {
    /// The transport a connection runs on: the run's.
    #[inline(always)]
    pub fn transport_of(&self, _conn: ConnId) -> TransportKind {
        self.transport
    }

    /// Creates a connection to `host` (nothing is sent yet); returns its id.
    pub fn open(&mut self, host: u32, kind: TransportKind) -> ConnId {
        debug_assert_eq!(kind, self.transport, "a run uses one transport");
        match kind {
            TransportKind::Tcp => self.tcp_open(host),
            #[cfg(feature = "quic")]
            TransportKind::Quic => self.quic_open(host),
        }
    }

    /// Starts the handshake (after DNS, when there is one).
    pub fn connect(&mut self, conn: ConnId) {
        match self.transport_of(conn) {
            TransportKind::Tcp => self.tcp_connect(conn),
            #[cfg(feature = "quic")]
            TransportKind::Quic => self.quic_connect(conn),
        }
    }

    /// Queues a message on `side`'s stream; nothing leaves until
    /// [`flush`](Self::flush). A write after `side` closed is dropped, as a
    /// closed socket would refuse it.
    pub fn write(&mut self, conn: ConnId, side: Side, content: Content, bytes: u64, interleave: Interleave) {
        match self.transport_of(conn) {
            TransportKind::Tcp => self.tcp_write(conn, side, content, bytes, interleave),
            #[cfg(feature = "quic")]
            TransportKind::Quic => self.quic_write(conn, side, content, bytes, interleave),
        }
    }

    /// Asks the transport to send what `side` wrote, at the end of the
    /// current instant: everything the application writes at one moment
    /// leaves together, as a browser batches the frames of one task and
    /// Linux corks small writes (`tcp_autocorking`). Twenty-five HTTP/2
    /// requests made ready at once share a segment or two, not one each.
    pub fn flush(&mut self, conn: ConnId, side: Side) {
        if !self.flush_pending.contains(&(conn, side)) {
            self.flush_pending.push((conn, side));
        }
    }

    /// The end of an instant: sends what was flushed during it.
    pub fn flush_now<A: Application>(&mut self, app: &mut A) {
        while !self.flush_pending.is_empty() {
            let pending = std::mem::take(&mut self.flush_pending);
            for &(conn, side) in &pending {
                match self.transport_of(conn) {
                    TransportKind::Tcp => self.output(app, conn, side),
                    #[cfg(feature = "quic")]
                    TransportKind::Quic => self.quic_flush(conn, side),
                }
            }
            if self.flush_pending.is_empty() {
                self.flush_pending = pending;
                self.flush_pending.clear();
            }
        }
    }

    /// The application on `side` closes its end.
    pub fn close<A: Application>(&mut self, app: &mut A, conn: ConnId, side: Side, how: Shutdown) {
        match self.transport_of(conn) {
            TransportKind::Tcp => self.tcp_close(app, conn, side, how),
            #[cfg(feature = "quic")]
            TransportKind::Quic => self.quic_close(app, conn, side, how),
        }
    }

    /// A packet reaches its destination.
    pub fn on_arrive<A: Application>(&mut self, app: &mut A, sent: TraceIndex, sack: u32, echo: TraceIndex) {
        let Some(p) = self.sent_packet(sent) else { return };
        match self.transport_of(p.conn) {
            TransportKind::Tcp => self.tcp_arrive(app, sent, sack, echo),
            #[cfg(feature = "quic")]
            TransportKind::Quic => self.quic_arrive(app, sent),
        }
    }

    /// A packet was lost on the way (or dropped at a full buffer).
    pub fn on_lost(&mut self, sent: TraceIndex) {
        let Some(p) = self.sent_packet(sent) else { return };
        let (id, conn, to) = (p.id, p.conn, p.from.peer());
        self.record(EventKind::PacketDropped { id, conn, to });
    }
}

/// Bytes of a variable-length integer (RFC 9000 §16): 1, 2, 4 or 8. QUIC's
/// and HTTP/3's framing both count with it.
pub fn varint_len(v: u64) -> u32 {
    match v {
        0..=63 => 1,
        64..=16_383 => 2,
        16_384..=1_073_741_823 => 4,
        _ => 8,
    }
}
