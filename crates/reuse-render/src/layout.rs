//! Pure layout maths: time → x (linear, or with long quiet gaps collapsed),
//! "nice" tick spacing, sub-lanes for overlapping requests, text fitting.
//! The web app uses the tick, sub-lane and text helpers from here too, so it
//! never prints floats with `format!` (see `fixed`) and sorts through the
//! one routine in [`sorted_order`]: both keep its first load small.

use reuse_sim::time::fixed;

/// A "nice" tick step (1, 2 or 5 × 10ⁿ ms) no smaller than `min_step_ms`.
pub fn nice_step(min_step_ms: f64) -> f64 {
    if !(min_step_ms.is_finite() && min_step_ms > 0.0) {
        return 1.0;
    }
    // `powi`, not `powf`: exact for these whole exponents, and it keeps libm's
    // `pow` (2 KB) out of the web app's wasm.
    let magnitude = 10f64.powi(min_step_ms.log10().floor() as i32);
    for m in [1.0, 2.0, 5.0] {
        // Relative tolerance: 0.30000000000000004 must still pick 0.3's step.
        if m * magnitude >= min_step_ms * (1.0 - 1e-9) {
            return m * magnitude;
        }
    }
    10.0 * magnitude
}

/// Multiples of `step` within `[t0, t1]` (both ends included).
pub fn ticks(t0_ms: f64, t1_ms: f64, step: f64) -> Vec<f64> {
    if !(step.is_finite() && step > 0.0 && t1_ms >= t0_ms) {
        return Vec::new();
    }
    let first = (t0_ms / step - 1e-9).ceil() as i64;
    let last = (t1_ms / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A tick label with just the precision its step needs: `0`, `250 ms`,
/// `1.5 s`, `0.25 ms`.
pub fn format_tick(t_ms: f64, step_ms: f64) -> String {
    if t_ms.abs() < 1e-9 {
        return "0".into();
    }
    let (value, step, unit) =
        if step_ms >= 100.0 { (t_ms / 1000.0, step_ms / 1000.0, "s") } else { (t_ms, step_ms, "ms") };
    let decimals = if step > 0.0 { (-(step.log10() + 1e-9).floor()).max(0.0) as u32 } else { 0 };
    format!("{} {unit}", fixed(value, decimals))
}

/// A time or a duration for people, the one style of every view, the
/// "why" panel, the totals and the SVG exports: milliseconds to a tenth
/// below a second (`0 ms`, `12.5 ms`, `480 ms`), seconds to the millisecond
/// from there (`1 s`, `5.24 s`, `10.517 s`, so a keep-alive race 50 ms wide
/// still reads as two different times). Written with [`fixed`], never with
/// `f64`'s `Display` (the web app's first load has no float printer).
pub fn format_ms(ms: f64) -> String {
    let (value, decimals, unit) = if ms.abs() >= 1000.0 { (ms / 1000.0, 3, "s") } else { (ms, 1, "ms") };
    let text = trim_zeros(fixed(value, decimals));
    // Rounding can leave a negative zero ("-0"): a duration of nothing has no sign.
    let text = if text == "-0" { "0".to_string() } else { text };
    format!("{text} {unit}")
}

/// Drops trailing zeros after a decimal point, and the point if nothing is
/// left after it: `12.50` → `12.5`, `3.000` → `3`, `400` stays.
pub fn trim_zeros(mut text: String) -> String {
    if text.contains('.') {
        text.truncate(text.trim_end_matches('0').trim_end_matches('.').len());
    }
    text
}

/// A count for people: thousands set apart by a narrow no-break space
/// (`27 410`), as the app's totals show them.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    out
}

/// Bytes for people in decimal units (network rates are decimal too):
/// `830 B`, `23.4 KB`, `1.5 MB`, `2.1 GB`.
pub fn format_bytes(n: u64) -> String {
    let v = n as f64;
    match [(1e9, "GB"), (1e6, "MB"), (1e3, "KB")].into_iter().find(|(unit, _)| v >= *unit) {
        Some((unit, name)) => format!("{} {name}", fixed(v / unit, 1)),
        None => format!("{n} B"),
    }
}

/// A piecewise-linear time → x map. Quiet gaps longer than a threshold are
/// collapsed to a fixed-width break, so 5 s of keep-alive idling does not
/// squeeze a 500 ms page load into the first tenth of the picture. Without
/// gaps it is an ordinary linear axis.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeAxis {
    /// `(t_start, t_end, x_start, x_end)`, consecutive, increasing.
    pub pieces: Vec<(f64, f64, f64, f64)>,
    /// Collapsed gaps, same layout: the time jumps from `t_start` to `t_end`.
    pub breaks: Vec<(f64, f64, f64, f64)>,
    pub px_per_ms: f64,
}

impl TimeAxis {
    /// A plain linear axis over `[t0, t1]` drawn from `x0` to `x1`.
    pub fn linear(t0_ms: f64, t1_ms: f64, x0: f64, x1: f64) -> Self {
        let t1_ms = if t1_ms > t0_ms { t1_ms } else { t0_ms + 1.0 };
        let px_per_ms = (x1 - x0).max(1.0) / (t1_ms - t0_ms);
        TimeAxis {
            pieces: vec![(t0_ms, t1_ms, x0, x0 + (t1_ms - t0_ms) * px_per_ms)],
            breaks: vec![],
            px_per_ms,
        }
    }

    /// An axis from 0 that covers every `busy` interval, drawn from `x0` to
    /// `x1`; quiet gaps longer than `max_gap_ms` become `break_px` breaks.
    pub fn fit(busy: &[(f64, f64)], max_gap_ms: f64, x0: f64, x1: f64, break_px: f64) -> Self {
        Self::fit_with_cuts(busy, max_gap_ms, x0, x1, break_px, 0.0, &[])
    }

    /// Like [`TimeAxis::fit`], but the axis starts at `origin_ms` (nothing
    /// before it is drawn), and it also breaks at every time in `cuts` that
    /// no busy interval spans, however short the gap there (the ladder folds
    /// the packets it leaves out of a huge connection).
    pub fn fit_with_cuts(
        busy: &[(f64, f64)],
        max_gap_ms: f64,
        x0: f64,
        x1: f64,
        break_px: f64,
        origin_ms: f64,
        cuts: &[f64],
    ) -> Self {
        let origin = if origin_ms.is_finite() { origin_ms.max(0.0) } else { 0.0 };
        let mut spans: Vec<(f64, f64)> = busy
            .iter()
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .map(|&(a, b)| (a.min(b).max(origin), a.max(b).max(origin)))
            .collect();
        spans.push((origin, origin));
        // By start only: spans that start together merge whatever their ends
        // (and the one shared sort keeps the web app's wasm small).
        let order = sorted_order(spans.iter().map(|s| s.0));
        let mut merged: Vec<(f64, f64)> = Vec::new();
        for (a, b) in order.into_iter().map(|i| spans[i]) {
            match merged.last_mut() {
                Some(last)
                    if a <= last.1 + max_gap_ms.max(0.0)
                        && !cuts.iter().any(|&cut| last.1 <= cut && cut < a) =>
                {
                    last.1 = last.1.max(b)
                }
                _ => merged.push((a, b)),
            }
        }
        // A piece after a break may be a single instant (a close): give every
        // piece some width, a share of the first piece's span.
        let pad = (merged[0].1 - merged[0].0).max(1.0) * 0.04;
        let mut merged: Vec<(f64, f64)> = merged
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| if i == 0 { (a, b + pad) } else { (a - pad, b + pad) })
            .collect();
        // Padding must not make neighbours overlap.
        for i in 1..merged.len() {
            let previous_end = merged[i - 1].1;
            merged[i].0 = merged[i].0.max(previous_end);
        }
        let gaps = merged.len() - 1;
        let span_ms: f64 = merged.iter().map(|(a, b)| b - a).sum::<f64>().max(1e-9);
        let room = (x1 - x0 - gaps as f64 * break_px).max(1.0);
        let px_per_ms = room / span_ms;
        let mut pieces = Vec::new();
        let mut breaks = Vec::new();
        let mut x = x0;
        for (i, &(a, b)) in merged.iter().enumerate() {
            if i > 0 {
                breaks.push((merged[i - 1].1, a, x, x + break_px));
                x += break_px;
            }
            let w = (b - a) * px_per_ms;
            pieces.push((a, b, x, x + w));
            x += w;
        }
        TimeAxis { pieces, breaks, px_per_ms }
    }

    pub fn start_ms(&self) -> f64 {
        self.pieces.first().map(|p| p.0).unwrap_or(0.0)
    }

    pub fn end_ms(&self) -> f64 {
        self.pieces.last().map(|p| p.1).unwrap_or(0.0)
    }

    pub fn end_x(&self) -> f64 {
        self.pieces.last().map(|p| p.3).unwrap_or(0.0)
    }

    /// x of a time: linear inside a piece and across a break, clamped to the axis.
    pub fn x(&self, t_ms: f64) -> f64 {
        let (Some(first), Some(last)) = (self.pieces.first(), self.pieces.last()) else {
            return 0.0;
        };
        // NaN lands on the start too.
        if t_ms.is_nan() || t_ms <= first.0 {
            return first.2;
        }
        if t_ms >= last.1 {
            return last.3;
        }
        for &(a, b, xa, xb) in self.pieces.iter().chain(&self.breaks) {
            if t_ms >= a && t_ms <= b {
                return if b > a { xa + (t_ms - a) / (b - a) * (xb - xa) } else { xa };
            }
        }
        last.3
    }

    /// The tick step (nice) that keeps labels at least `min_px` apart.
    pub fn tick_step(&self, min_px: f64) -> f64 {
        nice_step(min_px / self.px_per_ms.max(1e-12))
    }

    /// Tick times on every piece, at multiples of `step`.
    pub fn ticks(&self, step: f64) -> Vec<f64> {
        self.pieces.iter().flat_map(|&(a, b, _, _)| ticks(a, b, step)).collect()
    }
}

/// Assigns intervals `[start, end)` to sub-lanes so that no two on one
/// sub-lane overlap (greedy interval partitioning: optimal and stable).
/// Returns each interval's sub-lane and the number used (at least 1).
pub fn assign_sublanes(intervals: &[(f64, f64)]) -> (Vec<usize>, usize) {
    let order = sorted_order(intervals.iter().map(|iv| iv.0));
    let mut free_at: Vec<f64> = Vec::new();
    let mut lanes = vec![0; intervals.len()];
    for i in order {
        let (start, end) = intervals[i];
        // Times are sums of millisecond floats: allow a nanosecond of rounding.
        match free_at.iter().position(|&free| free <= start + 1e-6) {
            Some(lane) => {
                free_at[lane] = end.max(start);
                lanes[i] = lane;
            }
            None => {
                lanes[i] = free_at.len();
                free_at.push(end.max(start));
            }
        }
    }
    let count = free_at.len().max(1);
    (lanes, count)
}

/// The indices of `keys` in ascending order (IEEE total order), equal keys
/// in index order: a stable sort. Every `sort_by` closure is a separate copy
/// of the sort algorithm, several KB of wasm each; this shares one
/// (`sort_unstable` on `(u64, u32)`, as the engine's id check does).
pub fn sorted_order(keys: impl Iterator<Item = f64>) -> Vec<usize> {
    let mut keyed: Vec<(u64, u32)> = keys.enumerate().map(|(i, x)| (order_key(x), i as u32)).collect();
    reuse_sim::order::sort_pairs(&mut keyed);
    keyed.into_iter().map(|(_, i)| i as usize).collect()
}

/// An `f64` as a `u64` with the same order (IEEE 754 total order).
fn order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// Approximate width of `text` at the 11 px sans-serif the SVGs use.
pub fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.2
}

/// Shortens `text` to at most `max_chars` characters, ending with "…".
pub fn ellipsize(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_switch_to_the_next_decimal_unit_at_each_thousand() {
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(1_000), "1.0 KB");
        assert_eq!(format_bytes(23_456), "23.5 KB");
        assert_eq!(format_bytes(1_500_000), "1.5 MB");
        assert_eq!(format_bytes(2_130_000_000), "2.1 GB");
    }

    #[test]
    fn nice_steps_are_one_two_or_five_times_a_power_of_ten_and_not_below_the_minimum() {
        for min in [0.003, 0.7, 1.0, 3.0, 7.2, 45.0, 101.0, 999.0, 12_345.0] {
            let step = nice_step(min);
            assert!(step >= min * (1.0 - 1e-9), "{min} -> {step}");
            assert!(step < min * 2.5 + 1e-9, "{min} -> {step}: more than needed");
            let mantissa = step / 10f64.powf(step.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-6),
                "{min} -> {step} (mantissa {mantissa})"
            );
        }
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(nice_step(f64::NAN), 1.0);
    }

    #[test]
    fn ticks_are_the_multiples_of_the_step_inside_the_range() {
        assert_eq!(ticks(0.0, 500.0, 100.0), vec![0.0, 100.0, 200.0, 300.0, 400.0, 500.0]);
        assert_eq!(ticks(5150.0, 5420.0, 100.0), vec![5200.0, 5300.0, 5400.0]);
        assert!(ticks(10.0, 5.0, 1.0).is_empty());
        assert!(ticks(0.0, 5.0, 0.0).is_empty());
    }

    #[test]
    fn tick_labels_carry_the_precision_of_their_step() {
        assert_eq!(format_tick(0.0, 100.0), "0");
        assert_eq!(format_tick(1500.0, 500.0), "1.5 s");
        assert_eq!(format_tick(2000.0, 1000.0), "2 s");
        assert_eq!(format_tick(40.0, 20.0), "40 ms");
        assert_eq!(format_tick(0.5, 0.5), "0.5 ms");
        assert_eq!(format_tick(200.0, 100.0), "0.2 s");
    }

    #[test]
    fn durations_read_in_ms_or_s() {
        assert_eq!(format_ms(0.0), "0 ms");
        assert_eq!(format_ms(12.5), "12.5 ms");
        assert_eq!(format_ms(5240.0), "5.24 s");
        assert_eq!(format_ms(1000.0), "1 s");
    }

    #[test]
    fn a_linear_axis_maps_its_ends_and_clamps() {
        let axis = TimeAxis::linear(0.0, 1000.0, 100.0, 900.0);
        assert_eq!(axis.x(0.0), 100.0);
        assert_eq!(axis.x(1000.0), 900.0);
        assert_eq!(axis.x(500.0), 500.0);
        assert_eq!(axis.x(-5.0), 100.0);
        assert_eq!(axis.x(5000.0), 900.0);
        assert_eq!(axis.x(f64::NAN), 100.0);
        // An empty span does not divide by zero.
        assert!(TimeAxis::linear(3.0, 3.0, 0.0, 10.0).x(3.5).is_finite());
    }

    #[test]
    fn a_long_quiet_gap_collapses_to_a_break_and_the_axis_stays_monotonic() {
        let busy = [(0.0, 500.0), (5500.0, 5500.0), (5600.0, 5600.0)];
        let axis = TimeAxis::fit(&busy, 150.0, 100.0, 1100.0, 24.0);
        assert_eq!(axis.pieces.len(), 2);
        assert_eq!(axis.breaks.len(), 1);
        let (gap_from, gap_to, bx0, bx1) = axis.breaks[0];
        assert!(gap_from <= 5500.0 && gap_from > 500.0 - 1e-9 && gap_to < 5500.0, "{:?}", axis.breaks);
        assert!((bx1 - bx0 - 24.0).abs() < 1e-9);
        assert!((axis.x(0.0) - 100.0).abs() < 1e-9);
        assert!((axis.end_x() - 1100.0).abs() < 1e-6, "fills the width: {}", axis.end_x());
        // Both pieces share one scale.
        for &(a, b, xa, xb) in &axis.pieces {
            assert!(((xb - xa) - (b - a) * axis.px_per_ms).abs() < 1e-6);
        }
        let mut previous = f64::NEG_INFINITY;
        for i in 0..=600 {
            let x = axis.x(i as f64 * 10.0);
            assert!(x >= previous - 1e-9, "x goes back at {} ms", i * 10);
            previous = x;
        }
    }

    #[test]
    fn a_cut_breaks_the_axis_where_no_interval_spans_it_and_only_there() {
        let busy = [(0.0, 100.0), (110.0, 200.0), (210.0, 300.0)];
        let plain = TimeAxis::fit(&busy, 50.0, 0.0, 600.0, 24.0);
        assert!(plain.breaks.is_empty());
        let cut = TimeAxis::fit_with_cuts(&busy, 50.0, 0.0, 600.0, 24.0, 0.0, &[105.0]);
        assert_eq!(cut.breaks.len(), 1);
        let (from, to, _, _) = cut.breaks[0];
        assert!(from <= 105.0 && to >= 105.0, "{:?}", cut.breaks);
        // A cut inside a busy interval cannot break it.
        let inside = TimeAxis::fit_with_cuts(&busy, 50.0, 0.0, 600.0, 24.0, 0.0, &[150.0]);
        assert!(inside.breaks.is_empty());
        // From an origin: nothing before it, no break before the first interval.
        let late = TimeAxis::fit_with_cuts(&[(700.0, 800.0)], 50.0, 0.0, 600.0, 24.0, 700.0, &[]);
        assert_eq!(late.start_ms(), 700.0);
        assert!(late.breaks.is_empty());
        assert_eq!(late.x(0.0), 0.0, "earlier times clamp to the start");
    }

    #[test]
    fn short_gaps_stay_on_a_linear_axis() {
        let axis = TimeAxis::fit(&[(0.0, 100.0), (150.0, 300.0)], 100.0, 0.0, 600.0, 24.0);
        assert!(axis.breaks.is_empty());
        assert_eq!(axis.pieces.len(), 1);
        assert!(axis.end_ms() > 300.0);
    }

    #[test]
    fn sublanes_never_overlap_and_use_the_maximum_concurrency() {
        let intervals = [(0.0, 10.0), (2.0, 6.0), (6.0, 9.0), (10.0, 12.0), (3.0, 4.0)];
        let (lanes, count) = assign_sublanes(&intervals);
        assert_eq!(count, 3); // 0-10, 2-6 and 3-4 overlap at t = 3
        for i in 0..intervals.len() {
            for j in i + 1..intervals.len() {
                if lanes[i] == lanes[j] {
                    let (a, b) = (intervals[i], intervals[j]);
                    assert!(a.1 <= b.0 + 1e-6 || b.1 <= a.0 + 1e-6, "{a:?} and {b:?} share a lane");
                }
            }
        }
        assert_eq!(assign_sublanes(&[]).1, 1);
    }

    #[test]
    fn ellipsize_keeps_short_text_and_marks_cuts() {
        assert_eq!(ellipsize("abc", 5), "abc");
        assert_eq!(ellipsize("abcdef", 4), "abc…");
        // Characters, not bytes.
        assert_eq!(ellipsize("très-long-nom.png", 6), "très-…");
    }

    #[test]
    fn a_nice_step_for_at_most_n_intervals_is_the_smallest_that_keeps_the_limit() {
        // The views ask for "at most N intervals over this span": nice_step(span / N).
        for span in [0.7, 3.0, 95.0, 999.0, 1234.0, 20_000.0, 333_333.0] {
            for max in [2.0, 5.0, 8.0, 12.0] {
                let step = nice_step(span / max);
                assert!(span / step <= max + 1e-9, "span {span} step {step} max {max}");
                // The next smaller nice step (÷2 from 1 or 2, ÷2.5 from 5) would pass the limit.
                let mantissa = step / 10f64.powf(step.log10().floor());
                let smaller = if (mantissa - 5.0).abs() < 1e-6 { step * 0.4 } else { step * 0.5 };
                assert!(span / smaller > max, "span {span} step {step} max {max}");
            }
        }
    }

    #[test]
    fn times_for_people_have_one_style() {
        // Below a second: ms to a tenth; from a second: s to the millisecond.
        assert_eq!(format_ms(2.5), "2.5 ms");
        assert_eq!(format_ms(0.325), "0.3 ms");
        assert_eq!(format_ms(999.9), "999.9 ms");
        assert_eq!(format_ms(1500.0), "1.5 s");
        assert_eq!(format_ms(1234.0), "1.234 s");
        // The keep-alive race: 50 ms apart still reads as two times.
        assert_ne!(format_ms(10_516.523), format_ms(10_566.539));
        assert_eq!(format_ms(10_516.523), "10.517 s");
        // Signs: a saving can be negative; nothing is never "-0".
        assert_eq!(format_ms(-12.5), "-12.5 ms");
        assert_eq!(format_ms(-2022.56), "-2.023 s");
        assert_eq!(format_ms(-0.01), "0 ms");
        assert_eq!(trim_zeros("12.50".into()), "12.5");
        assert_eq!(trim_zeros("3.000".into()), "3");
        assert_eq!(trim_zeros("400".into()), "400");
    }

    #[test]
    fn sorted_order_is_a_stable_sort_in_total_order() {
        let keys = [3.0, -1.0, 2.5, -0.0, 0.0, 3.0, f64::INFINITY, -7.25, 2.5];
        let order = sorted_order(keys.iter().copied());
        let mut expected: Vec<usize> = (0..keys.len()).collect();
        expected.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
        assert_eq!(order, expected);
    }

    #[test]
    fn tick_labels_are_distinct_at_every_step() {
        for (t0, t1) in [(0.0, 600.0), (1160.0, 1250.0), (0.0, 36_000.0), (825.0, 826.0), (3_000.0, 3_400.0)]
        {
            let step = nice_step((t1 - t0) / 8.0);
            let labels: Vec<String> = ticks(t0, t1, step).iter().map(|&t| format_tick(t, step)).collect();
            let mut unique = labels.clone();
            unique.dedup();
            assert_eq!(labels, unique, "{t0}..{t1} step {step}");
        }
        assert_eq!(format_tick(1172.5, 0.5), "1172.5 ms");
        assert_eq!(format_tick(1200.0, 200.0), "1.2 s");
        assert_eq!(format_tick(5000.0, 5000.0), "5 s");
        assert_eq!(format_tick(250.0, 50.0), "250 ms");
    }

    #[test]
    fn back_to_back_intervals_share_one_sublane() {
        let (lanes, count) = assign_sublanes(&[(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)]);
        assert_eq!((lanes, count), (vec![0, 0, 0], 1));
        // Rounding in sums of milliseconds does not count as overlap.
        let (_, count) = assign_sublanes(&[(0.0, 655.5664), (655.5663999999999, 700.0)]);
        assert_eq!(count, 1);
    }

    #[test]
    fn an_axis_from_a_late_origin_over_unsorted_spans_is_monotonic() {
        // Spans given out of order (the ladder's arrows are in trace order,
        // not by start) must still merge into increasing pieces.
        let busy = [(5300.0, 5400.0), (100.0, 300.0), (0.0, 100.0), (5350.0, 5360.0)];
        let axis = TimeAxis::fit_with_cuts(&busy, 500.0, 0.0, 800.0, 30.0, 0.0, &[]);
        assert_eq!(axis.breaks.len(), 1);
        let mut previous = f64::NEG_INFINITY;
        for k in 0..=600 {
            let y = axis.x(k as f64 * 10.0);
            assert!(y >= previous, "not monotonic at {} ms", k * 10);
            previous = y;
        }
    }
}
