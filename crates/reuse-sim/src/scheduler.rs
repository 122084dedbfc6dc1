//! The discrete-event scheduler: a min-heap keyed by `(time, seq)`.
//!
//! `seq` is a counter, so events scheduled for the same instant run in the
//! order they were scheduled, on every platform. Timers are ordinary events
//! that can be cancelled through the [`TimerHandle`] returned when they were
//! scheduled (a tombstone bit, checked when the event is popped).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::{SimDuration, SimTime};

/// Identifies a scheduled event so it can be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerHandle(u64);

struct Entry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed: BinaryHeap is a max-heap, we want the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

pub struct Scheduler<E> {
    now: SimTime,
    next_seq: u64,
    heap: BinaryHeap<Entry<E>>,
    /// One bit per sequence number: set when that event is cancelled.
    cancelled: Vec<u64>,
    processed: u64,
}

impl<E> Default for Scheduler<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Scheduler<E> {
    pub fn new() -> Self {
        Scheduler { now: SimTime::ZERO, next_seq: 0, heap: BinaryHeap::new(), cancelled: Vec::new(), processed: 0 }
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
        self.heap.push(Entry { time: time.max(self.now), seq, event });
        TimerHandle(seq)
    }

    /// Schedules `event` after `delay`.
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

    /// The time of the next live event, if any.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        while let Some(top) = self.heap.peek() {
            if self.is_cancelled(top.seq) {
                self.heap.pop();
            } else {
                return Some(top.time);
            }
        }
        None
    }

    /// Pops the next live event and advances the clock to it.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        while let Some(entry) = self.heap.pop() {
            if self.is_cancelled(entry.seq) {
                continue;
            }
            debug_assert!(entry.time >= self.now);
            self.now = entry.time;
            self.processed += 1;
            return Some((entry.time, entry.event));
        }
        None
    }

    pub fn is_empty(&mut self) -> bool {
        self.peek_time().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_time_events_run_in_the_order_scheduled() {
        let mut s = Scheduler::new();
        s.at(SimTime(10), 'b');
        s.at(SimTime(5), 'a');
        s.at(SimTime(10), 'c');
        s.at(SimTime(10), 'd');
        let order: Vec<char> = std::iter::from_fn(|| s.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['a', 'b', 'c', 'd']);
    }

    #[test]
    fn cancelled_timers_never_fire_and_do_not_advance_the_clock() {
        let mut s = Scheduler::new();
        let t = s.at(SimTime(100), "timeout");
        s.at(SimTime(50), "ack");
        s.cancel(t);
        assert_eq!(s.pop(), Some((SimTime(50), "ack")));
        assert_eq!(s.pop(), None);
        assert_eq!(s.now(), SimTime(50));
        assert_eq!(s.processed(), 1);
    }

    #[test]
    fn scheduling_in_the_past_runs_now() {
        let mut s = Scheduler::new();
        s.at(SimTime(20), 1);
        s.pop();
        s.at(SimTime(10), 2);
        assert_eq!(s.pop(), Some((SimTime(20), 2)));
    }
}
