//! BBR version 1 (Cardwell et al., "BBR: Congestion-Based Congestion
//! Control", ACM Queue 14(5), 2016; draft-cardwell-iccrg-bbr-congestion-
//! control-00; Linux's `net/ipv4/tcp_bbr.c`), with the delivery-rate
//! samples it feeds on (draft-cheng-iccrg-delivery-rate-estimation-02,
//! Linux's `tcp_rate.c`).
//!
//! BBR does not read loss as congestion. It models the path by two numbers,
//! the bottleneck bandwidth (the largest delivery rate over the last ten
//! round trips) and the round-trip propagation time (the smallest RTT over
//! the last ten seconds), paces every packet at a gain times the bandwidth
//! and caps the flight at a gain times their product (the BDP):
//!
//! - **Startup**: gain 2/ln 2 ≈ 2.885 doubles the rate each round trip until
//!   three rounds in a row grow the bandwidth by less than 25 %;
//! - **Drain**: the inverse gain empties the queue Startup built, until the
//!   flight is one BDP;
//! - **ProbeBW**: eight phases of one min RTT each, pacing at 5/4 (probe for
//!   more), 3/4 (drain what the probe queued), then 1 six times; the window
//!   is 2 BDP;
//! - **ProbeRTT**: when the min RTT is ten seconds old, four packets for
//!   200 ms and a round trip, to see the empty path again.
//!
//! Loss cuts nothing: the first round of a recovery only conserves packets
//! (one out per one delivered), and leaving recovery restores the window
//! from before it.
//!
//! Everything counts in the sender's window unit (packets, as Linux, or
//! bytes); `bytes_per_unit` turns rates into bytes for pacing. Integer
//! arithmetic only (DETERMINISM.md).

use serde::Serialize;

use crate::time::{SimDuration, SimTime};
#[cfg(feature = "cubic")]
use crate::trace::{ConnId, EventKind, Side};

/// A gain as a fraction.
pub type Gain = (u64, u64);
/// 2/ln 2 = 2.885: the smallest gain that doubles the delivery rate every
/// round trip (Linux's `bbr_high_gain`, BBR_UNIT × 2885 / 1000).
pub const BBR_HIGH_GAIN: Gain = (2885, 1000);
/// Drain's pacing gain, the inverse of Startup's (Linux's `bbr_drain_gain`).
pub const BBR_DRAIN_GAIN: Gain = (1000, 2885);
/// ProbeBW's window gain (Linux's `bbr_cwnd_gain`): 2 BDP.
pub const BBR_CWND_GAIN: Gain = (2, 1);
/// ProbeBW's pacing gains, one phase per min RTT (Linux's
/// `bbr_pacing_gain`).
pub const BBR_PACING_GAIN_CYCLE: [Gain; 8] = [(5, 4), (3, 4), (1, 1), (1, 1), (1, 1), (1, 1), (1, 1), (1, 1)];
/// Linux starts ProbeBW at a random phase other than the drain (3/4) one;
/// the model starts at the first cruising phase, so a run needs no draw
/// (README, simplifications): probing comes after six round trips.
pub const BBR_CYCLE_START: usize = 2;
/// The bandwidth filter's window in round trips (Linux's `bbr_bw_rtts`).
pub const BBR_BW_FILTER_ROUNDS: usize = 10;
/// The min-RTT filter's window (Linux's `bbr_min_rtt_win_sec`).
pub const BBR_MIN_RTT_WINDOW: SimDuration = SimDuration::from_millis(10_000);
/// ProbeRTT holds the small window this long (Linux's
/// `bbr_probe_rtt_mode_ms`)...
pub const BBR_PROBE_RTT_DURATION: SimDuration = SimDuration::from_millis(200);
/// ...at four packets (Linux's `bbr_cwnd_min_target`), also the least
/// window BBR ever uses.
pub const BBR_MIN_PIPE_CWND_SEGMENTS: u64 = 4;
/// Startup ends when the bandwidth grew less than 25 % (Linux's
/// `bbr_full_bw_thresh`)...
pub const BBR_FULL_BW_GROWTH: Gain = (5, 4);
/// ...three rounds in a row (`bbr_full_bw_cnt`).
pub const BBR_FULL_BW_ROUNDS: u32 = 3;
/// The trace shows the pacing rate again once it moved by 1/8 of the
/// value it last showed.
pub const BBR_PACING_REPORT_STEP: u64 = 8;
/// Rates are kept in units per second × 2¹⁶, so a packet-counting sender
/// keeps a fraction of a packet per second.
const BW_SCALE: u32 = 16;
const NS_PER_S: u128 = 1_000_000_000;

/// BBR's state machine (draft §4.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BbrMode {
    Startup,
    Drain,
    ProbeBw,
    ProbeRtt,
}

impl BbrMode {
    pub fn name(self) -> &'static str {
        match self {
            BbrMode::Startup => "Startup",
            BbrMode::Drain => "Drain",
            BbrMode::ProbeBw => "ProbeBW",
            BbrMode::ProbeRtt => "ProbeRTT",
        }
    }
}

/// What the sender knew of itself when a segment (or a copy) left: the
/// delivery-rate draft's per-packet state (§3.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateStamp {
    /// Units delivered when it left.
    delivered: u64,
    /// When the last of those was delivered.
    delivered_time: SimTime,
    /// When the first packet of the flight it belongs to left.
    first_sent_time: SimTime,
    /// It left while the application had nothing more to send.
    app_limited: bool,
}

/// One delivery-rate sample: `delivered` units over `interval` (draft §3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateSample {
    pub delivered: u64,
    pub interval: SimDuration,
    /// The units delivered when the sample's packet left: a round trip
    /// ends when a packet sent after the round began is delivered.
    pub prior_delivered: u64,
    pub app_limited: bool,
}

impl RateSample {
    /// Units per second × 2¹⁶.
    fn rate(&self) -> u64 {
        let scaled = (self.delivered as u128) << BW_SCALE;
        (scaled * NS_PER_S / self.interval.0.max(1) as u128).min(u64::MAX as u128) as u64
    }
}

/// The sample an ACK is building: from the most recently sent packet it
/// delivered.
#[derive(Clone, Copy, Debug)]
struct Building {
    prior_delivered: u64,
    sent_at: SimTime,
    send_elapsed: SimDuration,
    ack_elapsed: SimDuration,
    app_limited: bool,
}

/// The connection's delivery counters (draft §3.1).
#[derive(Clone, Copy, Debug, Default)]
pub struct RateSampler {
    delivered: u64,
    delivered_time: SimTime,
    first_sent_time: SimTime,
    /// The delivered count at which the application-limited period ends
    /// (0: not limited).
    app_limited_until: u64,
    building: Option<Building>,
}

impl RateSampler {
    /// A segment (or a copy) leaves with `in_flight` units already out.
    pub fn on_send(&mut self, now: SimTime, in_flight: u64) -> RateStamp {
        if in_flight == 0 {
            // A new flight: its rate is timed from here (draft §3.2).
            self.first_sent_time = now;
            self.delivered_time = now;
        }
        RateStamp {
            delivered: self.delivered,
            delivered_time: self.delivered_time,
            first_sent_time: self.first_sent_time,
            app_limited: self.app_limited_until != 0,
        }
    }

    /// A segment of `units`, last sent at `sent_at` with `stamp`, is
    /// delivered (ACKed or SACKed for the first time).
    pub fn on_delivered(&mut self, now: SimTime, units: u64, sent_at: SimTime, stamp: &RateStamp) {
        self.delivered += units;
        self.delivered_time = now;
        let newest = self.building.is_none_or(|b| sent_at >= b.sent_at);
        if newest {
            self.building = Some(Building {
                prior_delivered: stamp.delivered,
                sent_at,
                send_elapsed: sent_at.since(stamp.first_sent_time),
                ack_elapsed: now.since(stamp.delivered_time),
                app_limited: stamp.app_limited,
            });
            self.first_sent_time = sent_at;
        }
    }

    /// The sender has nothing more to send and room in its window (draft
    /// §3.4): samples until this flight is delivered may show the
    /// application's rate, not the path's.
    pub fn on_app_limited(&mut self, in_flight: u64) {
        self.app_limited_until = (self.delivered + in_flight).max(1);
    }

    /// The ACK's sample, if it has a valid one (draft §3.3): over the
    /// longer of the send and ACK intervals, and not shorter than the min
    /// RTT (a shorter one is an ACK compression artefact).
    pub fn generate(&mut self, min_rtt: Option<SimDuration>) -> Option<RateSample> {
        if self.app_limited_until != 0 && self.delivered > self.app_limited_until {
            self.app_limited_until = 0;
        }
        let b = self.building.take()?;
        let interval = b.send_elapsed.max(b.ack_elapsed);
        if min_rtt.is_some_and(|m| interval < m) || interval == SimDuration::ZERO {
            return None;
        }
        Some(RateSample {
            delivered: self.delivered - b.prior_delivered,
            interval,
            prior_delivered: b.prior_delivered,
            app_limited: b.app_limited,
        })
    }

    pub fn delivered(&self) -> u64 {
        self.delivered
    }
}

/// What recovery did on this ACK, as BBR sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryStep {
    None,
    /// Fast recovery began: conserve packets for a round.
    Entered,
    /// Recovery (fast, or after a timeout) ended: the window from before
    /// it comes back.
    Exited,
}

/// One ACK as BBR sees it.
#[derive(Clone, Copy, Debug)]
pub struct BbrAck {
    pub now: SimTime,
    /// The sender's window now, in units.
    pub cwnd: u64,
    /// Units newly delivered (ACKed or SACKed).
    pub delivered: u64,
    /// Units newly taken for lost.
    pub lost: u64,
    /// The flight before the ACK and after it.
    pub prior_in_flight: u64,
    pub in_flight: u64,
    pub rtt: Option<SimDuration>,
    pub sample: Option<RateSample>,
    pub recovery: RecoveryStep,
    /// A full segment, in units, and bytes per unit.
    pub one: u64,
    pub bytes_per_unit: u64,
}

/// A change of mode, for the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BbrChange {
    pub from: BbrMode,
    pub to: BbrMode,
}

/// BBR's state (draft §4).
#[derive(Clone, Debug)]
pub struct Bbr {
    pub mode: BbrMode,
    pub sampler: RateSampler,
    /// The largest sample of each of the last ten rounds, by round number.
    bw_by_round: [u64; BBR_BW_FILTER_ROUNDS],
    /// The round of the newest sample in the filter: slots age only when a
    /// sample comes in (as Linux's `minmax`), not through rounds without
    /// one, so a long application-limited stretch keeps the estimate.
    bw_round: u64,
    round_count: u64,
    next_round_delivered: u64,
    round_start: bool,
    /// RTprop: the min RTT of the last ten seconds, and when it was taken.
    pub min_rtt: Option<SimDuration>,
    min_rtt_stamp: SimTime,
    /// Bytes per second; 0 until the first packet.
    pub pacing_rate: u64,
    pacing_gain: Gain,
    cwnd_gain: Gain,
    pub filled_pipe: bool,
    full_bw: u64,
    full_bw_count: u32,
    cycle_index: usize,
    cycle_stamp: SimTime,
    probe_rtt_done: Option<SimTime>,
    probe_rtt_round_done: bool,
    prior_cwnd: u64,
    packet_conservation: bool,
    /// In a recovery (fast, or after a timeout), as Linux's
    /// `prev_ca_state >= TCP_CA_Recovery`.
    in_recovery: bool,
    /// ProbeRTT ended: the window from before it comes back on the next ACK.
    restore_cwnd: bool,
    /// Sending restarted from idle while application-limited: no ProbeRTT
    /// until an ACK delivers data (Linux's `idle_restart`).
    pub idle_restart: bool,
    initial_cwnd: u64,
    /// The pacing rate the trace last showed (0: none yet).
    reported_pacing: u64,
}

impl Bbr {
    pub fn new(initial_cwnd: u64) -> Self {
        Bbr {
            mode: BbrMode::Startup,
            sampler: RateSampler::default(),
            bw_by_round: [0; BBR_BW_FILTER_ROUNDS],
            bw_round: 0,
            round_count: 0,
            next_round_delivered: 0,
            round_start: false,
            min_rtt: None,
            min_rtt_stamp: SimTime(0),
            pacing_rate: 0,
            pacing_gain: BBR_HIGH_GAIN,
            cwnd_gain: BBR_HIGH_GAIN,
            filled_pipe: false,
            full_bw: 0,
            full_bw_count: 0,
            cycle_index: BBR_CYCLE_START,
            cycle_stamp: SimTime(0),
            probe_rtt_done: None,
            probe_rtt_round_done: false,
            prior_cwnd: 0,
            packet_conservation: false,
            in_recovery: false,
            restore_cwnd: false,
            idle_restart: false,
            initial_cwnd,
            reported_pacing: 0,
        }
    }

    /// BtlBw: the largest delivery rate of the last ten rounds, units per
    /// second × 2¹⁶.
    fn btl_bw(&self) -> u64 {
        self.bw_by_round.iter().copied().max().unwrap_or(0)
    }

    /// The bottleneck bandwidth estimate in bytes per second.
    pub fn bandwidth_bytes_per_s(&self, bytes_per_unit: u64) -> u64 {
        ((self.btl_bw() as u128 * bytes_per_unit as u128) >> BW_SCALE) as u64
    }

    /// BDP × `gain` in units, rounded up; the initial window while there
    /// is no estimate (Linux's `bbr_bdp`).
    fn bdp(&self, gain: Gain) -> u64 {
        let Some(min_rtt) = self.min_rtt else { return self.initial_cwnd };
        if self.btl_bw() == 0 {
            return self.initial_cwnd;
        }
        let scaled = self.btl_bw() as u128 * min_rtt.0 as u128 * gain.0 as u128;
        (scaled.div_ceil(NS_PER_S * gain.1 as u128)).div_ceil(1 << BW_SCALE) as u64
    }

    /// The flight BBR aims at for `gain`: BDP × gain plus three send quanta
    /// (the draft's BBRInflight, Linux's `bbr_inflight` with its
    /// quantization budget).
    fn inflight(&self, gain: Gain, one: u64, bytes_per_unit: u64) -> u64 {
        self.bdp(gain) + 3 * self.send_quantum(one, bytes_per_unit)
    }

    /// The trace's record of a change of mode, with the model now.
    #[cfg(feature = "cubic")]
    pub fn mode_event(
        &self,
        conn: ConnId,
        side: Side,
        change: BbrChange,
        bytes_per_unit: u64,
        cwnd_bytes: u64,
    ) -> EventKind {
        EventKind::BbrModeChanged {
            conn,
            side,
            from: change.from,
            to: change.to,
            bandwidth_bytes_per_s: self.bandwidth_bytes_per_s(bytes_per_unit),
            min_rtt: self.min_rtt.unwrap_or(SimDuration::ZERO),
            pacing_bytes_per_s: self.pacing_rate,
            cwnd_bytes,
        }
    }

    /// The pacing rate, when it moved by an eighth or more since the trace
    /// last showed it (so a chart can draw it with a few events per round
    /// trip at most, not one per ACK).
    pub fn pacing_report(&mut self) -> Option<u64> {
        let (now, shown) = (self.pacing_rate, self.reported_pacing);
        if now == 0 || (shown != 0 && now.abs_diff(shown) * BBR_PACING_REPORT_STEP < shown) {
            return None;
        }
        self.reported_pacing = now;
        Some(now)
    }

    /// The trace's record of the pacing rate, with the bandwidth it is a
    /// gain of.
    #[cfg(feature = "cubic")]
    pub fn pacing_event(&self, conn: ConnId, side: Side, bytes_per_unit: u64) -> EventKind {
        EventKind::BbrPacing {
            conn,
            side,
            mode: self.mode,
            pacing_bytes_per_s: self.pacing_rate,
            bandwidth_bytes_per_s: self.bandwidth_bytes_per_s(bytes_per_unit),
        }
    }

    /// Before the first ACK: pace the initial window over the handshake's
    /// RTT (1 ms without one) at Startup's gain (draft §4.2.1).
    pub fn init_pacing(&mut self, cwnd: u64, srtt: Option<SimDuration>, bytes_per_unit: u64) {
        if self.pacing_rate != 0 {
            return;
        }
        let rtt = srtt.unwrap_or(SimDuration::from_millis(1)).0.max(1) as u128;
        let bytes = (cwnd * bytes_per_unit) as u128 * NS_PER_S / rtt;
        self.pacing_rate = (bytes * BBR_HIGH_GAIN.0 as u128 / BBR_HIGH_GAIN.1 as u128) as u64;
    }

    /// How long a packet of `wire_bytes` occupies the pacing clock.
    pub fn pacing_gap(&self, wire_bytes: u64) -> SimDuration {
        if self.pacing_rate == 0 {
            return SimDuration::ZERO;
        }
        SimDuration((wire_bytes as u128 * NS_PER_S / self.pacing_rate as u128) as u64)
    }

    /// A retransmission timeout: the window the sender kept is remembered
    /// (restored when recovery ends) and the rounds start over, as Linux's
    /// `bbr_set_state(TCP_CA_Loss)`.
    pub fn on_timeout(&mut self, cwnd: u64) {
        self.save_cwnd(cwnd);
        self.in_recovery = true;
        self.full_bw = 0;
        self.round_start = true;
        self.packet_conservation = false;
    }

    /// Linux's `bbr_save_cwnd`: the window before a recovery or ProbeRTT;
    /// within one, the larger of the two.
    fn save_cwnd(&mut self, cwnd: u64) {
        self.prior_cwnd = if !self.in_recovery && self.mode != BbrMode::ProbeRtt {
            cwnd
        } else {
            self.prior_cwnd.max(cwnd)
        };
    }

    /// Sending starts again with nothing in flight: if the application had
    /// nothing to send, no ProbeRTT until data is delivered again.
    pub fn on_idle_restart(&mut self) {
        if self.sampler.app_limited_until != 0 {
            self.idle_restart = true;
        }
    }

    /// Updates the model and the mode from one ACK (draft §4.5
    /// BBRUpdateOnACK) and returns the new window, and the mode change if
    /// there was one.
    pub fn on_ack(&mut self, a: BbrAck) -> (u64, Option<BbrChange>) {
        let before = self.mode;
        self.update_bandwidth(&a);
        self.check_cycle_phase(&a);
        self.check_full_pipe(&a);
        self.check_drain(&a);
        self.update_min_rtt(&a);
        self.check_probe_rtt(&a);
        self.set_pacing_rate(a.bytes_per_unit);
        let cwnd = self.set_cwnd(&a);
        let change = (self.mode != before).then_some(BbrChange { from: before, to: self.mode });
        (cwnd, change)
    }

    /// Rounds and the windowed max filter (draft §4.1.1).
    fn update_bandwidth(&mut self, a: &BbrAck) {
        self.round_start = false;
        let Some(rs) = a.sample else { return };
        if rs.prior_delivered >= self.next_round_delivered {
            self.next_round_delivered = self.sampler.delivered();
            self.round_count += 1;
            self.round_start = true;
            self.packet_conservation = false;
        }
        let rate = rs.rate();
        // An application-limited sample counts only if it beats the
        // estimate (it shows at least that much).
        if !rs.app_limited || rate >= self.btl_bw() {
            let rounds = BBR_BW_FILTER_ROUNDS as u64;
            // The rounds since the newest sample leave the window now.
            let stale = (self.round_count - self.bw_round).min(rounds);
            for r in (self.round_count + 1 - stale)..=self.round_count {
                self.bw_by_round[(r % rounds) as usize] = 0;
            }
            self.bw_round = self.round_count;
            let slot = &mut self.bw_by_round[(self.round_count % rounds) as usize];
            *slot = (*slot).max(rate);
        }
    }

    /// Startup is done once three rounds in a row grew the bandwidth by
    /// less than 25 % (draft §4.3.2.2).
    fn check_full_pipe(&mut self, a: &BbrAck) {
        if self.filled_pipe || !self.round_start || a.sample.is_none_or(|s| s.app_limited) {
            return;
        }
        let bw = self.btl_bw();
        if bw as u128 * BBR_FULL_BW_GROWTH.1 as u128 >= self.full_bw as u128 * BBR_FULL_BW_GROWTH.0 as u128 {
            self.full_bw = bw;
            self.full_bw_count = 0;
            return;
        }
        self.full_bw_count += 1;
        if self.full_bw_count >= BBR_FULL_BW_ROUNDS {
            self.filled_pipe = true;
        }
    }

    fn check_drain(&mut self, a: &BbrAck) {
        if self.mode == BbrMode::Startup && self.filled_pipe {
            self.mode = BbrMode::Drain;
            self.pacing_gain = BBR_DRAIN_GAIN;
            self.cwnd_gain = BBR_HIGH_GAIN;
        }
        if self.mode == BbrMode::Drain && a.in_flight <= self.inflight((1, 1), a.one, a.bytes_per_unit) {
            self.enter_probe_bw(a.now);
        }
    }

    fn enter_probe_bw(&mut self, now: SimTime) {
        self.mode = BbrMode::ProbeBw;
        self.cwnd_gain = BBR_CWND_GAIN;
        self.cycle_index = BBR_CYCLE_START;
        self.cycle_stamp = now;
        self.pacing_gain = BBR_PACING_GAIN_CYCLE[self.cycle_index];
    }

    /// ProbeBW's gain cycling (draft §4.3.4.4): a phase lasts one min RTT;
    /// the probe (5/4) also waits for its larger flight (or a loss), the
    /// drain (3/4) ends early once the flight is down to one BDP.
    fn check_cycle_phase(&mut self, a: &BbrAck) {
        if self.mode != BbrMode::ProbeBw {
            return;
        }
        let full_length = self.min_rtt.is_some_and(|m| a.now.since(self.cycle_stamp) > m);
        let gain = self.pacing_gain;
        let next = if gain.0 > gain.1 {
            full_length && (a.lost > 0 || a.prior_in_flight >= self.inflight(gain, a.one, a.bytes_per_unit))
        } else if gain.0 < gain.1 {
            full_length || a.prior_in_flight <= self.inflight((1, 1), a.one, a.bytes_per_unit)
        } else {
            full_length
        };
        if next {
            self.cycle_index = (self.cycle_index + 1) % BBR_PACING_GAIN_CYCLE.len();
            self.cycle_stamp = a.now;
            self.pacing_gain = BBR_PACING_GAIN_CYCLE[self.cycle_index];
        }
    }

    /// RTprop (draft §4.1.2): the smallest RTT, taken again once ten
    /// seconds old; and ProbeRTT (§4.3.5), entered when it expired: four
    /// packets until 200 ms and a round trip have passed (Linux's
    /// `bbr_update_min_rtt`).
    fn update_min_rtt(&mut self, a: &BbrAck) {
        // Not before the first sample (the stamp means nothing until then).
        let expired = self.min_rtt.is_some() && a.now.since(self.min_rtt_stamp) > BBR_MIN_RTT_WINDOW;
        if let Some(rtt) = a.rtt {
            if self.min_rtt.is_none_or(|m| rtt <= m || expired) {
                self.min_rtt = Some(rtt);
                self.min_rtt_stamp = a.now;
            }
        }
        if self.mode != BbrMode::ProbeRtt && expired && !self.idle_restart {
            self.save_cwnd(a.cwnd);
            self.mode = BbrMode::ProbeRtt;
            self.pacing_gain = (1, 1);
            self.cwnd_gain = (1, 1);
            self.probe_rtt_done = None;
        }
        if a.delivered > 0 {
            self.idle_restart = false;
        }
    }

    fn check_probe_rtt(&mut self, a: &BbrAck) {
        if self.mode != BbrMode::ProbeRtt {
            return;
        }
        // What ProbeRTT's four packets deliver says nothing of the path's
        // bandwidth (Linux marks it application-limited).
        self.sampler.on_app_limited(a.in_flight);
        let floor = BBR_MIN_PIPE_CWND_SEGMENTS * a.one;
        match self.probe_rtt_done {
            None if a.in_flight <= floor => {
                self.probe_rtt_done = Some(a.now + BBR_PROBE_RTT_DURATION);
                self.probe_rtt_round_done = false;
                self.next_round_delivered = self.sampler.delivered();
            }
            None => {}
            Some(done) => {
                if self.round_start {
                    self.probe_rtt_round_done = true;
                }
                if self.probe_rtt_round_done && a.now >= done {
                    self.min_rtt_stamp = a.now;
                    self.restore_cwnd = true;
                    if self.filled_pipe {
                        self.enter_probe_bw(a.now);
                    } else {
                        self.mode = BbrMode::Startup;
                        self.pacing_gain = BBR_HIGH_GAIN;
                        self.cwnd_gain = BBR_HIGH_GAIN;
                    }
                }
            }
        }
    }

    /// Pacing rate = gain × BtlBw; in Startup it only rises (draft
    /// §4.2.1).
    fn set_pacing_rate(&mut self, bytes_per_unit: u64) {
        if self.btl_bw() == 0 {
            return;
        }
        let bw = self.bandwidth_bytes_per_s(bytes_per_unit) as u128;
        let rate = (bw * self.pacing_gain.0 as u128 / self.pacing_gain.1 as u128) as u64;
        if self.filled_pipe || rate > self.pacing_rate {
            self.pacing_rate = rate;
        }
    }

    /// The draft's send quantum (§4.2.2), in units: one segment below
    /// 1.2 Mbit/s, two below 24 Mbit/s, else a millisecond's worth (at
    /// most 64 KB).
    fn send_quantum(&self, one: u64, bytes_per_unit: u64) -> u64 {
        let rate = self.pacing_rate;
        let bytes_per_segment = one * bytes_per_unit;
        if rate < 150_000 {
            one
        } else if rate < 3_000_000 {
            2 * one
        } else {
            let bytes = (rate / 1000).min(65_536).max(bytes_per_segment);
            bytes / bytes_per_unit
        }
    }

    /// The window (draft §4.2.3): gain × BDP plus three quanta; in a
    /// recovery's first round no more than delivered; never below four
    /// packets; four packets in ProbeRTT.
    fn set_cwnd(&mut self, a: &BbrAck) -> u64 {
        let floor = BBR_MIN_PIPE_CWND_SEGMENTS * a.one;
        let target = self.inflight(self.cwnd_gain, a.one, a.bytes_per_unit);
        let mut cwnd = a.cwnd;
        if a.lost > 0 {
            cwnd = cwnd.saturating_sub(a.lost).max(a.one);
        }
        match a.recovery {
            RecoveryStep::Entered => {
                self.save_cwnd(a.cwnd);
                self.in_recovery = true;
                self.packet_conservation = true;
                self.next_round_delivered = self.sampler.delivered();
                cwnd = a.in_flight + a.delivered.max(a.one);
            }
            RecoveryStep::Exited => {
                cwnd = cwnd.max(self.prior_cwnd);
                self.in_recovery = false;
                self.packet_conservation = false;
            }
            RecoveryStep::None => {}
        }
        if std::mem::take(&mut self.restore_cwnd) {
            cwnd = cwnd.max(self.prior_cwnd);
        }
        // As Linux's `bbr_set_cwnd`: an ACK that delivered nothing only
        // caps; a recovery's first round conserves packets, with no floor.
        if self.packet_conservation {
            cwnd = cwnd.max(a.in_flight + a.delivered);
        } else if a.delivered > 0 {
            if self.filled_pipe {
                cwnd = (cwnd + a.delivered).min(target);
            } else if cwnd < target || self.sampler.delivered() < self.initial_cwnd {
                cwnd += a.delivered;
            }
            cwnd = cwnd.max(floor);
        }
        if self.mode == BbrMode::ProbeRtt {
            cwnd = cwnd.min(floor);
        }
        cwnd
    }
}

#[cfg(test)]
#[path = "bbr_tests.rs"]
mod tests;
