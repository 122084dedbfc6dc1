//! `reuse-cli sweep`: the engine's sweep ([`reuse_sim::sweep`]) with its
//! points run on every core (rayon), printed as a table, CSV or JSON. The
//! points come back in grid order whatever order they ran in, so the output
//! is the same on every machine.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use reuse_sim::permalink::{query_of, Query};
use reuse_sim::sweep::{Crossover, Point, Sweep, SweepError, SweepSpec};
use reuse_sim::Protocol;
use serde_json::{json, Map, Value};

use crate::args::{Source, SweepArgs, SweepFormat};
use crate::CliError;

/// The protocols a sweep shows unless `--protocol` or a link says: the
/// app's default set, the three over TCP.
const DEFAULT_PROTOCOLS: [Protocol; 3] = [Protocol::Http10, Protocol::Http11, Protocol::H2];

pub fn sweep_command(args: &SweepArgs) -> Result<String, CliError> {
    let loaded = crate::load_scenario(&args.run)?;
    // Variants are the curves when given (each names its protocol), by
    // flags or in the link.
    let variants = crate::variants_of(&args.run)?;
    let protocols = if !variants.is_empty() {
        Vec::new()
    } else if loaded.protocols.is_empty() {
        DEFAULT_PROTOCOLS.to_vec()
    } else {
        loaded.protocols
    };
    let mut sweep = spec_of(args)?.sweep(loaded.scenario, protocols);
    sweep.variants = variants;
    sweep.validate().map_err(input)?;
    // Every run of every point is one job, so seeds spread over the cores
    // as well as points; results come back in grid and seed order.
    let values = sweep.values();
    let jobs: Vec<(usize, u32)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| sweep.runs_at(v).map(|n| (0..n).map(move |k| (i, k))))
        .collect::<Result<Vec<_>, _>>()
        .map_err(input)?
        .into_iter()
        .flatten()
        .collect();
    let runs: Vec<Vec<f64>> =
        jobs.par_iter().map(|&(i, k)| sweep.run(values[i], k)).collect::<Result<_, _>>().map_err(input)?;
    let mut runs = runs.into_iter();
    let points: Vec<Point> = values
        .iter()
        .map(|&v| {
            let n = jobs.iter().filter(|(i, _)| values[*i] == v).count();
            sweep.point_of(v, runs.by_ref().take(n).collect())
        })
        .collect();
    let bisected = AtomicUsize::new(0);
    let crossovers = sweep
        .crossovers_by(&points, &|v| {
            bisected.fetch_add(1, Ordering::Relaxed);
            point_on_every_core(&sweep, v)
        })
        .map_err(input)?;
    let counts = Counts { grid_runs: jobs.len(), bisection_points: bisected.into_inner() };
    Ok(match args.format {
        SweepFormat::Text => text(&sweep, &points, &crossovers, counts),
        SweepFormat::Csv => reuse_render::curve_csv(&sweep, &points),
        SweepFormat::Svg => reuse_render::curve_svg_with(
            &sweep,
            &points,
            &crossovers,
            &reuse_render::RenderOptions { width_px: args.width_px },
        ),
        SweepFormat::Json => {
            let mut text = serde_json::to_string_pretty(&json_of(&sweep, &points, &crossovers, counts))
                .map_err(|e| CliError::Simulation(format!("output: cannot write JSON: {e}")))?;
            text.push('\n');
            text
        }
    })
}

/// The sweep the flags say, over what a link's sweep keys say.
fn spec_of(args: &SweepArgs) -> Result<SweepSpec, CliError> {
    let from_link = match &args.run.source {
        Source::Link(link) => {
            let q = Query::parse(query_of(link))
                .map_err(|e| CliError::input(format!("--link ({})", e.key), e.reason))?;
            SweepSpec::from_query(&q).map_err(|e| CliError::input(format!("--link ({})", e.key), e.reason))?
        }
        _ => None,
    };
    let mut spec =
        match (args.range, from_link) {
            (Some((param, from, to)), base) => {
                SweepSpec { param, from, to, log: false, ..base.unwrap_or_else(|| SweepSpec::new(param)) }
            }
            (None, Some(spec)) => spec,
            (None, None) => return Err(CliError::input(
                "--param",
                "missing; say what to sweep, e.g. --param rtt=10..500, or give a link with sweep=rtt:10..500",
            )),
        };
    spec.log |= args.log;
    spec.points = args.points.unwrap_or(spec.points);
    spec.seeds = args.seeds.unwrap_or(spec.seeds);
    spec.metric = args.metric.unwrap_or(spec.metric);
    Ok(spec)
}

/// What a sweep ran: seeded runs on the grid (each runs every protocol) and
/// points the bisection added.
#[derive(Clone, Copy)]
struct Counts {
    grid_runs: usize,
    bisection_points: usize,
}

/// One point with its runs spread over the cores.
fn point_on_every_core(sweep: &Sweep, value: f64) -> Result<Point, SweepError> {
    let runs =
        (0..sweep.runs_at(value)?).into_par_iter().map(|k| sweep.run(value, k)).collect::<Result<_, _>>()?;
    Ok(sweep.point_of(value, runs))
}

/// A sweep's problem, as the flag the user typed.
fn input(e: SweepError) -> CliError {
    CliError::input(format!("--{}", e.field), e.reason)
}

/// Whether any point took a median over several runs (there was loss).
fn seeded(points: &[Point]) -> bool {
    points.iter().any(|p| p.stats.iter().any(|s| s.runs > 1))
}

/// A value for people: about three significant digits.
fn short(v: f64) -> String {
    let a = v.abs();
    let decimals = if a >= 100.0 || v.fract() == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    reuse_sim::time::fixed(v, decimals)
}

fn axis(sweep: &Sweep) -> String {
    let unit = sweep.param.unit();
    if unit.is_empty() {
        sweep.param.key().to_string()
    } else {
        format!("{} ({unit})", sweep.param.key())
    }
}

fn text(sweep: &Sweep, points: &[Point], crossovers: &[Crossover], counts: Counts) -> String {
    let mut out = format!(
        "Sweep of {} ({}) from {} to {}{}: {} points, {}",
        sweep.param.label(),
        sweep.param.key(),
        short(sweep.from),
        short(sweep.to),
        if sweep.log { " on a log axis" } else { "" },
        points.len(),
        sweep.metric,
    );
    if seeded(points) {
        out.push_str(&format!(
            "; under loss the median of {} seeds, 10th–90th percentile in brackets",
            sweep.seeds
        ));
    }
    out.push('\n');
    let mut rows: Vec<Vec<String>> = vec![std::iter::once(axis(sweep))
        .chain((0..sweep.series_count()).map(|i| sweep.series_label(i).to_string()))
        .collect()];
    for p in points {
        let mut row = vec![short(p.value)];
        for s in &p.stats {
            row.push(if s.runs > 1 {
                format!("{} [{}–{}]", short(s.median), short(s.p10), short(s.p90))
            } else {
                short(s.median)
            });
        }
        rows.push(row);
    }
    let widths: Vec<usize> =
        (0..rows[0].len()).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    for row in &rows {
        let cells: Vec<String> =
            row.iter().zip(&widths).map(|(cell, w)| format!("{cell:>w$}", w = *w)).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "\nCrossovers (refined by bisection; {} more points after the grid's {} runs):\n",
        counts.bisection_points, counts.grid_runs
    ));
    if crossovers.is_empty() {
        out.push_str("  none: no two curves change order in this range\n");
    }
    for c in crossovers {
        // The bracket's ends with the digits that tell them apart.
        let width = c.between.1 - c.between.0;
        let digits = if width > 0.0 { (-width.log10()).ceil().clamp(0.0, 9.0) as u32 } else { 0 };
        out.push_str(&format!(
            "  {} (between {} and {})\n",
            sweep.describe(c),
            reuse_sim::time::fixed(c.between.0, digits),
            reuse_sim::time::fixed(c.between.1, digits)
        ));
    }
    out
}

fn json_of(sweep: &Sweep, points: &[Point], crossovers: &[Crossover], counts: Counts) -> Value {
    let points: Vec<Value> = points
        .iter()
        .map(|p| {
            // Keyed by protocol, or by label for variants (two may share a protocol).
            let mut by_series = Map::new();
            for (i, s) in p.stats.iter().enumerate() {
                by_series.insert(
                    sweep.series_label(i).to_string(),
                    json!({ "median": s.median, "p10": s.p10, "p90": s.p90, "runs": s.runs }),
                );
            }
            let key = if sweep.variants.is_empty() { "protocols" } else { "variants" };
            json!({ "value": p.value, key: by_series })
        })
        .collect();
    let crossovers: Vec<Value> = crossovers
        .iter()
        .map(|c| {
            let (a, b) = (sweep.series_label(c.series.0), sweep.series_label(c.series.1));
            json!({
                "a": a,
                "b": b,
                "at": c.at,
                "between": [c.between.0, c.between.1],
                "higher_above": if c.rising { a } else { b },
                "text": sweep.describe(c),
            })
        })
        .collect();
    json!({
        "scenario": sweep.scenario.name,
        "param": sweep.param.key(),
        "unit": sweep.param.unit(),
        "from": sweep.from,
        "to": sweep.to,
        "log": sweep.log,
        "metric": sweep.metric.key(),
        "seeds": sweep.seeds,
        "protocols": (0..sweep.series_count()).map(|i| sweep.series_protocol(i).as_str()).collect::<Vec<_>>(),
        "variants": sweep.variants.iter().map(|v| v.label.as_str()).collect::<Vec<_>>(),
        "points": points,
        "crossovers": crossovers,
        "grid_runs": counts.grid_runs,
        "bisection_points": counts.bisection_points,
    })
}
