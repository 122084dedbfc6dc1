//! Argument parsing, with lexopt: it splits the command line into flags and
//! values (`--flag value`, `--flag=value`, `--` ends the flags, `-` alone is
//! a value) and this module gives each its meaning. Every problem is a
//! [`CliError::Input`] naming the flag the user typed (exit status 2).

use lexopt::{Arg, Parser};
use reuse_sim::presets::{self, Preset};
use reuse_sim::Protocol;

use crate::CliError;

mod sweep;
use sweep::parse_sweep;

/// Where the scenario comes from.
pub enum Source {
    /// A file path; `-` is standard input.
    File(String),
    Preset(&'static Preset),
    /// A Reuse Lab permalink (a whole address, or its query).
    Link(String),
}

/// What `run` and `trace` share: a scenario, protocols to replay it under,
/// output form, and an optional seed override.
pub struct RunArgs {
    pub source: Source,
    /// In flag order; empty = a link's shown protocols, else the scenario's
    /// own `client.protocol`.
    pub protocols: Vec<Protocol>,
    pub json: bool,
    pub seed: Option<u64>,
    /// `run --variant`: named protocol-and-controls variants, in flag order.
    pub variants: Vec<reuse_sim::variant::Variant>,
    /// `run --push-ways`: the scenario's events under every way of fetching
    /// them (`reuse_sim::push::ways`), as variants.
    pub push_ways: bool,
    /// `run --clients N [--over MS]`: the scenario's `clients`.
    pub clients: Option<(u32, f64)>,
}

pub struct DigestArgs {
    /// In flag order; empty = every preset.
    pub presets: Vec<&'static Preset>,
    /// In flag order; empty = every protocol.
    pub protocols: Vec<Protocol>,
}

/// Which picture `svg` draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Lanes,
    Waterfall,
    Ladder,
    Totals,
    /// Connections open on the server over time.
    Server,
    /// The server's events fetched every way (`reuse_sim::push::ways`).
    Push,
    /// One connection's congestion window over time (the server's, which
    /// sends the responses).
    Cwnd,
}

/// `svg`: a scenario, the protocols to draw, the view and the width.
pub struct SvgArgs {
    pub run: RunArgs,
    pub view: View,
    pub width_px: u32,
    /// The ladder's connection; `None` = the run's first.
    pub connection: Option<u32>,
}

/// `sweep`: a scenario, the parameter's range, and what to measure.
pub struct SweepArgs {
    pub run: RunArgs,
    /// `--param NAME=FROM..TO`; `None` takes a link's `sweep=`.
    pub range: Option<(reuse_sim::sweep::Param, f64, f64)>,
    /// `--points`, `--seeds`, `--metric`: `None` takes the link's, else the default.
    pub points: Option<usize>,
    /// `--log`: true puts the parameter on a log axis (as a link's `log=1`).
    pub log: bool,
    pub seeds: Option<u32>,
    pub metric: Option<reuse_sim::sweep::Metric>,
    pub format: SweepFormat,
    /// The picture's width with `--svg`.
    pub width_px: u32,
}

/// How `sweep` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepFormat {
    Text,
    Csv,
    Json,
    Svg,
}

pub enum Command {
    Sweep(SweepArgs),
    Svg(SvgArgs),
    Har(RunArgs),
    Run(RunArgs),
    Trace(RunArgs),
    /// A built-in lesson's id or a lesson file; none lists the lessons.
    Lesson(Option<String>),
    Presets,
    Preset(&'static Preset),
    Schema,
    Digest(DigestArgs),
    Help,
    Version,
}

const COMMANDS: &str = "run, trace, sweep, svg, har, lesson, presets, preset, schema, digest or help";

/// Parses everything after the program name.
pub fn parse(args: &[String]) -> Result<Command, CliError> {
    let Some((first, rest)) = args.split_first() else {
        return Err(CliError::input(
            "command",
            format!("missing; expected {COMMANDS} (see reuse-cli --help)"),
        ));
    };
    // `--help` anywhere asks for help, as people type it after a command.
    if rest.iter().take_while(|a| *a != "--").any(|a| a == "--help" || a == "-h") {
        return Ok(Command::Help);
    }
    match first.as_str() {
        "run" => Ok(Command::Run(parse_run(rest, "run")?)),
        "trace" => {
            let run = parse_run(rest, "trace")?;
            if run.protocols.len() > 1 {
                return Err(CliError::input(
                    "--protocol",
                    format!(
                        "trace replays one protocol at a time (got {}); use run to compare",
                        run.protocols.len()
                    ),
                ));
            }
            Ok(Command::Trace(run))
        }
        "svg" => parse_svg(rest),
        "sweep" => parse_sweep(rest),
        "har" => {
            let allowed = "--preset NAME, --link LINK, --protocol P and --seed N";
            let run = parse_export(rest, "har", allowed, &mut |_, _| Ok(false))?;
            if run.protocols.len() > 1 {
                return Err(CliError::input(
                    "--protocol",
                    format!(
                        "a HAR file holds one page load (got {} protocols); run har once per protocol",
                        run.protocols.len()
                    ),
                ));
            }
            Ok(Command::Har(run))
        }
        "presets" => {
            expect_no_arguments(rest, "presets")?;
            Ok(Command::Presets)
        }
        "preset" => parse_preset(rest),
        "lesson" => match rest {
            [] => Ok(Command::Lesson(None)),
            [one] if !one.starts_with('-') => Ok(Command::Lesson(Some(one.clone()))),
            _ => Err(CliError::input("lesson", "give one lesson id or file (reuse-cli lesson lists them)")),
        },
        "schema" => {
            expect_no_arguments(rest, "schema")?;
            Ok(Command::Schema)
        }
        "digest" => parse_digest(rest),
        "help" | "--help" | "-h" => Ok(Command::Help),
        "--version" | "-V" | "version" => Ok(Command::Version),
        other if other.starts_with('-') => {
            // The flag's name without an inline value, as lexopt reads it.
            let name = other.split_once('=').map_or(other, |(name, _)| name);
            Err(CliError::input(
                name,
                format!("unknown option; a command comes first: {COMMANDS} (see reuse-cli --help)"),
            ))
        }
        other => Err(CliError::input("command", format!("unknown command {other:?}; expected {COMMANDS}"))),
    }
}

/// One command-line item, owned so that the parser can be asked for a
/// flag's value while it is looked at.
enum Item {
    /// A flag as typed, without its inline value: `--preset`, `-x`.
    Flag(String),
    Positional(String),
}

fn parser(args: &[String]) -> Parser {
    Parser::from_args(args)
}

fn next_item(parser: &mut Parser) -> Result<Option<Item>, CliError> {
    Ok(match parser.next().map_err(from_lexopt)? {
        None => None,
        Some(Arg::Long(name)) => Some(Item::Flag(format!("--{name}"))),
        Some(Arg::Short(c)) => Some(Item::Flag(format!("-{c}"))),
        Some(Arg::Value(v)) => Some(Item::Positional(utf8(v)?)),
    })
}

/// The value of the flag just read: inline (`--flag=value`) or the next
/// argument, whatever it looks like.
fn value(parser: &mut Parser) -> Result<String, CliError> {
    utf8(parser.value().map_err(from_lexopt)?)
}

fn utf8(raw: std::ffi::OsString) -> Result<String, CliError> {
    raw.into_string()
        .map_err(|raw| CliError::input("argument", format!("{} is not valid UTF-8", raw.to_string_lossy())))
}

/// lexopt's errors, as `field: reason` about the flag the user typed.
fn from_lexopt(e: lexopt::Error) -> CliError {
    use lexopt::Error;
    match e {
        Error::MissingValue { option } => {
            CliError::input(option.unwrap_or_else(|| "argument".into()), "needs a value")
        }
        Error::UnexpectedValue { option, value } => {
            CliError::input(option, format!("takes no value (got {:?})", value.to_string_lossy()))
        }
        Error::UnexpectedOption(option) => CliError::input(option, "unknown option"),
        Error::UnexpectedArgument(value) => {
            CliError::input("argument", format!("unexpected {:?}", value.to_string_lossy()))
        }
        Error::NonUnicodeValue(value) => {
            CliError::input("argument", format!("{} is not valid UTF-8", value.to_string_lossy()))
        }
        Error::ParsingFailed { value, error } => CliError::input("argument", format!("{value:?}: {error}")),
        Error::Custom(error) => CliError::input("argument", error.to_string()),
    }
}

fn unknown_flag(name: &str, command: &str, allowed: &str) -> CliError {
    CliError::input(name, format!("unknown option for {command}; it accepts {allowed}"))
}

fn parse_run(args: &[String], command: &str) -> Result<RunArgs, CliError> {
    let mut json = false;
    let mut push_ways = false;
    let mut clients: Option<u32> = None;
    let mut over: Option<f64> = None;
    let mut variants = Vec::new();
    let takes_variants = command == "run";
    let allowed = if takes_variants {
        "--preset NAME, --link LINK, --protocol P, --variant 'LABEL:key=value,...', --push-ways, --clients N, --over MS, --seed N and --json"
    } else {
        "--preset NAME, --link LINK, --protocol P, --seed N and --json"
    };
    let mut run = parse_export(args, command, allowed, &mut |name, parser| match name {
        "--json" => {
            json = true;
            Ok(true)
        }
        "--push-ways" if takes_variants => {
            push_ways = true;
            Ok(true)
        }
        "--clients" if takes_variants => {
            clients = Some(parse_clients(name, &value(parser)?)?);
            Ok(true)
        }
        "--over" if takes_variants => {
            over = Some(parse_over(name, &value(parser)?)?);
            Ok(true)
        }
        "--variant" if takes_variants => {
            let spec = value(parser)?;
            let variant = reuse_sim::variant::Variant::parse(&spec)
                .map_err(|e| CliError::input(name, format!("{spec:?}: {e}")))?;
            variants.push(variant);
            Ok(true)
        }
        _ => Ok(false),
    })?;
    if !variants.is_empty() && !run.protocols.is_empty() {
        return Err(CliError::input(
            "--variant",
            "give --protocol or --variant, not both (a variant names its protocol: 'label:protocol=1.1,cl=1')",
        ));
    }
    if push_ways && !(variants.is_empty() && run.protocols.is_empty()) {
        return Err(CliError::input(
            "--push-ways",
            "runs its own five variants (each names its protocol): give it without --protocol or --variant",
        ));
    }
    if over.is_some() && clients.is_none() {
        return Err(CliError::input("--over", "spreads the arrivals of --clients N: give --clients too"));
    }
    run.json = json;
    run.variants = variants;
    run.push_ways = push_ways;
    run.clients = clients.map(|n| (n, over.unwrap_or(0.0)));
    Ok(run)
}

/// `--clients N`: 1 to 10,000 clients (`clients.count`).
fn parse_clients(name: &str, text: &str) -> Result<u32, CliError> {
    text.parse::<u32>().ok().filter(|n| (1..=10_000).contains(n)).ok_or_else(|| {
        CliError::input(name, format!("must be a whole number of clients from 1 to 10000 (got {text:?})"))
    })
}

/// `--over MS`: the clients' arrivals spread over 0 to 3,600,000 ms.
fn parse_over(name: &str, text: &str) -> Result<f64, CliError> {
    text.parse::<f64>().ok().filter(|ms| ms.is_finite() && (0.0..=3_600_000.0).contains(ms)).ok_or_else(
        || CliError::input(name, format!("must be milliseconds from 0 to 3600000 (got {text:?})")),
    )
}

/// A command-specific flag handler for [`parse_export`]: returns whether it
/// took the flag (reading its value from the parser if it has one).
type ExtraFlag<'h> = dyn FnMut(&str, &mut Parser) -> Result<bool, CliError> + 'h;

/// The scenario source (a file, `--preset` or `--link`), `--protocol`,
/// `--seed`, and whatever `extra` takes; `allowed` lists every option for
/// the error on an unknown one.
fn parse_export(
    args: &[String],
    command: &str,
    allowed: &str,
    extra: &mut ExtraFlag<'_>,
) -> Result<RunArgs, CliError> {
    let mut parser = parser(args);
    let mut file: Option<String> = None;
    let mut preset: Option<&'static Preset> = None;
    let mut link: Option<String> = None;
    let mut protocols = Vec::new();
    let mut seed = None;
    while let Some(item) = next_item(&mut parser)? {
        match item {
            Item::Positional(path) => {
                if let Some(first) = &file {
                    return Err(CliError::input(
                        "scenario",
                        format!("one scenario file at a time (got {first:?} and {path:?})"),
                    ));
                }
                file = Some(path);
            }
            Item::Flag(name) => match name.as_str() {
                "--preset" => {
                    let id = value(&mut parser)?;
                    if preset.is_some() {
                        return Err(CliError::input(name, "give one preset"));
                    }
                    preset = Some(find_preset(&id)?);
                }
                "--link" => {
                    let text = value(&mut parser)?;
                    if link.is_some() {
                        return Err(CliError::input(name, "give one link"));
                    }
                    link = Some(text);
                }
                "--protocol" => protocols.push(parse_protocol(&value(&mut parser)?)?),
                "--seed" => seed = Some(parse_seed(&value(&mut parser)?)?),
                _ => {
                    if !extra(&name, &mut parser)? {
                        return Err(unknown_flag(&name, command, allowed));
                    }
                }
            },
        }
    }
    let mut given: Vec<String> = Vec::new();
    if let Some(path) = &file {
        given.push(format!("a file ({path:?})"));
    }
    if let Some(p) = preset {
        given.push(format!("--preset ({:?})", p.id));
    }
    if link.is_some() {
        given.push("--link".into());
    }
    let source = match (file, preset, link) {
        (Some(path), None, None) => Source::File(path),
        (None, Some(p), None) => Source::Preset(p),
        (None, None, Some(link)) => Source::Link(link),
        (None, None, None) => {
            let reason = format!(
                "missing; give a scenario file, - for standard input, --preset NAME or --link LINK ({command} --help)"
            );
            return Err(CliError::input("scenario", reason));
        }
        _ => {
            return Err(CliError::input(
                "scenario",
                format!("give a file, --preset or --link, only one (got {})", given.join(" and ")),
            ))
        }
    };
    Ok(RunArgs {
        source,
        protocols,
        json: false,
        seed,
        variants: Vec::new(),
        push_ways: false,
        clients: None,
    })
}

fn parse_svg(args: &[String]) -> Result<Command, CliError> {
    let mut view = View::Lanes;
    let mut width_px = reuse_render::DEFAULT_WIDTH_PX;
    let mut connection = None;
    let (mut clients, mut over) = (None, None);
    let mut variants = Vec::new();
    let mut run = parse_export(
        args,
        "svg",
        "--preset NAME, --link LINK, --protocol P, --variant 'LABEL:key=value,...', --seed N, --view lanes|waterfall|ladder|totals|server|push|cwnd, --connection N, --clients N, --over MS and --width PX",
        &mut |name, parser| match name {
            "--variant" => {
                let spec = value(parser)?;
                variants.push(
                    reuse_sim::variant::Variant::parse(&spec)
                        .map_err(|e| CliError::input(name, format!("{spec:?}: {e}")))?,
                );
                Ok(true)
            }
            "--clients" => {
                clients = Some(parse_clients(name, &value(parser)?)?);
                Ok(true)
            }
            "--over" => {
                over = Some(parse_over(name, &value(parser)?)?);
                Ok(true)
            }
            "--view" => {
                view = match value(parser)?.as_str() {
                    "lanes" => View::Lanes,
                    "waterfall" => View::Waterfall,
                    "ladder" => View::Ladder,
                    "totals" => View::Totals,
                    "server" => View::Server,
                    "push" => View::Push,
                    "cwnd" => View::Cwnd,
                    other => {
                        return Err(CliError::input(
                            name,
                            format!("must be lanes, waterfall, ladder, totals, server, push or cwnd (got {other:?})"),
                        ))
                    }
                };
                Ok(true)
            }
            "--width" => {
                width_px = parse_width(&value(parser)?)?;
                Ok(true)
            }
            "--connection" => {
                connection = Some(parse_connection(&value(parser)?)?);
                Ok(true)
            }
            _ => Ok(false),
        },
    )?;
    let one_protocol = match view {
        View::Waterfall => Some("the waterfall shows one protocol"),
        View::Ladder => Some("the ladder shows one connection of one protocol"),
        View::Cwnd => Some("the congestion window is one connection's of one protocol"),
        View::Lanes | View::Totals | View::Server => None,
        View::Push => Some("the push view runs its own ways of fetching the events, each with its protocol"),
    };
    if let Some(what) = one_protocol {
        if run.protocols.len() > 1 {
            return Err(CliError::input(
                "--protocol",
                format!("{what} (got {}); use --view lanes or --view totals to compare", run.protocols.len()),
            ));
        }
    }
    if connection.is_some() && !matches!(view, View::Ladder | View::Cwnd) {
        return Err(CliError::input(
            "--connection",
            "only the ladder and the congestion window draw one connection; add --view ladder or --view cwnd",
        ));
    }
    if over.is_some() && clients.is_none() {
        return Err(CliError::input("--over", "spreads the arrivals of --clients N: give --clients too"));
    }
    if clients.is_some() && view != View::Server {
        return Err(CliError::input(
            "--clients",
            "only the server's view draws many clients; add --view server",
        ));
    }
    if !variants.is_empty() && view != View::Lanes {
        return Err(CliError::input(
            "--variant",
            "only the lanes draw variants side by side; use --view lanes",
        ));
    }
    if !variants.is_empty() && !run.protocols.is_empty() {
        return Err(CliError::input(
            "--variant",
            "give --protocol or --variant, not both (a variant names its protocol: 'label:protocol=1.1,cl=1')",
        ));
    }
    run.variants = variants;
    run.clients = clients.map(|n| (n, over.unwrap_or(0.0)));
    Ok(Command::Svg(SvgArgs { run, view, width_px, connection }))
}

/// A connection id: 1, 2, 3 … in the order the run opened them.
fn parse_connection(text: &str) -> Result<u32, CliError> {
    match text.trim().parse::<u32>() {
        Ok(id) if id >= 1 => Ok(id),
        _ => Err(CliError::input(
            "--connection",
            format!(
                "must be a connection id, a whole number from 1 (got {text:?}); `reuse-cli run` lists them"
            ),
        )),
    }
}

fn parse_width(text: &str) -> Result<u32, CliError> {
    let (min, max) = (reuse_render::MIN_WIDTH_PX, reuse_render::MAX_WIDTH_PX);
    match text.trim().parse::<u32>() {
        Ok(px) if (min..=max).contains(&px) => Ok(px),
        _ => Err(CliError::input(
            "--width",
            format!("must be a whole number of pixels from {min} to {max} (got {text:?})"),
        )),
    }
}

fn parse_preset(args: &[String]) -> Result<Command, CliError> {
    let mut parser = parser(args);
    let mut id = None;
    while let Some(item) = next_item(&mut parser)? {
        match item {
            Item::Positional(name) => {
                if id.is_some() {
                    return Err(CliError::input(
                        "preset",
                        format!("one preset at a time (also got {name:?})"),
                    ));
                }
                id = Some(name);
            }
            Item::Flag(name) => return Err(unknown_flag(&name, "preset", "only a preset name")),
        }
    }
    match id {
        Some(id) => Ok(Command::Preset(find_preset_named(&id, "preset")?)),
        None => Err(CliError::input("preset", format!("missing name; one of {}", preset_ids()))),
    }
}

fn parse_digest(args: &[String]) -> Result<Command, CliError> {
    let mut parser = parser(args);
    let mut presets = Vec::new();
    let mut protocols = Vec::new();
    while let Some(item) = next_item(&mut parser)? {
        match item {
            Item::Positional(arg) => {
                return Err(CliError::input(
                    "digest",
                    format!("unexpected argument {arg:?}; name presets with --preset NAME"),
                ))
            }
            Item::Flag(name) => match name.as_str() {
                "--preset" => presets.push(find_preset(&value(&mut parser)?)?),
                "--protocol" => protocols.push(parse_protocol(&value(&mut parser)?)?),
                _ => return Err(unknown_flag(&name, "digest", "--preset NAME and --protocol P")),
            },
        }
    }
    Ok(Command::Digest(DigestArgs { presets, protocols }))
}

fn expect_no_arguments(args: &[String], command: &str) -> Result<(), CliError> {
    match next_item(&mut parser(args))? {
        None => Ok(()),
        Some(Item::Flag(name)) => Err(unknown_flag(&name, command, "no options")),
        Some(Item::Positional(arg)) => {
            Err(CliError::input(command, format!("takes no arguments (got {arg:?})")))
        }
    }
}

fn parse_protocol(text: &str) -> Result<Protocol, CliError> {
    // The engine's message names `client.protocol`; on the command line the
    // field the user typed is the flag.
    Protocol::parse(text).map_err(|e| CliError::input("--protocol", e.reason))
}

fn parse_seed(text: &str) -> Result<u64, CliError> {
    text.trim().parse::<u64>().map_err(|_| {
        CliError::input("--seed", format!("must be a whole number from 0 to {} (got {text:?})", u64::MAX))
    })
}

fn find_preset(id: &str) -> Result<&'static Preset, CliError> {
    find_preset_named(id, "--preset")
}

fn find_preset_named(id: &str, field: &str) -> Result<&'static Preset, CliError> {
    presets::find(id).ok_or_else(|| {
        CliError::input(field, format!("unknown preset {id:?}; one of {} (reuse-cli presets)", preset_ids()))
    })
}

fn preset_ids() -> String {
    presets::all().iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn input_field(result: Result<Command, CliError>) -> String {
        match result {
            Err(CliError::Input { field, .. }) => field,
            Err(other) => panic!("expected an input error, got {other}"),
            Ok(_) => panic!("expected an input error, got a command"),
        }
    }

    #[test]
    fn protocols_keep_flag_order_and_accept_inline_values() {
        let Ok(Command::Run(run)) =
            parse(&args(&["run", "-", "--protocol", "h2", "--protocol=1.0", "--json"]))
        else {
            panic!("run should parse")
        };
        assert_eq!(run.protocols, vec![Protocol::H2, Protocol::Http10]);
        assert!(run.json);
        assert!(matches!(run.source, Source::File(ref p) if p == "-"));
    }

    #[test]
    fn double_dash_makes_a_dash_named_file_positional() {
        let Ok(Command::Run(run)) = parse(&args(&["run", "--", "--odd-name.json"])) else {
            panic!("run should parse")
        };
        assert!(matches!(run.source, Source::File(ref p) if p == "--odd-name.json"));
    }

    #[test]
    fn errors_name_the_flag_the_user_typed() {
        assert_eq!(input_field(parse(&args(&["run", "-", "--protocol", "h9"]))), "--protocol");
        assert_eq!(input_field(parse(&args(&["run", "-", "--seed", "-3"]))), "--seed");
        assert_eq!(input_field(parse(&args(&["run", "-", "--fast"]))), "--fast");
        assert_eq!(input_field(parse(&args(&["run", "--preset"]))), "--preset");
        assert_eq!(input_field(parse(&args(&["run", "--json=yes", "-"]))), "--json");
        assert_eq!(
            input_field(parse(&args(&["trace", "-", "--protocol", "h2", "--protocol", "1.1"]))),
            "--protocol"
        );
        assert_eq!(input_field(parse(&args(&["digest", "--preset", "nope"]))), "--preset");
        assert_eq!(input_field(parse(&args(&["run"]))), "scenario");
        assert_eq!(input_field(parse(&args(&["frobnicate"]))), "command");
        assert_eq!(input_field(parse(&args(&[]))), "command");
        assert_eq!(input_field(parse(&args(&["schema", "extra"]))), "schema");
    }

    #[test]
    fn export_flags_parse_and_bad_ones_name_themselves() {
        let Ok(Command::Svg(svg)) =
            parse(&args(&["svg", "--preset", "textbook", "--view=waterfall", "--width", "1200"]))
        else {
            panic!("svg should parse")
        };
        assert_eq!(svg.view, View::Waterfall);
        assert_eq!(svg.width_px, 1200);
        let Ok(Command::Svg(svg)) = parse(&args(&["svg", "-"])) else { panic!("svg should parse") };
        assert_eq!((svg.view, svg.width_px), (View::Lanes, reuse_render::DEFAULT_WIDTH_PX));
        assert!(matches!(parse(&args(&["har", "-", "--protocol", "h2"])), Ok(Command::Har(_))));
        assert_eq!(input_field(parse(&args(&["svg", "-", "--view", "ladders"]))), "--view");
        let Ok(Command::Svg(svg)) = parse(&args(&["svg", "-", "--view", "ladder", "--connection=3"])) else {
            panic!("ladder should parse")
        };
        assert_eq!((svg.view, svg.connection), (View::Ladder, Some(3)));
        let Ok(Command::Svg(svg)) = parse(&args(&["svg", "-", "--view", "totals"])) else {
            panic!("totals should parse")
        };
        assert_eq!((svg.view, svg.connection), (View::Totals, None));
        for bad in ["0", "-1", "two", "", "4294967296"] {
            assert_eq!(
                input_field(parse(&args(&["svg", "-", "--view", "ladder", "--connection", bad]))),
                "--connection",
                "{bad:?}"
            );
        }
        assert_eq!(input_field(parse(&args(&["svg", "-", "--connection", "1"]))), "--connection");
        assert_eq!(
            input_field(parse(&args(&[
                "svg",
                "-",
                "--view",
                "ladder",
                "--protocol",
                "1.0",
                "--protocol",
                "2"
            ]))),
            "--protocol"
        );
        assert_eq!(input_field(parse(&args(&["svg", "-", "--width", "12"]))), "--width");
        assert_eq!(input_field(parse(&args(&["svg", "-", "--width", "wide"]))), "--width");
        assert_eq!(input_field(parse(&args(&["svg", "-", "--json"]))), "--json");
        assert_eq!(
            input_field(parse(&args(&[
                "svg",
                "-",
                "--view",
                "waterfall",
                "--protocol",
                "1.0",
                "--protocol",
                "2"
            ]))),
            "--protocol"
        );
        assert_eq!(
            input_field(parse(&args(&["har", "-", "--protocol", "1.0", "--protocol", "2"]))),
            "--protocol"
        );
        assert_eq!(input_field(parse(&args(&["har", "-", "--view", "lanes"]))), "--view");
        assert_eq!(input_field(parse(&args(&["har"]))), "scenario");
    }

    #[test]
    fn a_link_is_a_scenario_source_like_a_file_or_a_preset() {
        let url = "https://example.org/reuse-lab/?v=1&p=textbook&n=25&show=10-2";
        for line in [vec!["run", "--link", url], vec!["run", &format!("--link={url}")]] {
            let Ok(Command::Run(run)) = parse(&args(&line)) else { panic!("{line:?} should parse") };
            assert!(matches!(run.source, Source::Link(ref l) if l == url), "{line:?}");
            assert!(run.protocols.is_empty(), "the link's own protocols, decided when it is read");
        }
        for command in ["trace", "har"] {
            let Ok(Command::Trace(run) | Command::Har(run)) =
                parse(&args(&[command, "--link", "?v=1&p=textbook"]))
            else {
                panic!("{command} takes --link")
            };
            assert!(matches!(run.source, Source::Link(_)));
        }
        let Ok(Command::Svg(svg)) = parse(&args(&["svg", "--link", "v=1&p=textbook", "--view", "totals"]))
        else {
            panic!("svg takes --link")
        };
        assert!(matches!(svg.run.source, Source::Link(ref l) if l == "v=1&p=textbook"));
        assert_eq!(input_field(parse(&args(&["run", "--link"]))), "--link");
        assert_eq!(input_field(parse(&args(&["run", "--link", "a", "--link", "b"]))), "--link");
        assert_eq!(input_field(parse(&args(&["run", "--link", "a", "--preset", "textbook"]))), "scenario");
        assert_eq!(input_field(parse(&args(&["run", "--link", "a", "file.json"]))), "scenario");
        assert_eq!(input_field(parse(&args(&["digest", "--link", "a"]))), "--link");
    }

    #[test]
    fn a_flag_that_takes_no_value_refuses_one_and_values_may_start_with_a_dash() {
        assert_eq!(input_field(parse(&args(&["run", "-", "--json=yes"]))), "--json");
        assert_eq!(input_field(parse(&args(&["run", "-", "-x"]))), "-x");
        assert_eq!(input_field(parse(&args(&["--frobnicate=1"]))), "--frobnicate");
        // A link's query may start with `-`-free text or `?`; a value is taken whatever it looks like.
        let Ok(Command::Run(run)) = parse(&args(&["run", "--link", "--odd"])) else { panic!("parses") };
        assert!(matches!(run.source, Source::Link(ref l) if l == "--odd"));
    }

    #[test]
    fn help_wins_anywhere_before_double_dash() {
        assert!(matches!(parse(&args(&["run", "--preset", "x", "--help"])), Ok(Command::Help)));
        assert!(matches!(parse(&args(&["help"])), Ok(Command::Help)));
        assert!(matches!(parse(&args(&["--version"])), Ok(Command::Version)));
    }
}
