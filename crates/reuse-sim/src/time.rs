//! Simulated time: integer nanoseconds in newtypes, so that arithmetic is exact
//! and identical on every platform (no floating point on the clock).

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in simulated time, nanoseconds after time zero (the moment the
/// first request becomes ready).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A span of simulated time in nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

const NANOS_PER_MS: u64 = 1_000_000;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);

    /// Milliseconds as a float, for results and display only.
    pub fn as_ms(self) -> f64 {
        self.0 as f64 / NANOS_PER_MS as f64
    }

    /// Time elapsed since `earlier`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);
    /// Larger than any simulated run can reach; used as "infinite".
    pub const MAX: SimDuration = SimDuration(u64::MAX / 4);

    pub const fn from_millis(ms: u64) -> Self {
        SimDuration(ms * NANOS_PER_MS)
    }

    pub const fn from_micros(us: u64) -> Self {
        SimDuration(us * 1_000)
    }

    /// Converts a validated, finite, non-negative millisecond value, rounding
    /// to the nearest nanosecond.
    pub fn from_ms_f64(ms: f64) -> Self {
        debug_assert!(ms.is_finite() && ms >= 0.0);
        SimDuration((ms * NANOS_PER_MS as f64).round() as u64)
    }

    pub fn as_ms(self) -> f64 {
        self.0 as f64 / NANOS_PER_MS as f64
    }

    pub fn saturating_mul(self, k: u64) -> Self {
        SimDuration(self.0.saturating_mul(k))
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 = self.0.saturating_add(d.0);
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(d.0))
    }
}

impl Sub for SimDuration {
    type Output = SimDuration;
    fn sub(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(d.0))
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    fn sub(self, earlier: SimTime) -> SimDuration {
        self.since(earlier)
    }
}

/// Serialized as milliseconds (a float): field names carry the `_ms` unit.
impl serde::Serialize for SimTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_ms())
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} ms", self.as_ms())
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.as_ms();
        if ms.fract() == 0.0 {
            write!(f, "{ms:.0} ms")
        } else {
            write!(f, "{ms:.3} ms")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millisecond_round_trip_is_exact_for_whole_and_fractional_values() {
        assert_eq!(SimDuration::from_ms_f64(100.0), SimDuration::from_millis(100));
        assert_eq!(SimDuration::from_ms_f64(0.5).0, 500_000);
        assert_eq!(SimDuration::from_millis(250).as_ms(), 250.0);
    }

    #[test]
    fn time_arithmetic_saturates_instead_of_wrapping() {
        assert_eq!(SimTime(5).since(SimTime(9)), SimDuration::ZERO);
        assert_eq!(SimTime(u64::MAX) + SimDuration(10), SimTime(u64::MAX));
    }
}
