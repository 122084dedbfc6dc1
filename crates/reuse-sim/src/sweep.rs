//! Sweeps: a scenario run over a range of one parameter, one metric per
//! protocol at every point, and the points where two protocols' curves cross,
//! refined by bisection rather than read off the grid. The curves may be
//! variants instead of protocols ([`Sweep::variants`], `reuse-cli sweep
//! --variant`): "non-persistent | persistent | pipelined" against RTT.
//!
//! Pure and single-threaded: a caller runs [`Sweep::point`] for each value
//! wherever it likes (`reuse-cli sweep` on every core with rayon) and hands
//! the points to [`Sweep::crossovers`]. A parameter is applied by the same
//! rules as the app's controls and the permalink ([`crate::edits`]), so a
//! point equals `reuse-cli run --link` at that value.
//!
//! Under loss a point is the median over `seeds` runs (seeds `seed`,
//! `seed + 1`, …) with the 10th and 90th percentiles; without loss every
//! seed gives the same run, so it runs once.

use std::fmt;

use serde::{Deserialize, Serialize};

mod axes;
mod link;

pub use axes::{Metric, Param};
pub use link::{sweep_of_link, SweepSpec, DEFAULT_POINTS, DEFAULT_SEEDS};

use crate::engine::{simulate_each, simulate_with_limits, Limits, SimError};
use crate::scenario::{Protocol, Scenario};
use crate::time::decimal;
use crate::variant::Variant;

/// Points a sweep may have.
pub const MAX_POINTS: usize = 1_000;
/// Seeds a point may take the median of.
pub const MAX_SEEDS: u32 = 1_000;
/// Bisection stops when a crossover's bracket is this share of the range
/// (on a log axis, of its logarithm): 0.01 % of it, far finer than a chart's
/// pixel, with about log2(10^4 / points) runs of a point per crossover.
const BISECTION_PRECISION: f64 = 1e-4;
/// And after this many steps whatever the bracket.
const BISECTION_STEPS: u32 = 30;

/// A bad sweep, naming the field (`param`, `points`, `seeds`, …) and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepError {
    pub field: &'static str,
    pub reason: String,
}

impl SweepError {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        SweepError { field, reason: reason.into() }
    }
}

impl fmt::Display for SweepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for SweepError {}

/// One protocol's value at one point: the median over the seeds and the
/// 10th and 90th percentiles (nearest rank; all three equal for one seed).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub median: f64,
    pub p10: f64,
    pub p90: f64,
    /// Runs behind it (1 without loss: every seed gives the same run).
    pub runs: u32,
}

impl Stat {
    fn of(mut samples: Vec<f64>) -> Stat {
        samples.sort_by(f64::total_cmp);
        let rank = |q: f64| samples[((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
        let n = samples.len();
        let median = if n % 2 == 1 { samples[n / 2] } else { (samples[n / 2 - 1] + samples[n / 2]) / 2.0 };
        Stat { median, p10: rank(0.1), p90: rank(0.9), runs: n as u32 }
    }
}

/// Every shown protocol's value at one value of the parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub value: f64,
    /// In the sweep's protocol order.
    pub stats: Vec<Stat>,
}

/// Where `a`'s curve crosses `b`'s: below `at` one is higher, above it the
/// other. `rising` is true when `a` is the higher one above `at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Crossover {
    /// The curves' protocols (a variant's own protocol).
    pub a: Protocol,
    pub b: Protocol,
    /// The curves, as indices into the sweep's series
    /// ([`Sweep::series_label`]): two variants may share a protocol.
    pub series: (usize, usize),
    /// The refined crossing (for a whole-number parameter, the first value
    /// at which the order has turned).
    pub at: f64,
    /// The bracket the bisection ended with.
    pub between: (f64, f64),
    pub rising: bool,
}

/// Two protocols' medians in a different order at two neighbouring grid
/// points: protocols `i` and `j` (indices into the sweep's protocols), and
/// at each end the value and the difference of their medians (i − j).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bracket {
    pub i: usize,
    pub j: usize,
    pub lo: (f64, f64),
    pub hi: (f64, f64),
}

/// A sweep: the scenario, the parameter's range and what to measure.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub scenario: Scenario,
    pub param: Param,
    pub from: f64,
    pub to: f64,
    pub points: usize,
    pub log: bool,
    /// The curves, one per protocol; empty when [`Sweep::variants`] are.
    pub protocols: Vec<Protocol>,
    /// Or one curve per variant (a protocol plus the controls' settings,
    /// applied to the scenario before the swept parameter), in order.
    pub variants: Vec<Variant>,
    pub seeds: u32,
    pub metric: Metric,
}

impl Sweep {
    /// How many curves: one per variant, else one per protocol.
    pub fn series_count(&self) -> usize {
        if self.variants.is_empty() {
            self.protocols.len()
        } else {
            self.variants.len()
        }
    }

    /// Curve `i`'s name: the variant's label, else the protocol's name.
    pub fn series_label(&self, i: usize) -> &str {
        match self.variants.get(i) {
            Some(v) => &v.label,
            None => self.protocols[i].as_str(),
        }
    }

    /// Curve `i`'s protocol (a variant's own, else the scenario's).
    pub fn series_protocol(&self, i: usize) -> Protocol {
        match self.variants.get(i) {
            Some(v) => v.protocol.unwrap_or(self.scenario.client.protocol),
            None => self.protocols[i],
        }
    }

    /// Each variant's scenario at `value`: the variant's settings on the
    /// sweep's scenario, then the parameter.
    fn variant_scenarios_at(&self, value: f64) -> Result<Vec<Scenario>, SweepError> {
        self.variants
            .iter()
            .map(|v| {
                let mut s = v
                    .apply(&self.scenario)
                    .map_err(|e| SweepError::new("variant", format!("{}: {}", v.label, e)))?;
                self.param.apply(&mut s, value)?;
                Ok(s)
            })
            .collect()
    }

    /// Checks the range and counts, and that both ends make a valid scenario.
    pub fn validate(&self) -> Result<(), SweepError> {
        if !(self.from.is_finite() && self.to.is_finite() && self.from < self.to) {
            return Err(SweepError::new(
                "param",
                format!(
                    "the range {}..{} must go from a number up to a larger one",
                    decimal(self.from),
                    decimal(self.to)
                ),
            ));
        }
        if self.log && self.from <= 0.0 {
            return Err(SweepError::new(
                "log",
                format!("a log axis needs a range above 0 (from {})", decimal(self.from)),
            ));
        }
        if !(2..=MAX_POINTS).contains(&self.points) {
            return Err(SweepError::new(
                "points",
                format!("must be 2 to {MAX_POINTS} (got {})", self.points),
            ));
        }
        if !(1..=MAX_SEEDS).contains(&self.seeds) {
            return Err(SweepError::new("seeds", format!("must be 1 to {MAX_SEEDS} (got {})", self.seeds)));
        }
        if !self.variants.is_empty() {
            return self.validate_variants();
        }
        if self.protocols.is_empty() {
            return Err(SweepError::new("protocol", "name at least one protocol"));
        }
        for (i, p) in self.protocols.iter().enumerate() {
            if self.protocols[..i].contains(p) {
                return Err(SweepError::new("protocol", format!("{} is named twice", p.as_str())));
            }
        }
        for end in [self.from, self.to] {
            self.scenario_at(end)?;
        }
        Ok(())
    }

    /// Variants instead of protocols: named once each, none setting the
    /// swept parameter (the sweep sets it), each valid at both ends.
    fn validate_variants(&self) -> Result<(), SweepError> {
        if !self.protocols.is_empty() {
            return Err(SweepError::new(
                "variant",
                "give protocols or variants, not both (a variant names its protocol)",
            ));
        }
        for (i, v) in self.variants.iter().enumerate() {
            if self.variants[..i].iter().any(|w| w.label == v.label) {
                return Err(SweepError::new("variant", format!("{:?} is named twice", v.label)));
            }
            if let Some((c, _)) = v.controls.iter().find(|(c, _)| Some(*c) == self.param.control()) {
                return Err(SweepError::new(
                    "variant",
                    format!("{}: sets {}, the parameter swept", v.label, c.key()),
                ));
            }
        }
        for end in [self.from, self.to] {
            self.variant_scenarios_at(end)?;
        }
        Ok(())
    }

    /// The grid: `points` values from `from` to `to`, evenly spaced (on a
    /// log axis, evenly in the logarithm); a count is rounded to a whole
    /// number and repeated values are dropped.
    pub fn values(&self) -> Vec<f64> {
        let n = self.points;
        let mut out: Vec<f64> = (0..n)
            .map(|i| {
                let t = i as f64 / (n - 1) as f64;
                let v = if self.log {
                    libm::exp(libm::log(self.from) + t * (libm::log(self.to) - libm::log(self.from)))
                } else {
                    self.from + t * (self.to - self.from)
                };
                // The ends exactly as given.
                let v = if i == 0 {
                    self.from
                } else if i == n - 1 {
                    self.to
                } else {
                    v
                };
                if self.param.whole() {
                    v.round()
                } else {
                    v
                }
            })
            .collect();
        out.dedup();
        out
    }

    /// Where `value` lies along the parameter's axis, 0 at `from` and 1 at
    /// `to` (in the logarithm on a log axis), for a chart.
    pub fn axis_share(&self, value: f64) -> f64 {
        if self.log {
            libm::log(value / self.from) / libm::log(self.to / self.from)
        } else {
            (value - self.from) / (self.to - self.from)
        }
    }

    /// The scenario at one value of the parameter.
    pub fn scenario_at(&self, value: f64) -> Result<Scenario, SweepError> {
        let mut s = self.scenario.clone();
        self.param.apply(&mut s, value)?;
        Ok(s)
    }

    /// Runs one point: every protocol, over the seeds when there is loss.
    pub fn point(&self, value: f64) -> Result<Point, SweepError> {
        let runs = (0..self.runs_at(value)?).map(|k| self.run(value, k)).collect::<Result<_, _>>()?;
        Ok(self.point_of(value, runs))
    }

    /// How many runs a point at `value` takes: `seeds` under loss, else one
    /// (every seed gives the same run).
    pub fn runs_at(&self, value: f64) -> Result<u32, SweepError> {
        let lossy = if self.variants.is_empty() {
            self.scenario_at(value)?.network.loss_rate > 0.0
        } else {
            self.variant_scenarios_at(value)?.iter().any(|s| s.network.loss_rate > 0.0)
        };
        Ok(if lossy { self.seeds } else { 1 })
    }

    /// The `k`-th run of a point (seed `seed + k`): each protocol's metric.
    /// A caller may run a point's runs in parallel and hand them, in `k`
    /// order, to [`Sweep::point_of`].
    pub fn run(&self, value: f64, k: u32) -> Result<Vec<f64>, SweepError> {
        if !self.variants.is_empty() {
            return self
                .variant_scenarios_at(value)?
                .into_iter()
                .map(|mut s| {
                    s.seed = s.seed.wrapping_add(u64::from(k));
                    let out = simulate_with_limits(&s, Limits::default())
                        .map_err(|e| run_error(self.param, value, e))?;
                    Ok(self.metric.of(&out.result))
                })
                .collect();
        }
        let mut s = self.scenario_at(value)?;
        s.seed = s.seed.wrapping_add(u64::from(k));
        let outputs = simulate_each(&s, &self.protocols, Limits::default())
            .map_err(|e| run_error(self.param, value, e))?;
        Ok(outputs.iter().map(|out| self.metric.of(&out.result)).collect())
    }

    /// A point from its runs (each as [`Sweep::run`] gives it).
    pub fn point_of(&self, value: f64, runs: Vec<Vec<f64>>) -> Point {
        let stats = (0..self.series_count()).map(|i| Stat::of(runs.iter().map(|r| r[i]).collect())).collect();
        Point { value, stats }
    }

    /// Every crossing of two protocols' medians between neighbouring grid
    /// points, refined by bisection (each step runs one more point).
    /// `points` must be this sweep's, in grid order.
    pub fn crossovers(&self, points: &[Point]) -> Result<Vec<Crossover>, SweepError> {
        self.crossovers_by(points, &|v| self.point(v))
    }

    /// [`Sweep::crossovers`], running each bisection step's point with
    /// `point` (which must give what [`Sweep::point`] gives, however it
    /// spreads the runs).
    pub fn crossovers_by(
        &self,
        points: &[Point],
        point: &dyn Fn(f64) -> Result<Point, SweepError>,
    ) -> Result<Vec<Crossover>, SweepError> {
        self.brackets(points).into_iter().map(|b| self.refine(&b, point)).collect()
    }

    /// Where two protocols' medians change order between neighbouring grid
    /// points, in protocol-pair then grid order: what [`Sweep::refine`]
    /// narrows to a crossover. Each refines on its own, so a caller may
    /// refine them in parallel (the web app's workers do).
    pub fn brackets(&self, points: &[Point]) -> Vec<Bracket> {
        let mut found = Vec::new();
        for i in 0..self.series_count() {
            for j in i + 1..self.series_count() {
                let diff = |p: &Point| p.stats[i].median - p.stats[j].median;
                // Ties are skipped: a crossing is where the order turns.
                let mut last: Option<(&Point, f64)> = None;
                for p in points {
                    let d = diff(p);
                    if d == 0.0 {
                        continue;
                    }
                    if let Some((q, dq)) = last {
                        if (dq > 0.0) != (d > 0.0) {
                            found.push(Bracket { i, j, lo: (q.value, dq), hi: (p.value, d) });
                        }
                    }
                    last = Some((p, d));
                }
            }
        }
        found
    }

    /// A bracket narrowed by bisection to a crossover, running each step's
    /// point with `point` (which must give what [`Sweep::point`] gives).
    pub fn refine(
        &self,
        bracket: &Bracket,
        point: &dyn Fn(f64) -> Result<Point, SweepError>,
    ) -> Result<Crossover, SweepError> {
        let Bracket { i, j, lo, hi } = *bracket;
        let width =
            if self.log { libm::log(self.to / self.from) } else { self.to - self.from } * BISECTION_PRECISION;
        let (lo, hi) = bisect(self.param.whole(), self.log, width, lo, hi, |x| {
            let p = point(x)?;
            Ok(p.stats[i].median - p.stats[j].median)
        })?;
        let at = if self.param.whole() { hi.0 } else { mid(self.log, lo.0, hi.0) };
        Ok(Crossover {
            a: self.series_protocol(i),
            b: self.series_protocol(j),
            series: (i, j),
            at,
            between: (lo.0, hi.0),
            rising: hi.1 > 0.0,
        })
    }

    /// A crossover in words: "h2 slower than http/1.1 above 2.1 % loss"
    /// (with variants, their labels).
    pub fn describe(&self, c: &Crossover) -> String {
        let (a, b) = (self.series_label(c.series.0), self.series_label(c.series.1));
        let (higher, lower) = if c.rising { (a, b) } else { (b, a) };
        let verb = if self.metric.is_time() { "slower than" } else { "higher than" };
        let metric = if self.metric == Metric::PageLoad {
            String::new()
        } else {
            format!(" ({})", self.metric.label())
        };
        // A count turns at a whole number ("from 7 objects"), a measure
        // somewhere past a value ("above 0.513 % loss").
        let (from, value) = if self.param.whole() {
            ("from", decimal(c.at))
        } else {
            ("above", crate::time::fixed(c.at, precision(c.at)))
        };
        let what = match self.param {
            Param::Loss => "loss",
            p => p.label(),
        };
        let unit = match self.param.unit() {
            "" => String::new(),
            unit => format!(" {unit}"),
        };
        format!("{higher} {verb} {lower}{metric} {from} {value}{unit} {what}")
    }
}

/// The middle of a bracket: arithmetic, or geometric on a log axis.
fn mid(log: bool, a: f64, b: f64) -> f64 {
    if log {
        (a * b).sqrt()
    } else {
        (a + b) / 2.0
    }
}

/// A value of the parameter and the difference of two curves there.
type Probe = (f64, f64);

/// Narrows a bracket `(x, diff(x))` whose ends' differences have opposite
/// signs until it is `width` wide (on a log axis, in the logarithm) or
/// [`BISECTION_STEPS`] halvings, or, for a whole-number parameter, until its
/// ends are neighbours. A tie at the middle counts with the low end (the
/// order turns above it). Returns the final ends.
fn bisect<E>(
    whole: bool,
    log: bool,
    width: f64,
    mut lo: Probe,
    mut hi: Probe,
    mut diff: impl FnMut(f64) -> Result<f64, E>,
) -> Result<(Probe, Probe), E> {
    for _ in 0..BISECTION_STEPS {
        let m = if whole {
            if hi.0 - lo.0 <= 1.0 {
                break;
            }
            ((lo.0 + hi.0) / 2.0).floor()
        } else {
            let span = if log { libm::log(hi.0 / lo.0) } else { hi.0 - lo.0 };
            if span <= width {
                break;
            }
            mid(log, lo.0, hi.0)
        };
        if m <= lo.0 || m >= hi.0 {
            break;
        }
        let d = diff(m)?;
        if d == 0.0 || (d > 0.0) == (lo.1 > 0.0) {
            lo = (m, if d == 0.0 { lo.1 } else { d });
        } else {
            hi = (m, d);
        }
    }
    Ok((lo, hi))
}

/// Decimals worth printing for a crossing at `v`: three significant digits.
fn precision(v: f64) -> u32 {
    let v = v.abs();
    if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else if v >= 1.0 {
        2
    } else {
        3
    }
}

fn run_error(param: Param, value: f64, e: SimError) -> SweepError {
    SweepError::new("param", format!("{param} = {}: {e}", decimal(value)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn sweep(param: Param, from: f64, to: f64, points: usize, log: bool) -> Sweep {
        Sweep {
            scenario: presets::find("textbook").expect("preset").scenario(),
            param,
            from,
            to,
            points,
            log,
            protocols: vec![Protocol::Http10, Protocol::Http11, Protocol::H2],
            variants: Vec::new(),
            seeds: 1,
            metric: Metric::PageLoad,
        }
    }

    #[test]
    fn every_param_and_metric_reads_back_from_its_name() {
        for p in Param::ALL {
            assert_eq!(Param::parse(p.key()), Some(p));
        }
        assert_eq!(Param::parse("bandwidth"), Some(Param::Bandwidth));
        assert_eq!(Param::parse("connections"), Some(Param::ConnectionLimit));
        assert_eq!(Param::parse("seed"), None);
        for m in Metric::ALL {
            assert_eq!(Metric::parse(m.key()), Some(m));
        }
    }

    #[test]
    fn the_grid_spans_the_range_evenly_or_evenly_in_the_logarithm() {
        assert_eq!(sweep(Param::Rtt, 10.0, 50.0, 5, false).values(), vec![10.0, 20.0, 30.0, 40.0, 50.0]);
        let log = sweep(Param::Rtt, 1.0, 1000.0, 4, true).values();
        let want = [1.0, 10.0, 100.0, 1000.0];
        assert!(log.iter().zip(want).all(|(v, w)| (v - w).abs() < 1e-9 * w), "{log:?}");
        // A count is whole, and a value repeated by rounding is run once.
        assert_eq!(sweep(Param::Objects, 1.0, 3.0, 5, false).values(), vec![1.0, 2.0, 3.0]);
    }

    #[test]
    fn a_bad_sweep_names_its_field() {
        let field = |s: Sweep| s.validate().expect_err("invalid").field;
        assert_eq!(field(sweep(Param::Rtt, 50.0, 10.0, 5, false)), "param");
        assert_eq!(field(sweep(Param::Rtt, 0.0, 10.0, 5, true)), "log");
        assert_eq!(field(sweep(Param::Rtt, 10.0, 50.0, 1, false)), "points");
        assert_eq!(field(sweep(Param::Loss, 0.0, 80.0, 5, false)), "param", "loss above 50 %");
        let mut s = sweep(Param::Rtt, 10.0, 50.0, 5, false);
        s.seeds = 0;
        assert_eq!(field(s), "seeds");
        let mut s = sweep(Param::Rtt, 10.0, 50.0, 5, false);
        s.protocols.push(Protocol::H2);
        assert_eq!(field(s), "protocol");
    }

    #[test]
    fn a_crossover_reads_as_a_sentence() {
        // Curves 1 and 2 of the sweep's [HTTP/1.0, HTTP/1.1, HTTP/2].
        let c = Crossover {
            a: Protocol::Http11,
            b: Protocol::H2,
            series: (1, 2),
            at: 7.0,
            between: (6.0, 7.0),
            rising: false,
        };
        assert_eq!(
            sweep(Param::Objects, 1.0, 20.0, 5, false).describe(&c),
            "h2 slower than http/1.1 from 7 objects"
        );
        let c = Crossover { at: 0.5129, rising: true, ..c };
        let mut s = sweep(Param::Loss, 0.0, 5.0, 5, false);
        assert_eq!(s.describe(&c), "http/1.1 slower than h2 above 0.513 % loss");
        s.metric = Metric::Retransmissions;
        assert_eq!(s.describe(&c), "http/1.1 higher than h2 (retransmissions) above 0.513 % loss");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let s = Stat::of((1..=10).rev().map(f64::from).collect());
        assert_eq!((s.p10, s.median, s.p90, s.runs), (1.0, 5.5, 9.0, 10));
        let one = Stat::of(vec![7.0]);
        assert_eq!((one.p10, one.median, one.p90), (7.0, 7.0, 7.0));
    }

    #[test]
    fn bisection_closes_on_a_known_crossing() {
        // d(x) = x − 2.7 on [0, 10], to a bracket of 0.001: 14 halvings
        // (10 / 2^14 = 0.0006), each running one point.
        let mut runs = 0;
        let (lo, hi) = bisect::<()>(false, false, 0.001, (0.0, -2.7), (10.0, 7.3), |x| {
            runs += 1;
            Ok(x - 2.7)
        })
        .unwrap();
        assert!(lo.0 <= 2.7 && 2.7 <= hi.0 && hi.0 - lo.0 <= 0.001, "{lo:?} {hi:?}");
        assert_eq!(runs, 14);
        // Whole numbers: the order turns between 6 and 7 for d(x) = x − 6.5.
        let (lo, hi) = bisect::<()>(true, false, 0.0, (1.0, -5.5), (40.0, 33.5), |x| Ok(x - 6.5)).unwrap();
        assert_eq!((lo.0, hi.0), (6.0, 7.0));
        // A log axis halves the logarithm: d(x) = ln(x / 50) on [1, 1000].
        let (lo, hi) = bisect::<()>(false, true, 1e-4, (1.0, -(50f64).ln()), (1000.0, 20f64.ln()), |x| {
            Ok((x / 50.0).ln())
        })
        .unwrap();
        assert!(lo.0 <= 50.0 && 50.0 <= hi.0 && hi.0 / lo.0 < 1.0001, "{lo:?} {hi:?}");
    }
}
