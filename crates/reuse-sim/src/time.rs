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

/// One way to write a time everywhere: milliseconds to the microsecond,
/// without trailing zeros (`5350 ms`, `10516.523 ms`, `0.064 ms`).
fn write_ms(f: &mut fmt::Formatter<'_>, ms: f64) -> fmt::Result {
    let text = fixed(ms, 3);
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    write!(f, "{text} ms")
}

/// Serialized as milliseconds, like [`SimTime`].
impl serde::Serialize for SimDuration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_ms())
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ms(f, self.as_ms())
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_ms(f, self.as_ms())
    }
}

/// `v` with exactly `decimals` digits after the point (at most 9), rounded
/// half to even like `format!("{v:.N}")`, for the finite values this crate
/// and the app show (up to about 1.8e10 at 9 decimals; larger ones
/// saturate).
///
/// Why not `format!`: precision formatting pulls core's exact float
/// printing (Grisu and Dragon4, ~10 KB) into the web app's first load; this
/// is a few hundred bytes.
pub fn fixed(v: f64, decimals: u32) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "NaN"
        } else if v > 0.0 {
            "inf"
        } else {
            "-inf"
        }
        .to_string();
    }
    let decimals = decimals.min(9);
    let scale = 10u64.pow(decimals);
    let (x, err) = two_product(v.abs(), scale as f64);
    let mut n = x.round();
    if (n - x).abs() == 0.5 {
        // The rounded product sits on a tie; the exact product (x + err)
        // says which way it really lies, and a true tie goes to even.
        let down = n - (n - x).signum() * 0.5 - 0.5;
        n = if err > 0.0 {
            down + 1.0
        } else if err < 0.0 || down % 2.0 == 0.0 {
            down
        } else {
            down + 1.0
        };
    }
    let n = n as u64;
    let mut out = String::new();
    if v < 0.0 && n != 0 {
        out.push('-');
    }
    out.push_str(&(n / scale).to_string());
    if decimals > 0 {
        let frac = (n % scale).to_string();
        out.push('.');
        out.extend(std::iter::repeat_n('0', decimals as usize - frac.len()));
        out.push_str(&frac);
    }
    out
}

/// `v` for a message or a form field: plain decimals with up to nine
/// fractional digits (`0.5`, `1200`, `0.000001`), scientific beyond
/// (`2.5e12`, `1e-12`). Like `{}` for the values people type, without
/// pulling core's float printing into the web app (see [`fixed`]).
pub fn decimal(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() || a == 0.0 || (1e-9..1e9).contains(&a) {
        let text = fixed(v, 9);
        if !text.contains('.') {
            return text;
        }
        return text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let exp = a.log10().floor() as i32;
    let mantissa = v / 10f64.powi(exp);
    // log10 can land one off at exact powers of ten.
    let (mantissa, exp) = if mantissa.abs() >= 10.0 { (mantissa / 10.0, exp + 1) } else { (mantissa, exp) };
    format!("{}e{exp}", decimal(mantissa))
}

/// Reads a decimal number as people type it in a form or a link: an
/// optional sign, digits, an optional fraction (`.` or `,`) and an optional
/// exponent (`1e3`). `None` for anything else, or for a number with more
/// significant digits or a larger exponent than the exact path below takes.
///
/// Why not `str::parse::<f64>`: its general algorithm carries a 10 KB table
/// of powers of five into the web app. Numbers of at most 15 significant
/// digits with a decimal exponent within ±22 are exact here, by Clinger's
/// fast path (both the digits and the power of ten are exact doubles, so a
/// single correctly rounded multiply or divide gives the correctly rounded
/// result; `std` takes the same path for them). A test compares the two.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let bytes = text.trim().as_bytes();
    let (negative, mut i) = match bytes.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut digits: u64 = 0;
    let mut significant = 0u32;
    let mut exponent: i32 = 0;
    let mut seen_digit = false;
    let mut in_fraction = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'0'..=b'9' => {
                seen_digit = true;
                if digits == 0 && b == b'0' {
                    // Leading zeros are not significant.
                } else {
                    significant += 1;
                    if significant > 15 {
                        return None;
                    }
                    digits = digits * 10 + (b - b'0') as u64;
                }
                if in_fraction {
                    exponent -= 1;
                }
            }
            b'.' | b',' if !in_fraction => in_fraction = true,
            b'e' | b'E' if seen_digit => break,
            _ => return None,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        let (sign, start) = match bytes.get(i) {
            Some(b'-') => (-1, i + 1),
            Some(b'+') => (1, i + 1),
            _ => (1, i),
        };
        let rest = bytes.get(start..).filter(|r| !r.is_empty() && r.len() <= 3)?;
        let mut e: i32 = 0;
        for &b in rest {
            if !b.is_ascii_digit() {
                return None;
            }
            e = e * 10 + (b - b'0') as i32;
        }
        exponent += sign * e;
    }
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
        1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let m = digits as f64; // exact: at most 15 digits < 2^53
    let v = if digits == 0 {
        0.0
    } else if (0..=22).contains(&exponent) {
        m * POWERS[exponent as usize]
    } else if (-22..0).contains(&exponent) {
        m / POWERS[(-exponent) as usize]
    } else {
        return None;
    };
    Some(if negative { -v } else { v })
}

/// `a * b` as the rounded product and its exact error (Dekker's
/// two-product with Veltkamp splitting; no fused multiply-add needed).
fn two_product(a: f64, b: f64) -> (f64, f64) {
    fn split(a: f64) -> (f64, f64) {
        let c = 134_217_729.0 * a; // 2^27 + 1
        let hi = c - (c - a);
        (hi, a - hi)
    }
    let p = a * b;
    let ((ah, al), (bh, bl)) = (split(a), split(b));
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

#[cfg(test)]
mod tests {
    use super::parse_decimal;

    #[test]
    fn parse_decimal_agrees_with_std_on_what_people_type() {
        for text in
            ["0", "100", "12.5", "12,5", "0.02", "-3", "+7", "1e3", "2.5E-2", "007", "0.000001", ".5", "5."]
        {
            let std: f64 = text.replace(',', ".").parse().expect(text);
            assert_eq!(parse_decimal(text), Some(std), "{text}");
        }
        // A deterministic spread of decimals up to 15 significant digits.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = x % 1_000_000_000_000_000;
            let places = (x >> 50) % 16;
            let int = digits / 10u64.pow(places as u32);
            let frac = digits % 10u64.pow(places as u32);
            let text = if places == 0 {
                int.to_string()
            } else {
                format!("{int}.{frac:0width$}", width = places as usize)
            };
            let std: f64 = text.parse().unwrap();
            assert_eq!(parse_decimal(&text), Some(std), "{text}");
        }
        for bad in ["", "-", ".", "1.2.3", "abc", "1e", "1e+", "12 3", "inf", "NaN", "1234567890123456"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn fixed_agrees_with_core_formatting() {
        let values = [
            0.0,
            1.0,
            -1.0,
            0.05,
            0.15,
            0.25,
            2.5,
            3.5,
            -2.5,
            1234.5678,
            0.001,
            99.95,
            1e-9,
            14_400_000.123,
            -0.0004,
            123.456_789_012,
            1172.5,
            0.125,
            7.0 / 3.0,
        ];
        for v in values {
            for d in 0..=6 {
                let core = format!("{v:.*}", d as usize);
                // `fixed` writes no sign on a value that rounds to zero.
                let core = if core.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
                    core.trim_start_matches('-').to_string()
                } else {
                    core
                };
                assert_eq!(super::fixed(v, d), core, "{v} with {d} decimals");
            }
        }
        // A deterministic sweep of awkward values: many decimal ties.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x % 2_000_000) as f64 / [8.0, 16.0, 1000.0, 40.0][(x >> 60) as usize % 4] - 1000.0;
            for d in 0..=4 {
                let core = format!("{v:.*}", d as usize);
                if core.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
                    continue;
                }
                assert_eq!(super::fixed(v, d), core, "{v} with {d} decimals");
            }
        }
        assert_eq!(super::fixed(f64::NAN, 2), "NaN");
    }

    #[test]
    fn decimal_reads_like_display_for_typed_values() {
        for v in
            [0.0, 1.0, -1.0, 0.5, 100.0, 12.25, 0.001, 0.000_001, 1200.0, 123_456_789.5, -0.75, 3600000.0]
        {
            assert_eq!(super::decimal(v), format!("{v}"), "{v}");
        }
        assert_eq!(super::decimal(2.5e12), "2.5e12");
        assert_eq!(super::decimal(1e300), "1e300");
        assert_eq!(super::decimal(-4e-12), "-4e-12");
        assert_eq!(super::decimal(f64::INFINITY), "inf");
    }

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
