//! `sweep`'s flags: the parameter and its range, the grid, the seeds, the
//! metric and the output form.

use super::*;

pub(super) fn parse_sweep(args: &[String]) -> Result<Command, CliError> {
    use reuse_sim::sweep::{Metric, Param, MAX_POINTS, MAX_SEEDS};
    let mut range: Option<(Param, f64, f64)> = None;
    let mut points = None;
    let mut log = false;
    let mut seeds = None;
    let mut metric = None;
    let mut format = SweepFormat::Text;
    let mut formats = 0;
    let mut width_px = reuse_render::DEFAULT_WIDTH_PX;
    let mut width_given = false;
    let mut variants = Vec::new();
    let mut run = parse_export(
        args,
        "sweep",
        "--preset NAME, --link LINK, --param NAME=FROM..TO, --points N, --log, --protocol P, --variant 'LABEL:key=value,...', --seeds N, --seed N, --metric M, --csv, --json, --svg and --width PX",
        &mut |name, parser| {
            match name {
                "--param" => range = Some(parse_param_range(&value(parser)?)?),
                "--points" => {
                    let text = value(parser)?;
                    points = match text.trim().parse::<usize>() {
                        Ok(n) if (2..=MAX_POINTS).contains(&n) => Some(n),
                        _ => return Err(CliError::input(name, format!("must be a whole number from 2 to {MAX_POINTS} (got {text:?})"))),
                    };
                }
                "--seeds" => {
                    let text = value(parser)?;
                    seeds = match text.trim().parse::<u32>() {
                        Ok(n) if (1..=MAX_SEEDS).contains(&n) => Some(n),
                        _ => return Err(CliError::input(name, format!("must be a whole number from 1 to {MAX_SEEDS} (got {text:?})"))),
                    };
                }
                "--metric" => {
                    let text = value(parser)?;
                    metric = Some(Metric::parse(text.trim()).ok_or_else(|| {
                        let known: Vec<&str> = Metric::ALL.iter().map(|m| m.key()).collect();
                        CliError::input(name, format!("unknown metric {text:?}; one of {}", known.join(", ")))
                    })?);
                }
                "--variant" => {
                    let spec = value(parser)?;
                    variants.push(
                        reuse_sim::variant::Variant::parse(&spec)
                            .map_err(|e| CliError::input(name, format!("{spec:?}: {e}")))?,
                    );
                }
                "--log" => log = true,
                "--csv" => {
                    format = SweepFormat::Csv;
                    formats += 1;
                }
                "--json" => {
                    format = SweepFormat::Json;
                    formats += 1;
                }
                "--svg" => {
                    format = SweepFormat::Svg;
                    formats += 1;
                }
                "--width" => {
                    width_px = parse_width(&value(parser)?)?;
                    width_given = true;
                }
                _ => return Ok(false),
            }
            Ok(true)
        },
    )?;
    if !variants.is_empty() && !run.protocols.is_empty() {
        return Err(CliError::input(
            "--variant",
            "give --protocol or --variant, not both (a variant names its protocol: 'label:protocol=1.1,cl=1')",
        ));
    }
    run.variants = variants;
    if formats > 1 {
        return Err(CliError::input("--csv", "give one of --csv, --json and --svg"));
    }
    if width_given && format != SweepFormat::Svg {
        return Err(CliError::input("--width", "only the picture has a width; add --svg"));
    }
    // A link may carry the sweep (`sweep=rtt:10..500`, the app's curve
    // view); the flags say it otherwise, and without a link they must.
    if range.is_none() && !matches!(run.source, Source::Link(_)) {
        return Err(CliError::input("--param", "missing; say what to sweep, e.g. --param rtt=10..500"));
    }
    Ok(Command::Sweep(SweepArgs { run, range, points, log, seeds, metric, format, width_px }))
}

/// `NAME=FROM..TO`: a parameter and its range.
fn parse_param_range(text: &str) -> Result<(reuse_sim::sweep::Param, f64, f64), CliError> {
    use reuse_sim::sweep::Param;
    let known = || Param::ALL.iter().map(|p| p.key()).collect::<Vec<_>>().join(", ");
    let Some((name, range)) = text.split_once('=') else {
        return Err(CliError::input(
            "--param",
            format!("must be NAME=FROM..TO, e.g. rtt=10..500 (got {text:?})"),
        ));
    };
    let param = Param::parse(name.trim()).ok_or_else(|| {
        CliError::input("--param", format!("unknown parameter {:?}; one of {}", name.trim(), known()))
    })?;
    let Some((from, to)) = range.split_once("..") else {
        return Err(CliError::input(
            "--param",
            format!("the range must be FROM..TO, e.g. {}=10..500 (got {range:?})", param.key()),
        ));
    };
    let number = |t: &str| -> Result<f64, CliError> {
        t.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
            CliError::input("--param", format!("{:?} is not a number (in {text:?})", t.trim()))
        })
    };
    let (from, to) = (number(from)?, number(to)?);
    if from >= to {
        return Err(CliError::input("--param", format!("the range must rise: FROM below TO (got {text:?})")));
    }
    Ok((param, from, to))
}
