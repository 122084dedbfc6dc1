//! The receiving half of a TCP endpoint, sans I/O: what has arrived in
//! order, what is held out of order, and when an acknowledgment is owed
//! (RFC 9293 §3.10.7.4, RFC 5681 §4.2, RFC 1122 §4.2.3.2).
//!
//! Out-of-order arrivals are also appended to a SACK log. An ACK carries the
//! log's length when it leaves; the sender, when the ACK arrives, reads the
//! entries up to that point. So SACK information travels with the ACKs that
//! carry it (and is lost with them), without widening every packet.
//! Simplification: an ACK reports every range received out of order since
//! the last one it could; real SACK options carry at most three or four
//! blocks, repeated over several ACKs.

/// Linux acknowledges at least every second full-sized segment (RFC 5681
/// §4.2), and at once when a segment arrives out of order or fills a hole.
pub const ACK_EVERY_SEGMENTS: u32 = 2;

#[derive(Clone, Debug, Default)]
pub struct Receiver {
    pub rcv_nxt: u64,
    /// Out-of-order data held: sorted, disjoint `[start, end)` intervals.
    pub out_of_order: Vec<(u64, u64)>,
    /// Every range received out of order, in arrival order (the SACK log).
    pub sack_log: Vec<(u64, u64)>,
    /// Where the peer's FIN sits, once seen (it may arrive out of order).
    pub peer_fin_at: Option<u64>,
    pub fin_received: bool,
    /// An ACK is owed and goes out with the next packet.
    pub ack_pending: bool,
    /// An ACK is owed *now* (out of order, second segment, FIN…).
    pub ack_now: bool,
    /// Full segments received since the last ACK (delayed ACK counts two).
    pub segments_unacked: u32,
    pub delayed_ack: bool,
    /// RFC 7323 §4.3 TS.Recent: the packet (its trace index) whose send time
    /// the next ACK echoes; [`NO_ECHO`] before any.
    pub ts_recent: u32,
    /// The acknowledgment number last sent (Last.ACK.sent).
    last_ack_sent: u64,
}

/// No timestamp to echo yet.
pub const NO_ECHO: u32 = u32::MAX;

impl Receiver {
    pub fn new(delayed_ack: bool) -> Self {
        Receiver { delayed_ack, ts_recent: NO_ECHO, ..Receiver::default() }
    }

    /// RFC 7323 §4.3: a segment that starts at or before the last
    /// acknowledgment sent updates the timestamp to echo (so a delayed ACK
    /// echoes the first of its segments, and an out-of-order one none).
    pub fn on_timestamp(&mut self, seq: u64, packet: u32) {
        if seq <= self.last_ack_sent {
            self.ts_recent = packet;
        }
    }

    /// The acknowledgment number we send: next byte expected, plus one for
    /// a received FIN.
    pub fn ack_number(&self) -> u64 {
        self.rcv_nxt + self.fin_received as u64
    }

    /// How far the SACK log goes, for the next ACK to carry.
    pub fn sack_position(&self) -> u32 {
        self.sack_log.len() as u32
    }

    /// Accepts the payload `[seq, seq+len)`; returns the old and new
    /// `rcv_nxt` (equal when nothing new is in order).
    pub fn on_data(&mut self, seq: u64, len: u64) -> (u64, u64) {
        let before = self.rcv_nxt;
        let end = seq + len;
        if len == 0 {
            return (before, before);
        }
        if end <= self.rcv_nxt {
            self.ack_now = true; // old duplicate: re-ACK
            return (before, before);
        }
        if seq > self.rcv_nxt {
            insert_interval(&mut self.out_of_order, seq, end);
            self.sack_log.push((seq, end));
            self.ack_now = true; // RFC 5681 §4.2: immediate duplicate ACK
            return (before, before);
        }
        self.rcv_nxt = end;
        let filled_hole = !self.out_of_order.is_empty();
        while let Some(&(s, e)) = self.out_of_order.first() {
            if s > self.rcv_nxt {
                break;
            }
            self.rcv_nxt = self.rcv_nxt.max(e);
            self.out_of_order.remove(0);
        }
        self.ack_pending = true;
        if filled_hole || !self.delayed_ack {
            self.ack_now = true;
        } else {
            // RFC 5681 §4.2: ACK at least every second full-sized segment.
            self.segments_unacked += 1;
            if self.segments_unacked >= ACK_EVERY_SEGMENTS {
                self.ack_now = true;
            }
        }
        (before, self.rcv_nxt)
    }

    /// Bytes that arrived but wait behind a hole (held out of order).
    pub fn held_bytes(&self) -> u64 {
        self.out_of_order.iter().map(|(s, e)| e - s).sum()
    }

    /// Has the peer's FIN become in-order? Marks it received once.
    pub fn take_fin(&mut self) -> bool {
        if !self.fin_received && self.peer_fin_at == Some(self.rcv_nxt) {
            self.fin_received = true;
            self.ack_pending = true;
            self.ack_now = true;
            return true;
        }
        false
    }

    /// An ACK went out (alone or on data).
    pub fn ack_sent(&mut self) {
        self.last_ack_sent = self.ack_number();
        self.ack_pending = false;
        self.ack_now = false;
        self.segments_unacked = 0;
    }
}

// A new Vec per out-of-order segment (about 0.5 % of a lossy run's
// instructions natively): merging in place cost 354 bytes of the first
// load's gzipped wasm, which its budget does not have.
fn insert_interval(list: &mut Vec<(u64, u64)>, start: u64, end: u64) {
    let pos = list.partition_point(|&(s, _)| s < start);
    list.insert(pos, (start, end));
    // Merge neighbours that touch or overlap.
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(list.len());
    for &(s, e) in list.iter() {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *list = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSS: u64 = 1000;

    #[test]
    fn a_held_range_joins_the_neighbours_it_touches_or_overlaps() {
        let mut list = vec![(0, 10), (20, 30), (40, 50)];
        insert_interval(&mut list, 10, 20);
        assert_eq!(list, vec![(0, 30), (40, 50)], "touching on both sides");
        insert_interval(&mut list, 25, 45);
        assert_eq!(list, vec![(0, 50)], "overlapping two");
        insert_interval(&mut list, 60, 70);
        insert_interval(&mut list, 55, 58);
        assert_eq!(list, vec![(0, 50), (55, 58), (60, 70)], "apart: kept in order");
        insert_interval(&mut list, 52, 80);
        assert_eq!(list, vec![(0, 50), (52, 80)], "covering those after it");
    }

    #[test]
    fn in_order_data_advances_and_fills_holes() {
        let mut r = Receiver::new(false);
        assert_eq!(r.on_data(0, MSS), (0, MSS));
        assert_eq!(r.on_data(2 * MSS, MSS), (MSS, MSS), "out of order is held");
        assert!(r.ack_now, "a gap triggers an immediate duplicate ACK");
        assert_eq!(r.sack_log, vec![(2 * MSS, 3 * MSS)], "and is logged for SACK");
        assert_eq!(r.held_bytes(), MSS);
        r.ack_sent();
        assert_eq!(r.on_data(MSS, MSS), (MSS, 3 * MSS), "the hole fills and the held data joins");
        assert!(r.out_of_order.is_empty());
    }

    #[test]
    fn delayed_ack_waits_for_the_second_segment() {
        let mut r = Receiver::new(true);
        r.on_data(0, MSS);
        assert!(r.ack_pending && !r.ack_now);
        r.on_data(MSS, MSS);
        assert!(r.ack_now);
    }

    #[test]
    fn fin_counts_once_it_is_in_order() {
        let mut r = Receiver::new(false);
        r.peer_fin_at = Some(2 * MSS);
        r.on_data(MSS, MSS);
        assert!(!r.take_fin());
        r.on_data(0, MSS);
        assert!(r.take_fin());
        assert_eq!(r.ack_number(), 2 * MSS + 1);
    }

    #[test]
    fn intervals_merge() {
        let mut v = vec![];
        insert_interval(&mut v, 10, 20);
        insert_interval(&mut v, 30, 40);
        insert_interval(&mut v, 20, 30);
        assert_eq!(v, vec![(10, 40)]);
    }
}
