//! Pure layout maths shared by every view: time ↔ pixels, the zoomed
//! window of the time axis, and playhead motion.
//!
//! No web types here, so all of it is unit-tested natively (`cargo test`).
//! Ticks, tick labels, the one millisecond formatter, sub-lanes, the ladder's
//! broken axis and the shared sort come from `reuse_render::layout`, the
//! same code the SVG export draws with.

use reuse_sim::time::fixed;
// Shared with the SVG export, one implementation each.
pub use reuse_render::layout::{
    assign_sublanes, ellipsize, format_ms, format_tick, nice_step, sorted_order, ticks, trim_zeros, TimeAxis,
};

/// `v` limited to `lo..=hi`. Not `f64::clamp`: its panic message (for
/// `lo > hi`) prints floats, which pulls core's float printing (~13 KB)
/// into the app's first load.
pub fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// A pixel coordinate for an SVG attribute: two decimals at most (`12.5`,
/// `100`). Written with [`fixed`], not `f64`'s `Display`: see there.
pub fn px(v: f64) -> String {
    trim_zeros(fixed(v, 2))
}

/// A number for a `data-*` attribute or an input's value: six decimals at
/// most, which is exact for simulated times (whole nanoseconds).
pub fn num(v: f64) -> String {
    trim_zeros(fixed(v, 6))
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

/// The part of the time axis the views show: `[start, end]` milliseconds,
/// shared by the lanes, the waterfall and the ladder (zoom and pan).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub start_ms: f64,
    pub end_ms: f64,
}

/// The narrowest window: a tenth of a millisecond, the precision of a link
/// (finer than anything the engine puts in a lesson).
pub const MIN_WINDOW_MS: f64 = 0.1;

impl Window {
    /// The whole axis `[0, axis_end]`.
    pub fn whole(axis_end_ms: f64) -> Window {
        Window { start_ms: 0.0, end_ms: axis_end_ms.max(MIN_WINDOW_MS) }
    }

    pub fn span_ms(self) -> f64 {
        self.end_ms - self.start_ms
    }

    /// The window moved and narrowed to fit `[0, axis_end]`, at least
    /// [`MIN_WINDOW_MS`] wide; a window that is not a pair of finite
    /// increasing times becomes the whole axis.
    pub fn within(self, axis_end_ms: f64) -> Window {
        let whole = Window::whole(axis_end_ms);
        if !(self.start_ms.is_finite() && self.end_ms.is_finite() && self.end_ms > self.start_ms) {
            return whole;
        }
        let span = clamp(self.span_ms(), MIN_WINDOW_MS, whole.end_ms);
        let start = clamp(self.start_ms, 0.0, whole.end_ms - span);
        Window { start_ms: start, end_ms: start + span }
    }

    /// Whether this is (within a nanosecond) the whole axis.
    pub fn is_whole(self, axis_end_ms: f64) -> bool {
        let w = self.within(axis_end_ms);
        w.start_ms <= 1e-6 && w.end_ms >= Window::whole(axis_end_ms).end_ms - 1e-6
    }

    /// `factor` times narrower (above 1 zooms in, below 1 out), keeping the
    /// time `at_ms` where it is on screen.
    pub fn zoom(self, factor: f64, at_ms: f64, axis_end_ms: f64) -> Window {
        if !(factor.is_finite() && factor > 0.0) {
            return self.within(axis_end_ms);
        }
        let at = clamp(at_ms, self.start_ms, self.end_ms);
        let span = clamp(self.span_ms() / factor, MIN_WINDOW_MS, Window::whole(axis_end_ms).end_ms);
        let share = (at - self.start_ms) / self.span_ms();
        let start = at - share * span;
        Window { start_ms: start, end_ms: start + span }.within(axis_end_ms)
    }

    /// Moved by `delta_ms` (later when positive), as wide as before.
    pub fn pan(self, delta_ms: f64, axis_end_ms: f64) -> Window {
        let delta = if delta_ms.is_finite() { delta_ms } else { 0.0 };
        Window { start_ms: self.start_ms + delta, end_ms: self.end_ms + delta }.within(axis_end_ms)
    }

    /// A window on `[from, to]` with `context_ms` of time on either side, so
    /// an instant (a close, a lost request) has its neighbours around it.
    pub fn around(from_ms: f64, to_ms: f64, context_ms: f64, axis_end_ms: f64) -> Window {
        let (a, b) = if from_ms <= to_ms { (from_ms, to_ms) } else { (to_ms, from_ms) };
        let context = context_ms.max(0.0);
        Window { start_ms: a - context, end_ms: b + context }.within(axis_end_ms)
    }

    /// The window turned a page so that it shows `t`: unchanged when `t` is
    /// already inside, else moved so that `t` sits a tenth of the way in from
    /// the side it was approaching from (playback runs on into what follows).
    pub fn showing(self, t_ms: f64, axis_end_ms: f64) -> Window {
        let span = self.span_ms();
        if t_ms > self.end_ms {
            self.pan(t_ms - self.start_ms - 0.1 * span, axis_end_ms)
        } else if t_ms < self.start_ms {
            self.pan(t_ms - self.start_ms - 0.9 * span, axis_end_ms)
        } else {
            self.within(axis_end_ms)
        }
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
    fn zooming_keeps_the_time_under_the_pointer_in_place() {
        let end = 1000.0;
        let w = Window::whole(end).zoom(4.0, 250.0, end);
        assert_eq!(w.span_ms(), 250.0);
        // 250 ms was a quarter of the way in and still is.
        assert_eq!((250.0 - w.start_ms) / w.span_ms(), 0.25);
        // Zooming back out by the same factor returns the whole axis.
        assert_eq!(w.zoom(0.25, 250.0, end), Window::whole(end));
        assert!(w.zoom(0.25, 250.0, end).is_whole(end));
        assert!(!w.is_whole(end));
    }

    #[test]
    fn a_window_never_leaves_the_axis_nor_gets_narrower_than_the_link_precision() {
        let end = 1000.0;
        let w = Window { start_ms: 900.0, end_ms: 1000.0 };
        assert_eq!(w.pan(500.0, end), w, "panning past the end stops at it");
        assert_eq!(w.pan(-5000.0, end), Window { start_ms: 0.0, end_ms: 100.0 });
        let tiny = Window::whole(end).zoom(1e9, 500.0, end);
        assert!((tiny.span_ms() - MIN_WINDOW_MS).abs() < 1e-9, "{tiny:?}");
        assert_eq!(Window::whole(end).zoom(0.001, 500.0, end), Window::whole(end));
        // A window from a link whose timeline got shorter still fits.
        assert_eq!(Window { start_ms: 5000.0, end_ms: 7000.0 }.within(end), Window::whole(end));
        assert_eq!(Window { start_ms: f64::NAN, end_ms: 7.0 }.within(end), Window::whole(end));
        assert_eq!(Window { start_ms: 8.0, end_ms: 7.0 }.within(end), Window::whole(end));
    }

    #[test]
    fn around_an_instant_puts_context_on_both_sides() {
        let w = Window::around(10_566.5, 10_566.5, 150.0, 36_000.0);
        assert_eq!(w, Window { start_ms: 10_416.5, end_ms: 10_716.5 });
        let at_start = Window::around(20.0, 40.0, 100.0, 36_000.0);
        assert_eq!(at_start, Window { start_ms: 0.0, end_ms: 220.0 }, "slid right, as wide as asked");
    }

    #[test]
    fn playback_turns_the_page_when_the_playhead_leaves_the_window() {
        let end = 1000.0;
        let w = Window { start_ms: 100.0, end_ms: 200.0 };
        assert_eq!(w.showing(150.0, end), w);
        let next = w.showing(201.0, end);
        assert!((next.start_ms - (201.0 - 10.0)).abs() < 1e-9, "{next:?}");
        assert_eq!(next.span_ms(), 100.0);
        let back = Window { start_ms: 500.0, end_ms: 600.0 }.showing(450.0, end);
        assert!((back.end_ms - (450.0 + 10.0)).abs() < 1e-9, "{back:?}");
    }
}
