//! A sweep in a link: the scenario's keys ([`crate::permalink`]) plus
//!
//! `sweep=PARAM:FROM..TO` (`sweep=rtt:10..500`; `sweep=rtt` alone takes the
//! parameter's suggested range), `points=N`, `log=1`, `seeds=N` and
//! `metric=NAME`, each optional but `sweep`. The web app's curve view, its
//! workers and `reuse-cli sweep --link` read a sweep here, so a link draws
//! the same curve everywhere.

use super::{Metric, Param, Sweep};
use crate::permalink::{self, LinkError, Query};
use crate::time::decimal;

/// Points a sweep has unless the link or `--points` says.
pub const DEFAULT_POINTS: usize = 20;
/// Seeds a lossy point takes the median of unless the link or `--seeds` says.
pub const DEFAULT_SEEDS: u32 = 10;

/// What a sweep varies and measures, without its scenario: the part of a
/// [`Sweep`] a link's sweep keys carry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepSpec {
    pub param: Param,
    pub from: f64,
    pub to: f64,
    pub points: usize,
    pub log: bool,
    pub seeds: u32,
    pub metric: Metric,
}

impl Param {
    /// A range that shows the parameter's effect on the presets: `(from,
    /// to, log)`. Bandwidth and object size span decades, so a log axis.
    pub fn suggested_range(self) -> (f64, f64, bool) {
        match self {
            Param::Rtt => (10.0, 500.0, false),
            Param::Bandwidth => (1.0, 100.0, true),
            Param::Loss => (0.0, 5.0, false),
            Param::Objects => (1.0, 100.0, false),
            Param::ObjectSize => (1.0, 1000.0, true),
            Param::KeepAlive => (0.0, 20_000.0, false),
            Param::Gap => (0.0, 10_000.0, false),
            Param::InitialWindow => (1.0, 40.0, false),
            Param::ConnectionLimit => (1.0, 8.0, false),
        }
    }
}

impl SweepSpec {
    /// The parameter over its suggested range, with the default grid, seeds
    /// and page load as the metric.
    pub fn new(param: Param) -> SweepSpec {
        let (from, to, log) = param.suggested_range();
        SweepSpec {
            param,
            from,
            to,
            points: DEFAULT_POINTS,
            log,
            seeds: DEFAULT_SEEDS,
            metric: Metric::PageLoad,
        }
    }

    /// The sweep of a scenario (and the protocols to draw).
    pub fn sweep(&self, scenario: crate::Scenario, protocols: Vec<crate::Protocol>) -> Sweep {
        Sweep {
            scenario,
            param: self.param,
            from: self.from,
            to: self.to,
            points: self.points,
            log: self.log,
            protocols,
            variants: Vec::new(),
            seeds: self.seeds,
            metric: self.metric,
        }
    }

    /// The link's sweep keys: `&sweep=…` and each key that is not its
    /// default, to append to the scenario's query.
    pub fn keys(&self) -> String {
        let mut q = format!("&sweep={}:{}..{}", self.param.key(), decimal(self.from), decimal(self.to));
        if self.points != DEFAULT_POINTS {
            q.push_str(&format!("&points={}", self.points));
        }
        if self.log {
            q.push_str("&log=1");
        }
        if self.seeds != DEFAULT_SEEDS {
            q.push_str(&format!("&seeds={}", self.seeds));
        }
        if self.metric != Metric::PageLoad {
            q.push_str("&metric=");
            q.push_str(self.metric.key());
        }
        q
    }

    /// The sweep keys of a parsed query; `Ok(None)` without `sweep`. A bad
    /// value is a [`LinkError`] naming its key.
    pub fn from_query(q: &Query) -> Result<Option<SweepSpec>, LinkError> {
        let Some(sweep) = q.get("sweep") else { return Ok(None) };
        let (name, range) = match sweep.split_once(':') {
            Some((name, range)) => (name, Some(range)),
            None => (sweep, None),
        };
        let param = Param::parse(name.trim()).ok_or_else(|| {
            let known: Vec<&str> = Param::ALL.iter().map(|p| p.key()).collect();
            LinkError::new("sweep", format!("unknown parameter \"{name}\" (one of {})", known.join(", ")))
        })?;
        let mut spec = SweepSpec::new(param);
        if let Some(range) = range {
            let (from, to) = range.split_once("..").ok_or_else(|| {
                LinkError::new("sweep", format!("the range must be FROM..TO, e.g. {}:10..500", param.key()))
            })?;
            let number = |t: &str| {
                t.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| LinkError::new("sweep", format!("\"{t}\" is not a number")))
            };
            spec.from = number(from)?;
            spec.to = number(to)?;
            // A range given without `log=` is linear, whatever the suggestion.
            spec.log = false;
        }
        spec.points = whole(q, "points")?.unwrap_or(spec.points);
        if let Some(v) = q.get("log") {
            spec.log = permalink::flag("log", v)?;
        }
        spec.seeds = whole(q, "seeds")?.unwrap_or(spec.seeds);
        if let Some(v) = q.get("metric") {
            spec.metric = Metric::parse(v.trim()).ok_or_else(|| {
                let known: Vec<&str> = Metric::ALL.iter().map(|m| m.key()).collect();
                LinkError::new("metric", format!("unknown metric \"{v}\" (one of {})", known.join(", ")))
            })?;
        }
        Ok(Some(spec))
    }
}

/// A whole number at `key`, if the link gives one.
fn whole<T: std::str::FromStr>(q: &Query, key: &'static str) -> Result<Option<T>, LinkError> {
    q.get(key)
        .map(|v| v.trim().parse().map_err(|_| LinkError::new(key, format!("\"{v}\" is not a whole number"))))
        .transpose()
}

/// The sweep a link draws: its scenario with its sweep keys, one curve per
/// variant when the link has them (`var=`, the variants view: each names
/// its protocol), else one per shown protocol. `Ok(None)`: the link has no
/// `sweep` key. The sweep is not yet validated ([`Sweep::validate`] names
/// the field at fault).
pub fn sweep_of_link(link: &str) -> Result<Option<Sweep>, LinkError> {
    let q = Query::parse(permalink::query_of(link))?;
    let Some(spec) = SweepSpec::from_query(&q)? else { return Ok(None) };
    let (scenario, protocols) = permalink::scenario_of(link)?;
    let variants = crate::variant::variants_of_query(&q)?;
    if variants.is_empty() {
        return Ok(Some(spec.sweep(scenario, protocols)));
    }
    let mut sweep = spec.sweep(scenario, Vec::new());
    sweep.variants = variants;
    Ok(Some(sweep))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(query: &str) -> Result<Option<SweepSpec>, LinkError> {
        SweepSpec::from_query(&Query::parse(query).unwrap())
    }

    #[test]
    fn keys_read_back_as_they_were_written() {
        let mut s = SweepSpec::new(Param::Loss);
        assert_eq!(s.keys(), "&sweep=loss:0..5");
        s.points = 50;
        s.seeds = 20;
        s.metric = Metric::Retransmissions;
        s.to = 2.5;
        for spec_in in [s, SweepSpec::new(Param::Bandwidth), SweepSpec::new(Param::Gap)] {
            let query = format!("?v=1&p=textbook{}", spec_in.keys());
            assert_eq!(spec(&query), Ok(Some(spec_in)), "{query}");
        }
    }

    #[test]
    fn a_bare_parameter_takes_its_suggested_range() {
        let s = spec("?v=1&p=textbook&sweep=bw").unwrap().unwrap();
        assert_eq!((s.from, s.to, s.log), (1.0, 100.0, true));
        assert_eq!((s.points, s.seeds, s.metric), (DEFAULT_POINTS, DEFAULT_SEEDS, Metric::PageLoad));
        // A range of its own is linear unless `log=1` says.
        let s = spec("?sweep=bw:2..50").unwrap().unwrap();
        assert_eq!((s.from, s.to, s.log), (2.0, 50.0, false));
        assert_eq!(spec("?v=1&p=textbook"), Ok(None));
    }

    #[test]
    fn bad_keys_are_named() {
        for (query, key, words) in [
            ("?sweep=speed", "sweep", "unknown parameter \"speed\""),
            ("?sweep=rtt:10-500", "sweep", "FROM..TO"),
            ("?sweep=rtt:ten..500", "sweep", "\"ten\" is not a number"),
            ("?sweep=rtt&points=many", "points", "whole number"),
            ("?sweep=rtt&seeds=-1", "seeds", "whole number"),
            ("?sweep=rtt&log=yes", "log", "neither 0 nor 1"),
            ("?sweep=rtt&metric=speed", "metric", "unknown metric"),
        ] {
            let e = spec(query).unwrap_err();
            assert_eq!(e.key, key, "{query}");
            assert!(e.reason.contains(words), "{query}: {}", e.reason);
        }
    }

    #[test]
    fn a_link_gives_the_scenario_and_protocols_it_shows() {
        let sweep =
            sweep_of_link("?v=1&p=modern-page&loss=1&show=11-2&sweep=rtt:20..200&points=5").unwrap().unwrap();
        assert_eq!(sweep.protocols, vec![crate::Protocol::Http11, crate::Protocol::H2]);
        assert_eq!(sweep.scenario.network.loss_rate, 0.01);
        assert_eq!(sweep.values(), vec![20.0, 65.0, 110.0, 155.0, 200.0]);
        assert!(sweep.validate().is_ok());
        assert_eq!(sweep_of_link("?v=1&p=modern-page").unwrap().map(|s| s.param), None);
    }

    #[test]
    fn a_link_with_variants_draws_one_curve_per_variant() {
        let link = "?v=1&p=textbook&sweep=rtt:20..200&points=3\
                    &var=serial%3Aprotocol%3D1.0%2Ccl%3D1&var=persistent%3Aprotocol%3D1.1%2Ccl%3D1\
                    &var=pipelined%3Aprotocol%3D1.1%2Ccl%3D1%2Cpl%3D1";
        let sweep = sweep_of_link(link).unwrap().unwrap();
        assert!(sweep.protocols.is_empty(), "variants name their protocols");
        assert_eq!(sweep.series_count(), 3);
        let labels: Vec<&str> = (0..3).map(|i| sweep.series_label(i)).collect();
        assert_eq!(labels, ["serial", "persistent", "pipelined"]);
        assert!(sweep.validate().is_ok());
        // K&R on the textbook page (base + N objects, one connection, no
        // loss): non-persistent 2(N + 1) RTT, persistent N + 2, pipelined 3,
        // plus each object's transmission time, the same under all three.
        let n = sweep.scenario.requests.len() as f64 - 1.0;
        let rtt = 200.0;
        let run = sweep.run(rtt, 0).unwrap();
        let tx = run[2] - 3.0 * rtt;
        assert!(tx >= 0.0 && tx < rtt, "pipelined: 3 RTT plus transmission, got {}", run[2]);
        assert!((run[0] - (2.0 * (n + 1.0) * rtt + tx)).abs() < rtt / 2.0, "serial {run:?}");
        assert!((run[1] - ((n + 2.0) * rtt + tx)).abs() < rtt / 2.0, "persistent {run:?}");
    }
}
