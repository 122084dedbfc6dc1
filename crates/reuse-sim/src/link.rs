//! The network: one bottleneck link per direction.
//!
//! A packet waits for the link to be free (FIFO, shared by all connections:
//! parallel connections compete for bandwidth), is serialized at the link's
//! rate, then propagates for `rtt/2`. Loss is drawn per packet from the
//! seeded xoshiro256++ stream; a lost packet still uses the link (it is lost
//! beyond the bottleneck, as on a lossy radio hop).

use std::collections::VecDeque;

use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::time::{SimDuration, SimTime};

#[derive(Clone, Debug)]
pub struct Link {
    /// Bits per second; `None` = infinite (no serialization time).
    rate_bps: Option<u64>,
    propagation: SimDuration,
    busy_until: SimTime,
    /// Drop-tail buffer size in packets (`None` = unlimited).
    queue_limit: Option<u32>,
    /// Departure times of packets in the buffer (including the one on the wire).
    in_queue: VecDeque<SimTime>,
}

/// When a packet handed to the link at `queued_at` starts to leave, has
/// left, and arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transit {
    pub sent: SimTime,
    pub departed: SimTime,
    pub arrives: SimTime,
}

impl Link {
    pub fn new(rate_mbps: Option<f64>, propagation: SimDuration) -> Self {
        Link {
            rate_bps: rate_mbps.map(|m| ((m * 1_000_000.0).round() as u64).max(1)),
            propagation,
            busy_until: SimTime::ZERO,
            queue_limit: None,
            in_queue: VecDeque::new(),
        }
    }

    /// The one-way propagation delay.
    pub fn propagation(&self) -> SimDuration {
        self.propagation
    }

    /// A drop-tail buffer of `packets` in front of the link.
    pub fn with_queue_limit(mut self, packets: Option<u32>) -> Self {
        self.queue_limit = packets;
        self
    }

    /// Would a packet handed over at `now` find the buffer full?
    pub fn buffer_full(&mut self, now: SimTime) -> bool {
        let Some(limit) = self.queue_limit else { return false };
        while self.in_queue.front().is_some_and(|&t| t <= now) {
            self.in_queue.pop_front();
        }
        self.in_queue.len() >= limit as usize
    }

    /// Time to put `bytes` on the wire, rounded up to the nanosecond.
    pub fn serialization(&self, bytes: u64) -> SimDuration {
        match self.rate_bps {
            None => SimDuration::ZERO,
            // In u64 whenever it fits (any packet does): the same exact
            // value without 128-bit multiply and divide, which wasm lacks
            // (a bound test, as `checked_mul` becomes a 128-bit multiply).
            Some(bps) if bytes <= u64::MAX / BIT_NANOS_PER_BYTE => {
                SimDuration((bytes * BIT_NANOS_PER_BYTE).div_ceil(bps))
            }
            Some(bps) => {
                let bit_nanos = bytes as u128 * BIT_NANOS_PER_BYTE as u128;
                SimDuration(bit_nanos.div_ceil(bps as u128) as u64)
            }
        }
    }

    /// Enqueues a packet of `wire_bytes` at `now`.
    pub fn transmit(&mut self, now: SimTime, wire_bytes: u64) -> Transit {
        let sent = now.max(self.busy_until);
        let departed = sent + self.serialization(wire_bytes);
        self.busy_until = departed;
        if self.queue_limit.is_some() {
            self.in_queue.push_back(departed);
        }
        Transit { sent, departed, arrives: departed + self.propagation }
    }
}

/// Bits per byte times nanoseconds per second.
const BIT_NANOS_PER_BYTE: u64 = 8 * 1_000_000_000;

/// Seeded loss decisions. One draw per packet, in the order packets are
/// sent, so a scenario and seed always lose the same packets; on top, the
/// packets the scenario names (`network.drop_packet_ids`) are always lost.
pub struct Loss {
    rng: Xoshiro256PlusPlus,
    /// A packet is lost when a uniform `u64` draw falls below this.
    threshold: u64,
    /// Packet ids lost on purpose, sorted.
    forced: Vec<u64>,
}

impl Loss {
    pub fn new(seed: u64, rate: f64) -> Self {
        // rate < 1 (validated), so the product fits in u64.
        let threshold = (rate * 18_446_744_073_709_551_616.0) as u64;
        Loss { rng: Xoshiro256PlusPlus::seed_from_u64(seed), threshold, forced: Vec::new() }
    }

    /// Also loses these packet ids, whatever the draw.
    pub fn with_forced(mut self, ids: &[u64]) -> Self {
        // The shared small sort (`crate::order`): another `sort_unstable`
        // would cost the web app's first load 3 KB of wasm.
        let mut pairs: Vec<(u64, u32)> = ids.iter().map(|&id| (id, 0)).collect();
        crate::order::sort_pairs(&mut pairs);
        self.forced = pairs.into_iter().map(|(id, _)| id).collect();
        self
    }

    /// Is packet `id` (the next to reach the wire) lost?
    pub fn drop_next(&mut self, id: u64) -> bool {
        // No draw when there is no loss: the stream stays untouched. A
        // forced loss still draws, so every later packet meets the fate it
        // would have met without it.
        let drawn = self.threshold > 0 && self.rng.next_u64() < self.threshold;
        drawn || (!self.forced.is_empty() && self.forced.binary_search(&id).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_queue_fifo_behind_each_other() {
        // 1 Mbit/s: 1250 bytes take 10 ms.
        let mut link = Link::new(Some(1.0), SimDuration::from_millis(50));
        let a = link.transmit(SimTime::ZERO, 1250);
        let b = link.transmit(SimTime::ZERO, 1250);
        assert_eq!(a.departed, SimTime::ZERO + SimDuration::from_millis(10));
        assert_eq!(b.sent, a.departed);
        assert_eq!(b.arrives, SimTime::ZERO + SimDuration::from_millis(20 + 50));
    }

    #[test]
    fn a_full_buffer_drops_the_next_packet_until_one_departs() {
        // 1 Mbit/s: 1250 bytes take 10 ms; room for two packets.
        let mut link = Link::new(Some(1.0), SimDuration::ZERO).with_queue_limit(Some(2));
        assert!(!link.buffer_full(SimTime::ZERO));
        link.transmit(SimTime::ZERO, 1250);
        assert!(!link.buffer_full(SimTime::ZERO));
        link.transmit(SimTime::ZERO, 1250);
        assert!(link.buffer_full(SimTime::ZERO), "two packets fill a two-packet buffer");
        let first_gone = SimTime::ZERO + SimDuration::from_millis(10);
        assert!(!link.buffer_full(first_gone), "the first packet has left");
    }

    #[test]
    fn infinite_rate_has_no_serialization() {
        let mut link = Link::new(None, SimDuration::from_millis(50));
        let t = link.transmit(SimTime(7), 1_000_000);
        assert_eq!((t.sent, t.departed), (SimTime(7), SimTime(7)));
        assert_eq!(t.arrives, SimTime(7) + SimDuration::from_millis(50));
    }

    #[test]
    fn loss_rate_is_respected_and_seeded() {
        let draws = |seed| {
            let mut loss = Loss::new(seed, 0.1);
            (0..20_000).filter(|&id| loss.drop_next(id)).count()
        };
        let lost = draws(7);
        assert!((1_700..2_300).contains(&lost), "lost {lost} of 20000 at 10%");
        assert_eq!(lost, draws(7));
        let mut none = Loss::new(1, 0.0);
        assert!((0..1000).all(|id| !none.drop_next(id)));
    }

    #[test]
    fn forced_losses_come_on_top_of_the_same_draws() {
        let fates = |forced: &[u64]| {
            let mut loss = Loss::new(3, 0.2).with_forced(forced);
            (0..200).map(|id| loss.drop_next(id)).collect::<Vec<bool>>()
        };
        let plain = fates(&[]);
        let forced = fates(&[150, 7]);
        for id in 0..200 {
            let expected = plain[id] || id == 7 || id == 150;
            assert_eq!(forced[id], expected, "packet {id}");
        }
    }
}
