//! Pure layout maths shared by every view: time ↔ pixels, tick spacing,
//! sub-lane assignment, the ladder's broken time axis, and playhead motion.
//!
//! No web types here, so all of it is unit-tested natively (`cargo test`).

use reuse_sim::time::fixed;
// Shared with the SVG export, one implementation.
pub use reuse_render::layout::{assign_sublanes, ellipsize, format_tick, sorted_order, ticks};

/// `v` limited to `lo..=hi`. Not `f64::clamp`: its panic message (for
/// `lo > hi`) prints floats, which pulls core's float printing (~13 KB)
/// into the app's first load.
pub fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// A pixel coordinate for an SVG attribute: two decimals at most (`12.5`,
/// `100`). Written with [`fixed`], not `f64`'s `Display`: see there.
pub fn px(v: f64) -> String {
    trimmed(fixed(v, 2))
}

/// A number for a `data-*` attribute or an input's value: six decimals at
/// most, which is exact for simulated times (whole nanoseconds).
pub fn num(v: f64) -> String {
    trimmed(fixed(v, 6))
}

fn trimmed(mut text: String) -> String {
    if text.contains('.') {
        text.truncate(text.trim_end_matches('0').trim_end_matches('.').len());
    }
    text
}

/// A linear map from simulated milliseconds to pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub t0_ms: f64,
    pub t1_ms: f64,
    pub px0: f64,
    pub px1: f64,
}

impl TimeScale {
    /// A scale over `[t0, t1]`; an empty or inverted span is widened to 1 ms
    /// so that the map never divides by zero.
    pub fn new(t0_ms: f64, t1_ms: f64, px0: f64, px1: f64) -> Self {
        let t1_ms = if t1_ms > t0_ms { t1_ms } else { t0_ms + 1.0 };
        TimeScale { t0_ms, t1_ms, px0, px1 }
    }

    pub fn px(&self, t_ms: f64) -> f64 {
        self.px0 + (t_ms - self.t0_ms) / (self.t1_ms - self.t0_ms) * (self.px1 - self.px0)
    }

    /// Like [`px`](Self::px) but never outside the scale's pixel range.
    pub fn px_clamped(&self, t_ms: f64) -> f64 {
        self.px(clamp(t_ms, self.t0_ms, self.t1_ms))
    }

    /// The inverse map: the time under a pixel, clamped to the scale.
    pub fn time_at(&self, px: f64) -> f64 {
        let span = self.px1 - self.px0;
        if span == 0.0 {
            return self.t0_ms;
        }
        let f = clamp((px - self.px0) / span, 0.0, 1.0);
        self.t0_ms + f * (self.t1_ms - self.t0_ms)
    }

    /// Width in pixels of the interval `[a, b]` after clamping to the scale.
    pub fn width(&self, a_ms: f64, b_ms: f64) -> f64 {
        (self.px_clamped(b_ms) - self.px_clamped(a_ms)).max(0.0)
    }
}

/// A "nice" tick step (1, 2 or 5 × 10ⁿ ms) giving at most `max_ticks`
/// intervals over `span_ms`.
pub fn tick_step(span_ms: f64, max_ticks: usize) -> f64 {
    let max_ticks = max_ticks.max(1) as f64;
    if !(span_ms.is_finite() && span_ms > 0.0) {
        return 1.0;
    }
    let raw = span_ms / max_ticks;
    let magnitude = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        let step = m * magnitude;
        if step >= raw {
            return step;
        }
    }
    10.0 * magnitude
}

/// Formats a time for an axis label: `0`, `250 ms`, `1.5 s`.
pub fn format_ms(ms: f64) -> String {
    let abs = ms.abs();
    if abs == 0.0 {
        "0".into()
    } else if abs >= 1000.0 {
        let s = ms / 1000.0;
        if (s * 10.0).fract().abs() < 1e-9 {
            format!("{} s", fixed(s, 1)).replace(".0 s", " s")
        } else {
            format!("{} s", fixed(s, 2))
        }
    } else if abs >= 10.0 || ms.fract() == 0.0 {
        format!("{} ms", fixed(ms, 0))
    } else {
        format!("{} ms", fixed(ms, 1))
    }
}

/// A piecewise-linear time → pixel map that collapses long quiet gaps (a
/// "broken axis"), so a ladder shows its packets and not 5 s of keep-alive.
#[derive(Clone, Debug, PartialEq)]
pub struct BrokenAxis {
    /// `(t_start, t_end, px_start, px_end)`, consecutive and increasing.
    pub pieces: Vec<(f64, f64, f64, f64)>,
    /// Collapsed gaps: `(t_start, t_end, px_start, px_end)`.
    pub breaks: Vec<(f64, f64, f64, f64)>,
}

impl BrokenAxis {
    /// `busy` are intervals where something happens (packets in flight).
    /// Quiet gaps longer than `max_gap_ms` shrink to `break_px` pixels; the
    /// rest is drawn at `px_per_ms`.
    pub fn new(busy: &[(f64, f64)], px_per_ms: f64, max_gap_ms: f64, break_px: f64) -> Self {
        let spans: Vec<(f64, f64)> = busy.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
        let spans = sorted_order(spans.iter().map(|s| s.0)).into_iter().map(|i| spans[i]);
        // Merge overlapping busy spans, remembering the quiet gaps between them.
        let mut merged: Vec<(f64, f64)> = Vec::new();
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 + max_gap_ms => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        let mut pieces = Vec::new();
        let mut breaks = Vec::new();
        let mut px = 0.0;
        for (i, &(a, b)) in merged.iter().enumerate() {
            if i > 0 {
                let prev_end = merged[i - 1].1;
                breaks.push((prev_end, a, px, px + break_px));
                px += break_px;
            }
            let len = (b - a) * px_per_ms;
            pieces.push((a, b, px, px + len));
            px += len;
        }
        BrokenAxis { pieces, breaks }
    }

    pub fn total_px(&self) -> f64 {
        self.pieces.last().map(|p| p.3).unwrap_or(0.0)
    }

    pub fn start_ms(&self) -> f64 {
        self.pieces.first().map(|p| p.0).unwrap_or(0.0)
    }

    pub fn end_ms(&self) -> f64 {
        self.pieces.last().map(|p| p.1).unwrap_or(0.0)
    }

    /// Pixel of a time: linear inside a piece, linear across a break,
    /// clamped before the first and after the last piece.
    pub fn px(&self, t_ms: f64) -> f64 {
        let (Some(first), Some(last)) = (self.pieces.first(), self.pieces.last()) else {
            return 0.0;
        };
        if t_ms <= first.0 {
            return first.2;
        }
        if t_ms >= last.1 {
            return last.3;
        }
        for &(a, b, pa, pb) in self.pieces.iter().chain(self.breaks.iter()) {
            if t_ms >= a && t_ms <= b {
                if b == a {
                    return pa;
                }
                return pa + (t_ms - a) / (b - a) * (pb - pa);
            }
        }
        last.3
    }
}

/// Moves the playhead by `wall_ms` of real time at `sim_ms_per_wall_ms`;
/// returns the new time and whether it reached `end_ms`.
pub fn advance_playhead(t_ms: f64, wall_ms: f64, sim_ms_per_wall_ms: f64, end_ms: f64) -> (f64, bool) {
    // A long gap between frames (a background tab) must not jump the playhead.
    let wall_ms = clamp(wall_ms, 0.0, 100.0);
    let next = clamp_playhead(t_ms + wall_ms * sim_ms_per_wall_ms, end_ms);
    (next, next >= end_ms)
}

/// Keeps a playhead within `[0, end]` (and finite).
pub fn clamp_playhead(t_ms: f64, end_ms: f64) -> f64 {
    if !t_ms.is_finite() {
        return 0.0;
    }
    clamp(t_ms, 0.0, end_ms.max(0.0))
}

/// Playback rate that plays `span_ms` of simulated time in `wall_ms` of real
/// time (the "fit" speed).
pub fn fit_rate(span_ms: f64, wall_ms: f64) -> f64 {
    if span_ms > 0.0 && wall_ms > 0.0 {
        span_ms / wall_ms
    } else {
        1.0
    }
}

/// The first event time strictly after `t` (times sorted ascending).
pub fn next_event(times: &[f64], t_ms: f64) -> Option<f64> {
    let eps = 1e-9;
    let i = times.partition_point(|&x| x <= t_ms + eps);
    times.get(i).copied()
}

/// The last event time strictly before `t` (times sorted ascending).
pub fn previous_event(times: &[f64], t_ms: f64) -> Option<f64> {
    let eps = 1e-9;
    let i = times.partition_point(|&x| x < t_ms - eps);
    if i == 0 {
        None
    } else {
        Some(times[i - 1])
    }
}

/// Sorts and removes duplicate times (within a nanosecond).
pub fn sorted_unique(mut times: Vec<f64>) -> Vec<f64> {
    times.retain(|t| t.is_finite());
    let mut times: Vec<f64> = sorted_order(times.iter().copied()).into_iter().map(|i| times[i]).collect();
    times.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
    times
}

/// The end of the shared time axis: the latest page load, or (when asked to
/// follow connections until they close) the latest close, plus a margin so
/// the last bar does not touch the edge.
pub fn axis_end(page_loads_ms: &[f64], last_closes_ms: &[f64], follow_closes: bool) -> f64 {
    let mut end = page_loads_ms.iter().copied().fold(0.0, f64::max);
    if follow_closes {
        end = last_closes_ms.iter().copied().fold(end, f64::max);
    }
    if end <= 0.0 {
        return 1.0;
    }
    end * 1.04
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_scale_maps_ends_and_inverts() {
        let s = TimeScale::new(0.0, 2000.0, 100.0, 900.0);
        assert_eq!(s.px(0.0), 100.0);
        assert_eq!(s.px(2000.0), 900.0);
        assert_eq!(s.px(1000.0), 500.0);
        assert_eq!(s.time_at(500.0), 1000.0);
        // Outside the pixel range the inverse clamps.
        assert_eq!(s.time_at(0.0), 0.0);
        assert_eq!(s.time_at(5000.0), 2000.0);
        assert_eq!(s.px_clamped(-50.0), 100.0);
        assert_eq!(s.width(1500.0, 9000.0), 200.0);
    }

    #[test]
    fn empty_time_span_does_not_divide_by_zero() {
        let s = TimeScale::new(5.0, 5.0, 0.0, 100.0);
        assert!(s.px(5.0).is_finite());
        assert!(s.px(6.0).is_finite());
    }

    #[test]
    fn tick_step_is_one_two_or_five_times_a_power_of_ten_and_respects_the_limit() {
        for span in [0.7, 3.0, 95.0, 999.0, 1234.0, 20_000.0, 333_333.0] {
            for max in [2usize, 5, 8, 12] {
                let step = tick_step(span, max);
                let mantissa = step / 10f64.powf(step.log10().floor());
                let nice = [1.0, 2.0, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 1e-9);
                assert!(nice, "step {step} for span {span}");
                assert!(span / step <= max as f64 + 1e-9, "span {span} step {step} max {max}");
                // And it is the smallest: the next smaller nice step would exceed the limit.
                let smaller = if (mantissa - 5.0).abs() < 1e-9 { step * 0.4 } else { step * 0.5 };
                assert!(span / smaller > max as f64, "span {span} step {step} max {max}");
            }
        }
    }

    #[test]
    fn ticks_are_multiples_of_the_step_within_the_range() {
        let t = ticks(0.0, 1000.0, 250.0);
        assert_eq!(t, vec![0.0, 250.0, 500.0, 750.0, 1000.0]);
        let t = ticks(130.0, 610.0, 200.0);
        assert_eq!(t, vec![200.0, 400.0, 600.0]);
        assert!(ticks(0.0, 10.0, 0.0).is_empty());
    }

    #[test]
    fn format_ms_uses_ms_below_a_second_and_s_above() {
        assert_eq!(format_ms(0.0), "0");
        assert_eq!(format_ms(250.0), "250 ms");
        assert_eq!(format_ms(2.5), "2.5 ms");
        assert_eq!(format_ms(1000.0), "1 s");
        assert_eq!(format_ms(1500.0), "1.5 s");
        assert_eq!(format_ms(1234.0), "1.23 s");
    }

    #[test]
    fn numbers_for_attributes_are_short_and_exact_for_times() {
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.345), "12.35");
        assert_eq!(px(-0.001), "0");
        assert_eq!(num(1_670.366_422), "1670.366422");
        assert_eq!(num(2.0), "2");
        for ns in [1u64, 999, 1_000_000, 123_456_789, 14_400_000_000_000] {
            let ms = ns as f64 / 1e6;
            assert_eq!(num(ms).parse::<f64>().unwrap(), ms, "{ns} ns");
        }
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
            let step = tick_step(t1 - t0, 8);
            let labels: Vec<String> = ticks(t0, t1, step).iter().map(|&t| format_tick(t, step)).collect();
            let mut unique = labels.clone();
            unique.dedup();
            assert_eq!(labels, unique, "{t0}..{t1} step {step}");
        }
        assert_eq!(format_tick(1172.5, 0.5), "1172.5 ms");
        assert_eq!(format_tick(1200.0, 200.0), "1.2 s");
        assert_eq!(format_tick(5000.0, 5000.0), "5 s");
        assert_eq!(format_tick(250.0, 50.0), "250 ms");
        assert_eq!(format_tick(0.0, 50.0), "0");
    }

    #[test]
    fn sublanes_never_overlap_and_use_the_maximum_concurrency() {
        let intervals = [(0.0, 10.0), (5.0, 15.0), (10.0, 20.0), (12.0, 14.0), (30.0, 40.0)];
        let (lanes, count) = assign_sublanes(&intervals);
        for i in 0..intervals.len() {
            for j in 0..i {
                if lanes[i] == lanes[j] {
                    let (a, b) = (intervals[i], intervals[j]);
                    assert!(a.1 <= b.0 || b.1 <= a.0, "{a:?} and {b:?} share lane {}", lanes[i]);
                }
            }
        }
        // At t = 12..14 three intervals are open at once: no fewer lanes can work.
        let max_concurrency = (0..400)
            .map(|k| k as f64 * 0.1)
            .map(|t| intervals.iter().filter(|(a, b)| *a <= t && t < *b).count())
            .max()
            .unwrap();
        assert_eq!(count, max_concurrency);
        // Back-to-back intervals reuse a lane.
        assert_eq!(lanes[0], lanes[2]);
    }

    #[test]
    fn sequential_intervals_need_one_lane() {
        let (lanes, count) = assign_sublanes(&[(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)]);
        assert_eq!(count, 1);
        // Rounding in sums of milliseconds does not count as overlap.
        let (_, count) = assign_sublanes(&[(0.0, 655.5664), (655.5663999999999, 700.0)]);
        assert_eq!(count, 1);
        assert_eq!(lanes, vec![0, 0, 0]);
        assert_eq!(assign_sublanes(&[]).1, 1, "at least one lane, even empty");
    }

    #[test]
    fn broken_axis_collapses_long_gaps_and_stays_monotonic() {
        // Busy 0–300 ms, quiet until 5300 ms, busy again 5300–5400 ms.
        let axis = BrokenAxis::new(&[(0.0, 100.0), (100.0, 300.0), (5300.0, 5400.0)], 2.0, 500.0, 30.0);
        assert_eq!(axis.breaks.len(), 1);
        assert_eq!(axis.total_px(), 300.0 * 2.0 + 30.0 + 100.0 * 2.0);
        assert_eq!(axis.px(150.0), 300.0);
        assert_eq!(axis.px(5300.0), 630.0);
        let mut last = -1.0;
        for k in 0..=600 {
            let y = axis.px(k as f64 * 10.0);
            assert!(y >= last, "not monotonic at {k}");
            last = y;
        }
        assert_eq!(axis.px(-10.0), 0.0);
        assert_eq!(axis.px(1e9), axis.total_px());
    }

    #[test]
    fn broken_axis_keeps_short_gaps_linear() {
        let axis = BrokenAxis::new(&[(0.0, 100.0), (150.0, 200.0)], 1.0, 100.0, 30.0);
        assert!(axis.breaks.is_empty());
        assert_eq!(axis.px(125.0), 125.0);
        assert_eq!(axis.total_px(), 200.0);
    }

    #[test]
    fn playhead_advances_by_rate_and_stops_at_the_end() {
        let (t, done) = advance_playhead(100.0, 16.0, 0.5, 1000.0);
        assert_eq!(t, 108.0);
        assert!(!done);
        let (t, done) = advance_playhead(995.0, 16.0, 1.0, 1000.0);
        assert_eq!(t, 1000.0);
        assert!(done);
        // A 10-second gap between frames counts as at most 100 ms.
        let (t, _) = advance_playhead(0.0, 10_000.0, 1.0, 1e6);
        assert_eq!(t, 100.0);
        assert_eq!(clamp_playhead(f64::NAN, 10.0), 0.0);
        assert_eq!(clamp_playhead(-3.0, 10.0), 0.0);
        assert_eq!(clamp_playhead(30.0, 10.0), 10.0);
    }

    #[test]
    fn fit_rate_plays_the_span_in_the_given_wall_time() {
        let rate = fit_rate(2000.0, 4000.0);
        // Advancing 4000 ms of wall time in 16 ms frames reaches the end.
        let mut t = 0.0;
        let mut frames = 0;
        loop {
            let (next, done) = advance_playhead(t, 16.0, rate, 2000.0);
            t = next;
            frames += 1;
            if done {
                break;
            }
        }
        assert_eq!(frames, (4000.0f64 / 16.0).ceil() as usize);
    }

    #[test]
    fn stepping_finds_strictly_next_and_previous_events() {
        let times = sorted_unique(vec![50.0, 0.0, 100.0, 50.0, 200.0]);
        assert_eq!(times, vec![0.0, 50.0, 100.0, 200.0]);
        assert_eq!(next_event(&times, 0.0), Some(50.0));
        assert_eq!(next_event(&times, 50.0), Some(100.0));
        assert_eq!(next_event(&times, 60.0), Some(100.0));
        assert_eq!(next_event(&times, 200.0), None);
        assert_eq!(previous_event(&times, 100.0), Some(50.0));
        assert_eq!(previous_event(&times, 101.0), Some(100.0));
        assert_eq!(previous_event(&times, 0.0), None);
    }

    #[test]
    fn axis_end_follows_page_load_or_closes() {
        assert_eq!(axis_end(&[1000.0, 500.0], &[6000.0], false), 1040.0);
        assert_eq!(axis_end(&[1000.0, 500.0], &[6000.0], true), 6240.0);
        assert_eq!(axis_end(&[], &[], true), 1.0);
    }

    #[test]
    fn ellipsize_counts_characters_not_bytes() {
        assert_eq!(ellipsize("index.html", 20), "index.html");
        assert_eq!(ellipsize("très-long-nom.png", 6), "très-…");
        assert_eq!(ellipsize("très-long-nom.png", 6).chars().count(), 6);
    }
}
