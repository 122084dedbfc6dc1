//! The discrete-event scheduler: a min-heap keyed by `(time, seq)`.
//!
//! `seq` is a counter, so events scheduled for the same instant run in the
//! order they were scheduled, on every platform. Timers are ordinary events
//! that can be cancelled through the [`TimerHandle`] returned when they were
//! scheduled (a tombstone bit, checked when the event is popped).
//!
//! The heap holds small keys; event payloads wait in a slab, so sifting
//! moves little memory whatever the event type's size. Events that are
//! known to be scheduled in time order (packet arrivals over one FIFO link)
//! can bypass the heap through an in-order *lane*: a plain queue merged with
//! the heap by the same `(time, seq)` key, so the order is exactly as if
//! they had gone through the heap.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use crate::time::{SimDuration, SimTime};

/// Never a real key: sequence numbers do not reach `u64::MAX`.
const EMPTY_LANE: u128 = u128::MAX;

/// Identifies a scheduled event so it can be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerHandle(u64);

/// Heap key: time in the high 64 bits, sequence in the low 64, so one
/// integer comparison orders by `(time, seq)`.
#[derive(PartialEq, Eq)]
struct Entry {
    key: u128,
    slot: u32,
}

impl Entry {
    fn seq(&self) -> u64 {
        self.key as u64
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    // Reversed: BinaryHeap is a max-heap, we want the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// `LANES` in-order lanes (see [`Scheduler::in_lane`]) besides the heap.
pub struct Scheduler<E, const LANES: usize = 0> {
    now: SimTime,
    next_seq: u64,
    heap: BinaryHeap<Entry>,
    lanes: [VecDeque<(u128, E)>; LANES],
    /// Key of each lane's first event ([`EMPTY_LANE`] when it has none), so
    /// choosing the next event reads two integers per lane, not its queue.
    lane_fronts: [u128; LANES],
    slab: Vec<Option<E>>,
    free_slots: Vec<u32>,
    /// One bit per sequence number: set when that event is cancelled.
    cancelled: Vec<u64>,
    processed: u64,
}

impl<E, const LANES: usize> Default for Scheduler<E, LANES> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E, const LANES: usize> Scheduler<E, LANES> {
    pub fn new() -> Self {
        Scheduler {
            now: SimTime::ZERO,
            next_seq: 0,
            heap: BinaryHeap::with_capacity(256),
            lanes: std::array::from_fn(|_| VecDeque::with_capacity(256)),
            lane_fronts: [EMPTY_LANE; LANES],
            slab: Vec::with_capacity(256),
            free_slots: Vec::new(),
            cancelled: Vec::new(),
            processed: 0,
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Events popped so far (cancelled ones excluded).
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Schedules `event` at `time` (never earlier than now).
    pub fn at(&mut self, time: SimTime, event: E) -> TimerHandle {
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free_slots.pop() {
            Some(slot) => {
                self.slab.as_mut_slice()[slot as usize] = Some(event);
                slot
            }
            None => {
                self.slab.push(Some(event));
                (self.slab.len() - 1) as u32
            }
        };
        self.heap.push(Entry { key: ((time.max(self.now).0 as u128) << 64) | seq as u128, slot });
        TimerHandle(seq)
    }

    /// Schedules `event` after `delay`.
    #[inline(always)]
    pub fn after(&mut self, delay: SimDuration, event: E) -> TimerHandle {
        self.at(self.now + delay, event)
    }

    /// Cancels a scheduled event; cancelling one that already ran is harmless.
    pub fn cancel(&mut self, handle: TimerHandle) {
        let (word, bit) = ((handle.0 / 64) as usize, handle.0 % 64);
        if self.cancelled.len() <= word {
            self.cancelled.resize(word + 1, 0);
        }
        self.cancelled[word] |= 1 << bit;
    }

    fn is_cancelled(&self, seq: u64) -> bool {
        let (word, bit) = ((seq / 64) as usize, seq % 64);
        self.cancelled.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }

    /// Schedules an event on an in-order lane: its time must not be earlier
    /// than the last event put on the same lane. Lane events cannot be
    /// cancelled.
    pub fn in_lane(&mut self, lane: usize, time: SimTime, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let key = ((time.max(self.now).0 as u128) << 64) | seq as u128;
        let queue = &mut self.lanes[lane];
        debug_assert!(queue.back().is_none_or(|(k, _)| *k <= key), "lane {lane} out of order");
        if queue.is_empty() {
            self.lane_fronts[lane] = key;
        }
        queue.push_back((key, event));
    }

    /// Drops cancelled entries from the top of the heap.
    fn skip_cancelled(&mut self) {
        while let Some(top) = self.heap.peek() {
            if !self.is_cancelled(top.seq()) {
                break;
            }
            let slot = top.slot;
            self.heap.pop();
            self.release(slot);
        }
    }

    /// Where the next event is: `None` = heap, `Some(i)` = lane `i`.
    fn next_source(&mut self) -> Option<(u128, Option<usize>)> {
        self.skip_cancelled();
        let mut best = self.heap.peek().map(|e| (e.key, None));
        for (i, &key) in self.lane_fronts.iter().enumerate() {
            if key != EMPTY_LANE && best.is_none_or(|(k, _)| key < k) {
                best = Some((key, Some(i)));
            }
        }
        best
    }

    /// The time of the next live event, if any.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.next_source().map(|(key, _)| SimTime((key >> 64) as u64))
    }

    /// Pops the next live event and advances the clock to it.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let (key, source) = self.next_source()?;
        let time = SimTime((key >> 64) as u64);
        let event = match source {
            Some(lane) => {
                let queue = &mut self.lanes[lane];
                let event = queue.pop_front().map(|(_, e)| e);
                self.lane_fronts[lane] = queue.front().map_or(EMPTY_LANE, |&(k, _)| k);
                event
            }
            None => {
                let entry = self.heap.pop()?;
                self.release(entry.slot)
            }
        };
        debug_assert!(time >= self.now);
        self.now = time;
        self.processed += 1;
        event.map(|e| (time, e))
    }

    #[inline(always)]
    fn release(&mut self, slot: u32) -> Option<E> {
        self.free_slots.push(slot);
        self.slab.as_mut_slice()[slot as usize].take()
    }

    pub fn is_empty(&mut self) -> bool {
        self.peek_time().is_none()
    }
}

/// A timer that is restarted far more often than it fires (TCP's
/// retransmission timer moves on every ACK). Moving the deadline costs no
/// heap operation: at most one event is pending, and when it fires early it
/// is re-armed for the current deadline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LazyTimer {
    deadline: Option<SimTime>,
    event_at: Option<SimTime>,
}

/// What to do when a [`LazyTimer`]'s event pops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerFire {
    /// The deadline has come: act.
    Fire,
    /// The deadline moved later: schedule again at this time.
    Reschedule(SimTime),
    /// Stopped, or a stale event: nothing to do.
    Ignore,
}

impl LazyTimer {
    pub fn deadline(&self) -> Option<SimTime> {
        self.deadline
    }

    /// Sets the deadline; returns a time to schedule an event at when none
    /// pending would fire by then.
    #[must_use]
    #[inline(always)]
    pub fn set(&mut self, deadline: SimTime) -> Option<SimTime> {
        self.deadline = Some(deadline);
        match self.event_at {
            Some(t) if t <= deadline => None,
            _ => {
                self.event_at = Some(deadline);
                Some(deadline)
            }
        }
    }

    pub fn stop(&mut self) {
        self.deadline = None;
    }

    /// Called when an event scheduled for this timer pops at `now`.
    #[inline(always)]
    pub fn fire(&mut self, now: SimTime) -> TimerFire {
        if self.event_at != Some(now) {
            return TimerFire::Ignore;
        }
        self.event_at = None;
        match self.deadline {
            None => TimerFire::Ignore,
            Some(d) if d > now => {
                self.event_at = Some(d);
                TimerFire::Reschedule(d)
            }
            Some(_) => {
                self.deadline = None;
                TimerFire::Fire
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_timer_fires_once_at_its_latest_deadline() {
        let mut timer = LazyTimer::default();
        assert_eq!(timer.set(SimTime(100)), Some(SimTime(100)));
        assert_eq!(timer.set(SimTime(150)), None, "a later deadline reuses the pending event");
        assert_eq!(timer.fire(SimTime(100)), TimerFire::Reschedule(SimTime(150)));
        assert_eq!(timer.fire(SimTime(150)), TimerFire::Fire);
        assert_eq!(timer.fire(SimTime(150)), TimerFire::Ignore);
    }

    #[test]
    fn lazy_timer_moved_earlier_schedules_anew_and_ignores_the_stale_event() {
        let mut timer = LazyTimer::default();
        let _ = timer.set(SimTime(300));
        assert_eq!(timer.set(SimTime(200)), Some(SimTime(200)));
        assert_eq!(timer.fire(SimTime(200)), TimerFire::Fire);
        assert_eq!(timer.fire(SimTime(300)), TimerFire::Ignore);
        let _ = timer.set(SimTime(400));
        timer.stop();
        assert_eq!(timer.fire(SimTime(400)), TimerFire::Ignore);
    }

    #[test]
    fn equal_time_events_run_in_the_order_scheduled() {
        let mut s: Scheduler<_> = Scheduler::new();
        s.at(SimTime(10), 'b');
        s.at(SimTime(5), 'a');
        s.at(SimTime(10), 'c');
        s.at(SimTime(10), 'd');
        let order: Vec<char> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['a', 'b', 'c', 'd']);
    }

    #[test]
    fn cancelled_timers_never_fire_and_do_not_advance_the_clock() {
        let mut s: Scheduler<_> = Scheduler::new();
        let t = s.at(SimTime(100), "timeout");
        s.at(SimTime(50), "ack");
        s.cancel(t);
        assert_eq!(s.pop(), Some((SimTime(50), "ack")));
        assert_eq!(s.pop(), None);
        assert_eq!(s.now(), SimTime(50));
        assert_eq!(s.processed(), 1);
    }

    #[test]
    fn lanes_merge_with_the_heap_in_scheduling_order() {
        let mut s: Scheduler<_, 2> = Scheduler::new();
        s.in_lane(0, SimTime(10), "lane0@10");
        s.at(SimTime(10), "heap@10");
        s.in_lane(1, SimTime(5), "lane1@5");
        s.in_lane(0, SimTime(10), "lane0@10b");
        s.at(SimTime(7), "heap@7");
        let order: Vec<&str> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!["lane1@5", "heap@7", "lane0@10", "heap@10", "lane0@10b"]);
    }

    #[test]
    fn scheduling_in_the_past_runs_now() {
        let mut s: Scheduler<_> = Scheduler::new();
        s.at(SimTime(20), 1);
        s.pop();
        s.at(SimTime(10), 2);
        assert_eq!(s.pop(), Some((SimTime(20), 2)));
    }
}
