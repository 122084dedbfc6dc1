//! The receiving side of one packet-number space: which packet numbers
//! arrived, and when an acknowledgment is owed (RFC 9000 §13.2).
//!
//! - Initial and Handshake packets are acknowledged at once (§13.2.1).
//! - 1-RTT (and 0-RTT) packets: after the second ack-eliciting packet, or
//!   `max_ack_delay` after the first (§13.2.1–13.2.2); at once when one
//!   arrives out of order, so the sender learns of a gap quickly.
//! - Only ack-eliciting packets make an acknowledgment owed; any packet
//!   sent in the space carries the ACK frame when one is owed.

use crate::time::{SimDuration, SimTime};
use crate::trace::SmallList;

use super::wire::MAX_ACK_RANGES;

/// RFC 9000 §13.2.2: acknowledge at least every second ack-eliciting packet.
pub const ACK_ELICITING_THRESHOLD: u32 = 2;

#[derive(Clone, Debug, Default)]
pub(crate) struct Received {
    /// Inclusive `[smallest, largest]` ranges, ascending, merged.
    ranges: Vec<(u64, u64)>,
    /// When the largest packet number arrived (for the ACK delay).
    largest_at: SimTime,
    largest_ack_eliciting: Option<u64>,
    unacked_ack_eliciting: u32,
    /// An acknowledgment is owed.
    pub ack_pending: bool,
    /// … and should leave now.
    pub ack_now: bool,
    /// … or at this time, at the latest.
    pub ack_deadline: Option<SimTime>,
}

impl Received {
    pub fn largest(&self) -> Option<u64> {
        self.ranges.last().map(|&(_, hi)| hi)
    }

    /// Records packet `pn`. Returns false for a duplicate (whose frames the
    /// caller ignores). `immediate`: Initial or Handshake space.
    pub fn on_packet(
        &mut self,
        pn: u64,
        ack_eliciting: bool,
        now: SimTime,
        immediate: bool,
        max_ack_delay: SimDuration,
    ) -> bool {
        if self.ranges.iter().any(|&(lo, hi)| lo <= pn && pn <= hi) {
            return false;
        }
        let largest = self.largest();
        // A gap below it, or arriving below the largest: out of order.
        let out_of_order = match largest {
            Some(l) => pn < l || pn > l + 1,
            None => pn > 0,
        } && ack_eliciting;
        if largest.is_none_or(|l| pn > l) {
            self.largest_at = now;
        }
        self.insert(pn);
        if !ack_eliciting {
            return true;
        }
        let reordered = self.largest_ack_eliciting.is_some_and(|l| pn < l);
        self.largest_ack_eliciting = Some(self.largest_ack_eliciting.map_or(pn, |l| l.max(pn)));
        self.unacked_ack_eliciting += 1;
        self.ack_pending = true;
        if immediate || out_of_order || reordered || self.unacked_ack_eliciting >= ACK_ELICITING_THRESHOLD {
            self.ack_now = true;
        } else if self.ack_deadline.is_none() {
            self.ack_deadline = Some(now + max_ack_delay);
        }
        true
    }

    fn insert(&mut self, pn: u64) {
        let v = &mut self.ranges;
        let i = v.partition_point(|&(_, hi)| hi + 1 < pn);
        if i < v.len() && v[i].0 <= pn + 1 {
            v[i].0 = v[i].0.min(pn);
            v[i].1 = v[i].1.max(pn);
            if i + 1 < v.len() && v[i + 1].0 <= v[i].1 + 1 {
                v[i].1 = v[i + 1].1;
                v.remove(i + 1);
            }
        } else {
            v.insert(i, (pn, pn));
        }
        if v.len() > MAX_ACK_RANGES {
            v.remove(0);
        }
    }

    /// The ACK frame to send now: ranges largest first, and the delay
    /// since the largest arrived.
    pub fn ack_frame(&self, now: SimTime) -> Option<(SmallList<(u64, u64), 2>, SimDuration)> {
        if self.ranges.is_empty() {
            return None;
        }
        Some((self.ranges.iter().rev().copied().collect(), now.since(self.largest_at)))
    }

    /// The bytes of the ACK frame [`ack_frame`](Self::ack_frame) would give.
    pub fn ack_frame_bytes(&self, now: SimTime) -> Option<u64> {
        let delay_units = now.since(self.largest_at).0 / 8_000;
        let (mut previous_lo, largest) = *self.ranges.last()?;
        let v = |x: u64| super::wire::varint_len(x) as u64;
        let mut bytes =
            1 + v(largest) + v(delay_units) + v(self.ranges.len() as u64 - 1) + v(largest - previous_lo);
        for &(lo, hi) in self.ranges.iter().rev().skip(1) {
            bytes += v(previous_lo - hi - 2) + v(hi - lo);
            previous_lo = lo;
        }
        Some(bytes)
    }

    /// An ACK frame left: nothing is owed any more.
    pub fn on_ack_sent(&mut self) {
        self.ack_pending = false;
        self.ack_now = false;
        self.ack_deadline = None;
        self.unacked_ack_eliciting = 0;
    }

    /// The delayed-ACK deadline passed.
    pub fn on_ack_timer(&mut self) {
        if self.ack_pending {
            self.ack_now = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DELAY: SimDuration = SimDuration::from_millis(25);

    #[test]
    fn one_rtt_packets_are_acknowledged_every_second_one_or_after_the_delay() {
        let mut r = Received::default();
        r.on_packet(0, true, SimTime::ZERO, false, DELAY);
        assert!(r.ack_pending && !r.ack_now);
        assert_eq!(r.ack_deadline, Some(SimTime::ZERO + DELAY));
        r.on_packet(1, true, SimTime::ZERO, false, DELAY);
        assert!(r.ack_now, "the second ack-eliciting packet");
        r.on_ack_sent();
        r.on_packet(2, false, SimTime::ZERO, false, DELAY);
        assert!(!r.ack_pending, "an ACK-only packet owes nothing");
    }

    #[test]
    fn handshake_packets_and_gaps_are_acknowledged_at_once() {
        let mut r = Received::default();
        r.on_packet(0, true, SimTime::ZERO, true, DELAY);
        assert!(r.ack_now);
        let mut r = Received::default();
        r.on_packet(0, true, SimTime::ZERO, false, DELAY);
        r.on_ack_sent();
        r.on_packet(2, true, SimTime::ZERO, false, DELAY);
        assert!(r.ack_now, "packet 1 is missing");
    }

    #[test]
    fn ranges_merge_and_the_frame_lists_them_largest_first() {
        let mut r = Received::default();
        for pn in [0, 1, 2, 5, 6, 4] {
            r.on_packet(pn, true, SimTime::ZERO, false, DELAY);
        }
        let (ranges, delay) = r.ack_frame(SimTime::ZERO).unwrap();
        assert_eq!(*ranges, [(4, 6), (0, 2)]);
        let bytes = r.ack_frame_bytes(SimTime::ZERO).unwrap();
        assert_eq!(bytes, super::super::wire::ack_frame_bytes(&ranges, delay) as u64);
        r.on_packet(3, true, SimTime::ZERO, false, DELAY);
        assert_eq!(*r.ack_frame(SimTime::ZERO).unwrap().0, [(0, 6)]);
        assert!(!r.on_packet(3, true, SimTime::ZERO, false, DELAY), "a duplicate");
    }
}
