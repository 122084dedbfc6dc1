//! Congestion control as a choice (`tcp.congestion_control`): how a
//! sender's window grows in congestion avoidance, how far it falls on a
//! loss, and when slow start ends early. One implementation for both
//! transports: TCP's sender (`tcp/sender.rs`) and QUIC's (`quic/recovery.rs`,
//! RFC 9002 §7 lets QUIC use any controller) keep their own loss detection
//! and recovery and ask a [`Controller`] only these three questions.
//!
//! Windows are in the unit the caller counts (packets as Linux counts
//! `snd_cwnd`, or bytes); `one` is one full segment in that unit. The
//! arithmetic is integer only, so a run gives the same bits natively and
//! in WebAssembly (DETERMINISM.md): the cube root is an integer Newton
//! iteration, not `f64::cbrt`.

use crate::scenario::CongestionControl;
use crate::time::{SimDuration, SimTime};

pub mod bbr;
pub use bbr::{Bbr, BbrAck, BbrChange, BbrMode, RateStamp, RecoveryStep};

/// RFC 9438 §4.6: β_cubic = 0.7, as a fraction.
pub const CUBIC_BETA: (u64, u64) = (7, 10);
/// RFC 9438 §4.7: fast convergence lowers W_max to (1 + β)/2 = 0.85 of the
/// window at the loss when the window had not regained the last W_max.
pub const CUBIC_FAST_CONVERGENCE: (u64, u64) = (17, 20);
/// RFC 9438 §5: C = 0.4 segments per second³, in tenths.
pub const CUBIC_C_TENTHS: u128 = 4;
/// RFC 9438 §4.3: α_cubic = 3(1 − β)/(1 + β) = 9/17, the Reno-friendly
/// window's growth per round trip until it reaches the window before the
/// last cut (then 1, Reno's).
pub const CUBIC_ALPHA: (u64, u64) = (9, 17);
/// RFC 9438 §4.2: the target is at most 1.5 times the window.
pub const CUBIC_MAX_TARGET: (u64, u64) = (3, 2);

/// RFC 9406 §4.3: the bounds and divisor of the delay threshold.
pub const HYSTART_MIN_RTT_THRESH: SimDuration = SimDuration::from_millis(4);
pub const HYSTART_MAX_RTT_THRESH: SimDuration = SimDuration::from_millis(16);
pub const HYSTART_MIN_RTT_DIVISOR: u64 = 8;
/// RFC 9406 §4.3: RTT samples a round needs before it may decide.
pub const HYSTART_N_RTT_SAMPLE: u32 = 8;
/// RFC 9406 §4.3: conservative slow start grows a quarter as fast...
pub const HYSTART_CSS_GROWTH_DIVISOR: u64 = 4;
/// ...for at most five rounds, then congestion avoidance.
pub const HYSTART_CSS_ROUNDS: u32 = 5;
/// RFC 9406 §4.3: an ACK grows the window by at most L = 8 segments
/// (senders that do not pace; none here does).
pub const HYSTART_L: u64 = 8;

/// The controller of one sender: enum dispatch, so a third algorithm is a
/// compile error at every question below.
#[derive(Clone, Debug)]
pub enum Controller {
    NewReno,
    Cubic(CubicState),
    /// BBR owns the window and the pacing rate outright (`bbr.rs`); the
    /// sender asks it after every ACK instead of growing or cutting.
    Bbr(BbrState),
}

/// What a sent segment or packet keeps for BBR's rate samples: nothing in
/// a build without BBR (the first load), so its senders stay as small.
#[cfg(feature = "cubic")]
pub type SegmentRate = RateStamp;
#[cfg(not(feature = "cubic"))]
pub type SegmentRate = ();

/// BBR's state; uninhabited without the feature `cubic`, like CUBIC's.
#[cfg(feature = "cubic")]
pub type BbrState = Box<Bbr>;
#[cfg(not(feature = "cubic"))]
pub type BbrState = NoBbr;

/// The value-less stand-in for BBR's state in the first-load build.
#[cfg(not(feature = "cubic"))]
#[derive(Clone, Debug)]
pub enum NoBbr {}

#[cfg(not(feature = "cubic"))]
impl std::ops::Deref for NoBbr {
    type Target = Bbr;
    fn deref(&self) -> &Bbr {
        match *self {}
    }
}

#[cfg(not(feature = "cubic"))]
impl std::ops::DerefMut for NoBbr {
    fn deref_mut(&mut self) -> &mut Bbr {
        match *self {}
    }
}

/// CUBIC's state; a type with no values in a build without the feature
/// `cubic` (the web app's first load), so its code is compiled out there.
#[cfg(feature = "cubic")]
pub type CubicState = Box<Cubic>;
#[cfg(not(feature = "cubic"))]
pub type CubicState = crate::transport::Never;

#[cfg(not(feature = "cubic"))]
impl std::ops::Deref for crate::transport::Never {
    type Target = Cubic;
    fn deref(&self) -> &Cubic {
        match *self {}
    }
}

#[cfg(not(feature = "cubic"))]
impl std::ops::DerefMut for crate::transport::Never {
    fn deref_mut(&mut self) -> &mut Cubic {
        match *self {}
    }
}

/// What slow start's ACK did, beside growing the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlowStartStep {
    /// Grow by this much (in the window's unit).
    Grow(u64),
    /// HyStart++: the round trip rose; conservative slow start begins
    /// (grows by this much).
    EnterCss(u64),
    /// HyStart++: five rounds of conservative slow start are done:
    /// ssthresh = cwnd, congestion avoidance.
    Exit,
}

impl Controller {
    /// Scenario validation refuses `cubic` and `bbr` in a build without
    /// them. `initial_window` in the sender's unit (BBR's floor before it
    /// has a model).
    pub fn new(algorithm: CongestionControl, initial_window: u64) -> Self {
        match algorithm {
            CongestionControl::NewReno => Controller::NewReno,
            #[cfg(feature = "cubic")]
            CongestionControl::Cubic => Controller::Cubic(Box::default()),
            #[cfg(feature = "cubic")]
            CongestionControl::Bbr => Controller::Bbr(Box::new(Bbr::new(initial_window))),
            #[cfg(not(feature = "cubic"))]
            CongestionControl::Cubic | CongestionControl::Bbr => {
                let _ = initial_window;
                Controller::NewReno
            }
        }
    }

    pub fn algorithm(&self) -> CongestionControl {
        match self {
            Controller::NewReno => CongestionControl::NewReno,
            Controller::Cubic(_) => CongestionControl::Cubic,
            Controller::Bbr(_) => CongestionControl::Bbr,
        }
    }

    /// BBR: the window is the model's (set after every ACK), not grown or
    /// cut by the sender's own rules.
    pub fn bbr(&mut self) -> Option<&mut Bbr> {
        match self {
            Controller::NewReno | Controller::Cubic(_) => None,
            Controller::Bbr(b) => Some(b),
        }
    }

    /// Does the window belong to the model (BBR)?
    pub fn owns_window(&self) -> bool {
        match self {
            Controller::NewReno | Controller::Cubic(_) => false,
            Controller::Bbr(_) => true,
        }
    }

    /// A segment (or a copy) leaves with `in_flight` units already out:
    /// the delivery-rate state it carries (only BBR samples rates).
    pub fn on_sent(&mut self, now: SimTime, in_flight: u64) -> SegmentRate {
        match self {
            Controller::NewReno | Controller::Cubic(_) => SegmentRate::default(),
            #[cfg(feature = "cubic")]
            Controller::Bbr(b) => b.sampler.on_send(now, in_flight),
            #[cfg(not(feature = "cubic"))]
            Controller::Bbr(b) => {
                let _ = (now, in_flight);
                match *b {}
            }
        }
    }

    /// A segment is delivered for the first time (ACKed or SACKed).
    pub fn on_delivered(&mut self, now: SimTime, units: u64, sent_at: SimTime, stamp: &SegmentRate) {
        match self {
            Controller::NewReno | Controller::Cubic(_) => {}
            #[cfg(feature = "cubic")]
            Controller::Bbr(b) => b.sampler.on_delivered(now, units, sent_at, stamp),
            #[cfg(not(feature = "cubic"))]
            Controller::Bbr(b) => {
                let _ = (now, units, sent_at, stamp);
                match *b {}
            }
        }
    }

    /// The sender ran out of data with room in its window.
    pub fn on_app_limited(&mut self, in_flight: u64) {
        match self {
            Controller::NewReno | Controller::Cubic(_) => {}
            Controller::Bbr(b) => b.sampler.on_app_limited(in_flight),
        }
    }

    /// A loss (or a timeout) cuts the window: the new ssthresh from
    /// `basis` (the window, or the flight where the RFC says so), never
    /// below `floor`. Reno halves (RFC 5681 eq. 4); CUBIC keeps 0.7
    /// (RFC 9438 §4.6) and remembers where the loss happened (W_max, with
    /// fast convergence, §4.7) to grow back towards it.
    pub fn ssthresh_after_loss(&mut self, cwnd: u64, basis: u64, floor: u64) -> u64 {
        match self {
            Controller::NewReno => (basis / 2).max(floor),
            Controller::Cubic(c) => {
                c.on_loss(cwnd);
                (basis * CUBIC_BETA.0 / CUBIC_BETA.1).max(floor)
            }
            // BBR cuts nothing on a loss (its window is set on the ACKs).
            Controller::Bbr(_) => cwnd,
        }
    }

    /// One ACK in slow start acknowledging `acked` units (not yet capped),
    /// with the RTT sample it gave. `ack` and `next_seq` (the next sequence
    /// number or packet number to send) mark HyStart++'s rounds; `initial`
    /// is whether this is the connection's first slow start (HyStart++
    /// runs only there, RFC 9406 §4.2).
    pub fn slow_start(
        &mut self,
        acked: u64,
        one: u64,
        sample: Option<SimDuration>,
        ack: u64,
        next_seq: u64,
        initial: bool,
    ) -> SlowStartStep {
        match self {
            Controller::NewReno => SlowStartStep::Grow(acked),
            Controller::Cubic(c) if initial => {
                c.hystart.on_ack(acked.min(HYSTART_L * one), sample, ack, next_seq)
            }
            Controller::Cubic(_) => SlowStartStep::Grow(acked.min(HYSTART_L * one)),
            Controller::Bbr(_) => SlowStartStep::Grow(0),
        }
    }

    /// CUBIC's growth in congestion avoidance for `acked` units; `None`
    /// for Reno, whose sender keeps its own counting (Linux's
    /// `tcp_cong_avoid_ai`, RFC 5681 eq. 3).
    /// `limited`: the window was the limit (else CUBIC does not grow, as
    /// Linux's `tcp_is_cwnd_limited` in `cubictcp_cong_avoid`).
    pub fn avoidance(
        &mut self,
        now: SimTime,
        cwnd: u64,
        acked: u64,
        one: u64,
        srtt: SimDuration,
        limited: bool,
    ) -> Option<u64> {
        match self {
            Controller::NewReno => None,
            Controller::Cubic(_) if !limited => Some(cwnd),
            Controller::Cubic(c) => Some(c.grow(now, cwnd, acked, one, srtt)),
            Controller::Bbr(_) => Some(cwnd),
        }
    }

    /// The sender was idle `idle` (nothing in flight) and sends again:
    /// CUBIC's clock does not run while idle (Linux's
    /// `bictcp_cwnd_event(CA_EVENT_TX_START)`), or the window would jump;
    /// BBR holds off ProbeRTT if the application was the limit
    /// (`bbr_cwnd_event`).
    pub fn on_idle(&mut self, idle: SimDuration) {
        match self {
            Controller::NewReno => {}
            Controller::Bbr(b) => b.on_idle_restart(),
            Controller::Cubic(c) => {
                if let Some(e) = &mut c.epoch {
                    e.start = SimTime(e.start.0 + idle.0);
                }
            }
        }
    }
}

/// CUBIC's state (RFC 9438 §4).
#[derive(Clone, Debug, Default)]
pub struct Cubic {
    /// W_max: the window just before the last reduction, after fast
    /// convergence; 0 before any loss.
    pub w_max: u64,
    /// cwnd_prior: the window before the last reduction (α_cubic becomes 1
    /// once the Reno-friendly window reaches it).
    pub cwnd_prior: u64,
    /// The current congestion-avoidance stage; starts at its first ACK.
    pub epoch: Option<Epoch>,
    pub hystart: HyStart,
}

/// One congestion-avoidance stage of CUBIC.
#[derive(Clone, Copy, Debug)]
pub struct Epoch {
    pub start: SimTime,
    /// K (RFC 9438 eq. 2): the time the curve takes back to W_max.
    pub k: SimDuration,
    /// The curve's plateau: W_max, or the window at the epoch's start when
    /// that is above W_max (then K = 0).
    pub origin: u64,
    /// W_est (§4.3), the Reno-friendly window, in units × 1,000.
    w_est_milli: u128,
    /// Units owed to the window by fractional growth, × cwnd.
    growth: u128,
}

impl Cubic {
    fn on_loss(&mut self, cwnd: u64) {
        // §4.7 fast convergence: a loss below the last W_max means other
        // flows took bandwidth; release some.
        self.w_max =
            if cwnd < self.w_max { cwnd * CUBIC_FAST_CONVERGENCE.0 / CUBIC_FAST_CONVERGENCE.1 } else { cwnd };
        self.cwnd_prior = cwnd;
        self.epoch = None;
        self.hystart.done = true;
    }

    /// RFC 9438 §4.2–4.4 for an ACK of `acked` units in congestion
    /// avoidance: the window moves towards the cubic curve one RTT ahead,
    /// or follows the Reno-friendly window when that is larger.
    fn grow(&mut self, now: SimTime, cwnd: u64, acked: u64, one: u64, srtt: SimDuration) -> u64 {
        let cwnd = cwnd.max(1);
        let w_max = self.w_max;
        let epoch = self.epoch.get_or_insert_with(|| {
            let (k, origin) =
                if w_max > cwnd { (cubic_k(w_max - cwnd, one), w_max) } else { (SimDuration::ZERO, cwnd) };
            Epoch { start: now, k, origin, w_est_milli: cwnd as u128 * 1000, growth: 0 }
        });
        let t = now.since(epoch.start);
        let target = epoch
            .w_cubic(SimDuration(t.0 + srtt.0), one)
            .clamp(cwnd, cwnd * CUBIC_MAX_TARGET.0 / CUBIC_MAX_TARGET.1);
        // (target − cwnd)/cwnd per segment acknowledged, carried in
        // `growth` so small windows grow as Linux's `cnt` makes them.
        epoch.growth += (target - cwnd) as u128 * acked as u128;
        let inc = (epoch.growth / cwnd as u128) as u64;
        epoch.growth -= inc as u128 * cwnd as u128;
        let mut next = cwnd + inc;
        // §4.3: W_est grows by α_cubic segments per round trip.
        let alpha = if epoch.w_est_milli >= self.cwnd_prior as u128 * 1000 { (1, 1) } else { CUBIC_ALPHA };
        epoch.w_est_milli +=
            1000 * alpha.0 as u128 * acked as u128 * one as u128 / (alpha.1 as u128 * cwnd as u128);
        let w_est = (epoch.w_est_milli / 1000) as u64;
        if epoch.w_cubic(t, one) < w_est {
            next = next.max(w_est);
        }
        next
    }
}

impl Epoch {
    /// RFC 9438 eq. 1: W_cubic(t) = C·(t − K)³ + W_max, in units.
    pub fn w_cubic(&self, t: SimDuration, one: u64) -> u64 {
        let us = |d: SimDuration| (d.0 / 1_000) as i128;
        let d = us(t) - us(self.k);
        // C (segments/s³) × d³ (µs³) × one: 0.4 × d³ × one / 10¹⁸.
        // Rounded down (towards −∞) so that W_cubic(0) is exactly the
        // window after the cut when K itself was rounded down.
        let delta = (CUBIC_C_TENTHS as i128 * d * d * d * one as i128).div_euclid(10_000_000_000_000_000_000);
        (self.origin as i128 + delta).max(1) as u64
    }
}

/// RFC 9438 eq. 2: K = ∛((W_max − cwnd_epoch)/C), for a gap of `gap`
/// units (`one` a segment), in whole microseconds.
pub fn cubic_k(gap: u64, one: u64) -> SimDuration {
    // gap/one segments ÷ 0.4 = seconds³; × 10¹⁸ for µs³.
    let us3 = gap as u128 * 10 * 1_000_000_000_000_000_000 / (CUBIC_C_TENTHS * one.max(1) as u128);
    SimDuration::from_micros(integer_cbrt(us3) as u64)
}

/// ⌊∛n⌋ by Newton's iteration from above (integers only).
pub fn integer_cbrt(n: u128) -> u128 {
    if n == 0 {
        return 0;
    }
    let bits = 128 - n.leading_zeros();
    let mut x: u128 = 1 << bits.div_ceil(3);
    loop {
        let y = (2 * x + n / (x * x)) / 3;
        if y >= x {
            return x;
        }
        x = y;
    }
}

/// HyStart++ (RFC 9406 §4.2): slow start watches each round's smallest
/// RTT; when it rises by a threshold, the window grows four times slower
/// (conservative slow start) for up to five rounds, then slow start ends,
/// unless the RTT falls back (a false alarm: slow start resumes).
#[derive(Clone, Copy, Debug, Default)]
pub struct HyStart {
    /// The round ends when this is acknowledged (RFC 9406's `windowEnd`).
    window_end: Option<u64>,
    last_round_min_rtt: Option<SimDuration>,
    current_round_min_rtt: Option<SimDuration>,
    rtt_sample_count: u32,
    /// In conservative slow start: the baseline RTT and rounds done.
    css: Option<(SimDuration, u32)>,
    /// Units owed by conservative slow start's quarter growth.
    css_carry: u64,
    /// HyStart++ has finished (it left slow start, or a loss did).
    pub done: bool,
}

impl HyStart {
    fn on_ack(&mut self, acked: u64, sample: Option<SimDuration>, ack: u64, next_seq: u64) -> SlowStartStep {
        if self.done {
            return SlowStartStep::Grow(acked);
        }
        if self.window_end.is_none_or(|end| ack >= end) {
            self.window_end = Some(next_seq);
            self.last_round_min_rtt = self.current_round_min_rtt;
            self.current_round_min_rtt = None;
            self.rtt_sample_count = 0;
            if let Some((_, rounds)) = &mut self.css {
                *rounds += 1;
                if *rounds >= HYSTART_CSS_ROUNDS {
                    self.done = true;
                    return SlowStartStep::Exit;
                }
            }
        }
        if let Some(rtt) = sample {
            self.current_round_min_rtt = Some(self.current_round_min_rtt.map_or(rtt, |m| m.min(rtt)));
            self.rtt_sample_count += 1;
        }
        let decided = self.rtt_sample_count >= HYSTART_N_RTT_SAMPLE;
        match (self.css, self.last_round_min_rtt, self.current_round_min_rtt) {
            (None, Some(last), Some(current)) if decided => {
                let thresh = SimDuration(last.0 / HYSTART_MIN_RTT_DIVISOR)
                    .clamp(HYSTART_MIN_RTT_THRESH, HYSTART_MAX_RTT_THRESH);
                if current.0 >= last.0 + thresh.0 {
                    self.css = Some((current, 0));
                    return SlowStartStep::EnterCss(self.css_growth(acked));
                }
                SlowStartStep::Grow(acked)
            }
            (Some((baseline, _)), _, Some(current)) if decided && current < baseline => {
                // A false alarm: the delay fell back below the baseline.
                self.css = None;
                SlowStartStep::Grow(acked)
            }
            (Some(_), _, _) => SlowStartStep::Grow(self.css_growth(acked)),
            _ => SlowStartStep::Grow(acked),
        }
    }

    fn css_growth(&mut self, acked: u64) -> u64 {
        self.css_carry += acked;
        let grow = self.css_carry / HYSTART_CSS_GROWTH_DIVISOR;
        self.css_carry %= HYSTART_CSS_GROWTH_DIVISOR;
        grow
    }

    /// In conservative slow start now.
    pub fn in_css(&self) -> bool {
        self.css.is_some() && !self.done
    }
}

#[cfg(test)]
#[path = "congestion_tests.rs"]
mod tests;
