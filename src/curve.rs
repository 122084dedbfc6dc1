//! The curve view's work, pure and tested natively: the sweep a link
//! draws, its runs as jobs for a pool of web workers (in an order that
//! shows the curve's shape early), the points as their runs come back, and
//! what a worker answers. The numbers are the engine's
//! ([`reuse_sim::sweep`]): a point here is what `reuse-cli sweep --link`
//! prints for the same link.
//!
//! The curve view itself is in the full build only (`components::curve`);
//! its workers are the export worker's module (`src/bin/reuse-export.rs`),
//! which answers the kinds [`RUN`] and [`CROSSOVERS`] with [`answer`].

use std::cell::RefCell;

use reuse_sim::permalink::{LinkError, Query};
use reuse_sim::sweep::{sweep_of_link, Bracket, Crossover, Point, Sweep, SweepSpec};

/// A worker's job kind: one run of one point (`body` = "VALUE K").
pub const RUN: &str = "sweep-run";
/// A worker's job kind: one crossover, refined by bisection from its
/// bracket (`body` = a [`Bracket`] as JSON); each bracket is its own job.
pub const CROSSOVERS: &str = "sweep-crossovers";

/// The sweep keys of a link fragment (`&sweep=rtt:10..500&points=…`, as
/// `permalink::ViewState::sweep` keeps them).
pub fn spec_of_keys(keys: &str) -> Result<SweepSpec, LinkError> {
    SweepSpec::from_query(&Query::parse(keys)?)?
        .ok_or_else(|| LinkError::new("sweep", "the link names nothing to sweep"))
}

/// Keys of a link that say how the page is viewed, not what is simulated.
const VIEW_KEYS: [&str; 9] = ["t", "z", "c", "wf", "closes", "cf", "embed", "autoplay", "views"];

/// The link without its view keys (playhead, zoom, ladder…): what a sweep
/// depends on, so that playback or a zoom neither redraws nor reruns it.
pub fn sweep_query(link: &str) -> String {
    let kept: Vec<&str> = link
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty() && !VIEW_KEYS.contains(&part.split('=').next().unwrap_or_default()))
        .collect();
    format!("?{}", kept.join("&"))
}

/// One run of one point: the point's index on the grid and the seed offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    pub point: usize,
    pub k: u32,
}

/// A sweep under way: its grid, its jobs and the runs back so far.
#[derive(Clone, Debug)]
pub struct CurveRun {
    pub sweep: Sweep,
    pub values: Vec<f64>,
    /// Every run of every point, coarse to fine (see [`coarse_to_fine`]),
    /// a point's runs together.
    pub jobs: Vec<Job>,
    /// Per point, per seed offset: each curve's metric once it is back.
    runs: Vec<Vec<Option<Vec<f64>>>>,
    back: usize,
}

impl CurveRun {
    /// The grid and jobs of a sweep, or why it cannot run (its field).
    pub fn new(sweep: Sweep) -> Result<CurveRun, reuse_sim::sweep::SweepError> {
        sweep.validate()?;
        let values = sweep.values();
        let counts = values.iter().map(|&v| sweep.runs_at(v)).collect::<Result<Vec<u32>, _>>()?;
        let jobs = coarse_to_fine(values.len())
            .into_iter()
            .flat_map(|point| (0..counts[point]).map(move |k| Job { point, k }))
            .collect();
        let runs = counts.iter().map(|&n| vec![None; n as usize]).collect();
        Ok(CurveRun { sweep, values, jobs, runs, back: 0 })
    }

    /// The worker's `body` for job `j`: the value (exactly, Rust's shortest
    /// round-trip text) and the seed offset.
    pub fn body(&self, j: usize) -> String {
        let job = self.jobs[j];
        format!("{} {}", self.values[job.point], job.k)
    }

    /// A worker's answer to job `j` (the JSON array [`answer`] gives).
    pub fn accept(&mut self, j: usize, text: &str) -> Result<(), String> {
        let job = *self.jobs.get(j).ok_or_else(|| format!("no job {j}"))?;
        let metrics: Vec<f64> =
            serde_json::from_str(text).map_err(|e| format!("a worker's answer could not be read: {e}"))?;
        if metrics.len() != self.sweep.series_count() {
            return Err(format!(
                "a worker answered {} values for {} curves",
                metrics.len(),
                self.sweep.series_count()
            ));
        }
        let slot = &mut self.runs[job.point][job.k as usize];
        if slot.is_none() {
            self.back += 1;
        }
        *slot = Some(metrics);
        Ok(())
    }

    /// Runs back and runs in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.back, self.jobs.len())
    }

    pub fn finished(&self) -> bool {
        self.back == self.jobs.len()
    }

    /// The points whose runs are all back, in grid order.
    pub fn points(&self) -> Vec<Point> {
        self.values
            .iter()
            .zip(&self.runs)
            .filter_map(|(&v, runs)| {
                let runs: Option<Vec<Vec<f64>>> = runs.iter().cloned().collect();
                runs.map(|runs| self.sweep.point_of(v, runs))
            })
            .collect()
    }

    /// How many points are complete.
    pub fn points_done(&self) -> usize {
        self.runs.iter().filter(|r| r.iter().all(Option::is_some)).count()
    }
}

/// The grid's indices, coarse to fine: both ends, the middle, the quarters,
/// and so on, so that the first answers already span the range.
pub fn coarse_to_fine(n: usize) -> Vec<usize> {
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    let mut push = |i: usize, order: &mut Vec<usize>| {
        if i < n && !seen[i] {
            seen[i] = true;
            order.push(i);
        }
    };
    if n == 0 {
        return order;
    }
    push(0, &mut order);
    push(n - 1, &mut order);
    // Breadth first over the gaps between points already taken.
    let mut gaps = std::collections::VecDeque::from([(0usize, n - 1)]);
    while let Some((a, b)) = gaps.pop_front() {
        if b > a + 1 {
            let m = a + (b - a) / 2;
            push(m, &mut order);
            gaps.push_back((a, m));
            gaps.push_back((m, b));
        }
    }
    order
}

thread_local! {
    /// The worker's last sweep, by its link: every job of a sweep names the
    /// same link, read once.
    static LAST: RefCell<Option<(String, Sweep)>> = const { RefCell::new(None) };
}

/// A worker's answer: to [`RUN`], the protocols' metric for one run as a
/// JSON array; to [`CROSSOVERS`], the crossover of the bracket in `body`
/// with its words ([`Described`], JSON).
pub fn answer(kind: &str, query: &str, body: &str) -> Result<String, String> {
    let sweep = LAST.with(|last| -> Result<Sweep, String> {
        let mut last = last.borrow_mut();
        if let Some((q, sweep)) = last.as_ref() {
            if q == query {
                return Ok(sweep.clone());
            }
        }
        let sweep = sweep_of_link(query)
            .map_err(|e| format!("{}: {}", e.key, e.reason))?
            .ok_or("the link names nothing to sweep")?;
        *last = Some((query.to_string(), sweep.clone()));
        Ok(sweep)
    })?;
    match kind {
        RUN => {
            let (value, k) = body.split_once(' ').ok_or("a run names a value and a seed")?;
            let value: f64 = value.parse().map_err(|_| format!("{value:?} is not a number"))?;
            let k: u32 = k.parse().map_err(|_| format!("{k:?} is not a seed offset"))?;
            let metrics = sweep.run(value, k).map_err(|e| e.to_string())?;
            serde_json::to_string(&metrics).map_err(|e| e.to_string())
        }
        CROSSOVERS => {
            let bracket: Bracket = serde_json::from_str(body).map_err(|e| e.to_string())?;
            let crossover = sweep.refine(&bracket, &|v| sweep.point(v)).map_err(|e| e.to_string())?;
            serde_json::to_string(&Described { text: sweep.describe(&crossover), crossover })
                .map_err(|e| e.to_string())
        }
        _ => Err(format!("a worker cannot do {kind:?}")),
    }
}

/// A crossover with its words, as a worker sends it back.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Described {
    pub crossover: Crossover,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "?v=1&p=textbook&show=10-11-2&sweep=rtt:20..200&points=5";
    /// HTTP/2 falls behind HTTP/1.1 on the lossy mobile page as loss grows
    /// (the CLI's crossover test).
    const CROSSING: &str = "?v=1&p=lossy-mobile&show=11-2&sweep=loss:0..5&points=6&seeds=5";

    #[test]
    fn the_sweep_query_drops_only_view_keys() {
        let link =
            "?v=1&p=textbook&rtt=80&show=10-2&c=10-1&wf=2&t=123.4&z=1-2&closes=1&cf=1&sweep=rtt&points=5";
        assert_eq!(sweep_query(link), "?v=1&p=textbook&rtt=80&show=10-2&sweep=rtt&points=5");
        assert_eq!(sweep_of_link(&sweep_query(link)).unwrap().unwrap().values().len(), 5);
    }

    #[test]
    fn the_order_takes_every_point_once_ends_first() {
        assert_eq!(coarse_to_fine(5), vec![0, 4, 2, 1, 3]);
        for n in 0..40 {
            let mut order = coarse_to_fine(n);
            if n >= 2 {
                assert_eq!(&order[..2], &[0, n - 1]);
            }
            order.sort_unstable();
            assert_eq!(order, (0..n).collect::<Vec<_>>(), "n = {n}");
        }
    }

    /// The workers' answers, put together, are the engine's points and
    /// crossovers for the same link: what `reuse-cli sweep --link` prints.
    #[test]
    fn answers_put_together_are_the_engines_points() {
        let sweep = sweep_of_link(LINK).unwrap().unwrap();
        let mut run = CurveRun::new(sweep.clone()).unwrap();
        assert_eq!(run.jobs.len(), 5, "no loss: one run a point");
        assert!(run.points().is_empty());
        for j in (0..run.jobs.len()).rev() {
            let text = answer(RUN, LINK, &run.body(j)).unwrap();
            run.accept(j, &text).unwrap();
        }
        assert!(run.finished());
        let expected: Vec<Point> = sweep.values().iter().map(|&v| sweep.point(v).unwrap()).collect();
        assert_eq!(run.points(), expected);
        assert_eq!(crossovers_from_workers(LINK, &run), sweep.crossovers(&expected).unwrap());
    }

    /// Each bracket refined in its own job gives the engine's crossovers.
    #[test]
    fn brackets_refined_apart_are_the_engines_crossovers() {
        let sweep = sweep_of_link(CROSSING).unwrap().unwrap();
        let mut run = CurveRun::new(sweep.clone()).unwrap();
        for j in 0..run.jobs.len() {
            let text = answer(RUN, CROSSING, &run.body(j)).unwrap();
            run.accept(j, &text).unwrap();
        }
        let found = crossovers_from_workers(CROSSING, &run);
        assert!(!found.is_empty(), "HTTP/2 and HTTP/1.1 cross under loss");
        assert_eq!(found, sweep.crossovers(&run.points()).unwrap());
    }

    fn crossovers_from_workers(link: &str, run: &CurveRun) -> Vec<Crossover> {
        run.sweep
            .brackets(&run.points())
            .iter()
            .map(|b| {
                let text = answer(CROSSOVERS, link, &serde_json::to_string(b).unwrap()).unwrap();
                serde_json::from_str::<Described>(&text).unwrap().crossover
            })
            .collect()
    }

    #[test]
    fn under_loss_a_point_waits_for_all_its_seeds() {
        let link = "?v=1&p=lossy-mobile&show=11-2&sweep=rtt:50..100&points=2&seeds=3";
        let mut run = CurveRun::new(sweep_of_link(link).unwrap().unwrap()).unwrap();
        assert_eq!(run.jobs.len(), 6);
        assert_eq!(run.jobs[..3].iter().map(|j| j.point).collect::<Vec<_>>(), vec![0, 0, 0]);
        for j in 0..2 {
            let text = answer(RUN, link, &run.body(j)).unwrap();
            run.accept(j, &text).unwrap();
        }
        assert_eq!((run.points_done(), run.progress()), (0, (2, 6)));
        let text = answer(RUN, link, &run.body(2)).unwrap();
        run.accept(2, &text).unwrap();
        let points = run.points();
        assert_eq!(points.len(), 1);
        assert_eq!(points[0], run.sweep.point(50.0).unwrap(), "the median over seeds 0..3");
    }

    /// A link with variants (the variants view's `var=`) sweeps one curve
    /// per variant, as `reuse-cli sweep --link` does.
    #[test]
    fn a_link_with_variants_sweeps_one_curve_per_variant() {
        let link = "?v=1&p=textbook&sweep=rtt:50..200&points=2\
                    &var=serial%3Aprotocol%3D1.0%2Ccl%3D1&var=pipelined%3Aprotocol%3D1.1%2Ccl%3D1%2Cpl%3D1";
        let sweep = sweep_of_link(link).unwrap().unwrap();
        let mut run = CurveRun::new(sweep.clone()).unwrap();
        assert_eq!(run.jobs.len(), 2, "no loss: one run a point");
        for j in 0..run.jobs.len() {
            let text = answer(RUN, link, &run.body(j)).unwrap();
            run.accept(j, &text).unwrap();
        }
        assert!(run.accept(0, "[1,2,3]").is_err(), "three values for two variants");
        let points = run.points();
        assert_eq!(points, vec![sweep.point(50.0).unwrap(), sweep.point(200.0).unwrap()]);
        // K&R: non-persistent serial pays 2(N + 1) round trips, pipelined 3;
        // their gap grows by 2(N + 1) − 3 round trips per unit of RTT.
        let n = sweep.scenario.requests.len() as f64 - 1.0;
        let gap = |p: &Point| p.stats[0].median - p.stats[1].median;
        let slope = (gap(&points[1]) - gap(&points[0])) / 150.0;
        assert!((slope - (2.0 * (n + 1.0) - 3.0)).abs() < 0.01, "gap grows {slope} per ms of RTT");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(spec_of_keys("&sweep=speed").unwrap_err().reason.contains("unknown parameter"));
        assert_eq!(spec_of_keys("&points=3").unwrap_err().key, "sweep");
        assert!(answer(RUN, "?v=1&p=textbook", "10 0").is_err());
        assert!(answer(RUN, LINK, "ten 0").is_err());
        assert!(answer("draw", LINK, "").is_err());
        let mut run = CurveRun::new(sweep_of_link(LINK).unwrap().unwrap()).unwrap();
        assert!(run.accept(0, "[1]").is_err(), "one value for three protocols");
        assert!(run.accept(99, "[1,2,3]").is_err());
        let bad = sweep_of_link("?v=1&p=textbook&sweep=loss:0..90").unwrap().unwrap();
        assert_eq!(CurveRun::new(bad).unwrap_err().field, "param");
    }
}
