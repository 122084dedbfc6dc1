//! Hand-rolled argument parsing (no clap: the tool has six commands and a
//! handful of flags, and a lean build matters more than generated help).
//!
//! Flags take their value either as the next argument (`--preset textbook`)
//! or inline (`--preset=textbook`). `--` ends the flags.

use reuse_sim::presets::{self, Preset};
use reuse_sim::Protocol;

use crate::CliError;

/// Where the scenario comes from.
pub enum Source {
    /// A file path; `-` is standard input.
    File(String),
    Preset(&'static Preset),
}

/// What `run` and `trace` share: a scenario, protocols to replay it under,
/// output form, and an optional seed override.
pub struct RunArgs {
    pub source: Source,
    /// In flag order; empty = the scenario's own `client.protocol`.
    pub protocols: Vec<Protocol>,
    pub json: bool,
    pub seed: Option<u64>,
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
}

/// `svg`: a scenario, the protocols to draw, the view and the width.
pub struct SvgArgs {
    pub run: RunArgs,
    pub view: View,
    pub width_px: u32,
    /// The ladder's connection; `None` = the run's first.
    pub connection: Option<u32>,
}

pub enum Command {
    Svg(SvgArgs),
    Har(RunArgs),
    Run(RunArgs),
    Trace(RunArgs),
    Presets,
    Preset(&'static Preset),
    Schema,
    Digest(DigestArgs),
    Help,
    Version,
}

const COMMANDS: &str = "run, trace, svg, har, presets, preset, schema, digest or help";

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
        "har" => {
            let run =
                parse_export(rest, "har", "--preset NAME, --protocol P and --seed N", &mut |_, _, _| {
                    Ok(false)
                })?;
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
        "schema" => {
            expect_no_arguments(rest, "schema")?;
            Ok(Command::Schema)
        }
        "digest" => parse_digest(rest),
        "help" | "--help" | "-h" => Ok(Command::Help),
        "--version" | "-V" | "version" => Ok(Command::Version),
        other if other.starts_with('-') => Err(CliError::input(
            other,
            format!("unknown option; a command comes first: {COMMANDS} (see reuse-cli --help)"),
        )),
        other => Err(CliError::input("command", format!("unknown command {other:?}; expected {COMMANDS}"))),
    }
}

/// One command-line item: a flag with its inline value, if any, or a
/// positional argument.
enum Item<'a> {
    Flag { name: &'a str, inline: Option<&'a str> },
    Positional(&'a str),
}

/// Splits arguments into flags and positionals, honouring `--`.
struct Items<'a> {
    args: &'a [String],
    next: usize,
    only_positionals: bool,
}

impl<'a> Items<'a> {
    fn new(args: &'a [String]) -> Self {
        Items { args, next: 0, only_positionals: false }
    }

    fn next_item(&mut self) -> Option<Item<'a>> {
        loop {
            let arg = self.args.get(self.next)?.as_str();
            self.next += 1;
            if self.only_positionals {
                return Some(Item::Positional(arg));
            }
            if arg == "--" {
                self.only_positionals = true;
                continue;
            }
            // `-` alone is a positional: standard input.
            if arg.starts_with('-') && arg != "-" {
                return Some(match arg.split_once('=') {
                    Some((name, value)) => Item::Flag { name, inline: Some(value) },
                    None => Item::Flag { name: arg, inline: None },
                });
            }
            return Some(Item::Positional(arg));
        }
    }

    /// The value of a flag: inline, or the next argument.
    fn value(&mut self, name: &str, inline: Option<&'a str>) -> Result<&'a str, CliError> {
        if let Some(v) = inline {
            return Ok(v);
        }
        match self.args.get(self.next) {
            Some(v) => {
                self.next += 1;
                Ok(v.as_str())
            }
            None => Err(CliError::input(name, "needs a value")),
        }
    }
}

fn reject_inline(name: &str, inline: Option<&str>) -> Result<(), CliError> {
    match inline {
        Some(v) => Err(CliError::input(name, format!("takes no value (got {v:?})"))),
        None => Ok(()),
    }
}

fn unknown_flag(name: &str, command: &str, allowed: &str) -> CliError {
    CliError::input(name, format!("unknown option for {command}; it accepts {allowed}"))
}

fn parse_run(args: &[String], command: &str) -> Result<RunArgs, CliError> {
    let mut json = false;
    let allowed = "--preset NAME, --protocol P, --seed N and --json";
    let mut run = parse_export(args, command, allowed, &mut |name, inline, _items| {
        if name != "--json" {
            return Ok(false);
        }
        reject_inline(name, inline)?;
        json = true;
        Ok(true)
    })?;
    run.json = json;
    Ok(run)
}

/// A command-specific flag handler for [`parse_export`]: returns whether it
/// took the flag.
type ExtraFlag<'a, 'h> = dyn FnMut(&str, Option<&'a str>, &mut Items<'a>) -> Result<bool, CliError> + 'h;

/// The scenario source, `--protocol`, `--seed`, and whatever `extra` takes;
/// `allowed` lists every option for the error on an unknown one.
fn parse_export<'a>(
    args: &'a [String],
    command: &str,
    allowed: &str,
    extra: &mut ExtraFlag<'a, '_>,
) -> Result<RunArgs, CliError> {
    let mut items = Items::new(args);
    let mut file: Option<&str> = None;
    let mut preset: Option<&'static Preset> = None;
    let mut protocols = Vec::new();
    let mut seed = None;
    while let Some(item) = items.next_item() {
        match item {
            Item::Positional(path) => {
                if let Some(first) = file {
                    return Err(CliError::input(
                        "scenario",
                        format!("one scenario file at a time (got {first:?} and {path:?})"),
                    ));
                }
                file = Some(path);
            }
            Item::Flag { name, inline } => match name {
                "--preset" => {
                    let id = items.value(name, inline)?;
                    if preset.is_some() {
                        return Err(CliError::input(name, "give one preset"));
                    }
                    preset = Some(find_preset(id)?);
                }
                "--protocol" => protocols.push(parse_protocol(items.value(name, inline)?)?),
                "--seed" => seed = Some(parse_seed(items.value(name, inline)?)?),
                _ => {
                    if !extra(name, inline, &mut items)? {
                        return Err(unknown_flag(name, command, allowed));
                    }
                }
            },
        }
    }
    let source = match (file, preset) {
        (Some(path), None) => Source::File(path.to_string()),
        (None, Some(p)) => Source::Preset(p),
        (Some(path), Some(p)) => {
            return Err(CliError::input(
                "scenario",
                format!("give a file ({path:?}) or --preset ({:?}), not both", p.id),
            ))
        }
        (None, None) => {
            let reason = format!(
                "missing; give a scenario file, - for standard input, or --preset NAME ({command} --help)"
            );
            return Err(CliError::input("scenario", reason));
        }
    };
    Ok(RunArgs { source, protocols, json: false, seed })
}

fn parse_svg(args: &[String]) -> Result<Command, CliError> {
    let mut view = View::Lanes;
    let mut width_px = reuse_render::DEFAULT_WIDTH_PX;
    let mut connection = None;
    let run = parse_export(
        args,
        "svg",
        "--preset NAME, --protocol P, --seed N, --view lanes|waterfall|ladder|totals, --connection N and --width PX",
        &mut |name, inline, items| match name {
            "--view" => {
                view = match items.value(name, inline)? {
                    "lanes" => View::Lanes,
                    "waterfall" => View::Waterfall,
                    "ladder" => View::Ladder,
                    "totals" => View::Totals,
                    other => {
                        return Err(CliError::input(
                            name,
                            format!("must be lanes, waterfall, ladder or totals (got {other:?})"),
                        ))
                    }
                };
                Ok(true)
            }
            "--width" => {
                width_px = parse_width(items.value(name, inline)?)?;
                Ok(true)
            }
            "--connection" => {
                connection = Some(parse_connection(items.value(name, inline)?)?);
                Ok(true)
            }
            _ => Ok(false),
        },
    )?;
    let one_protocol = match view {
        View::Waterfall => Some("the waterfall shows one protocol"),
        View::Ladder => Some("the ladder shows one connection of one protocol"),
        View::Lanes | View::Totals => None,
    };
    if let Some(what) = one_protocol {
        if run.protocols.len() > 1 {
            return Err(CliError::input(
                "--protocol",
                format!("{what} (got {}); use --view lanes or --view totals to compare", run.protocols.len()),
            ));
        }
    }
    if connection.is_some() && view != View::Ladder {
        return Err(CliError::input(
            "--connection",
            "only the ladder draws one connection; add --view ladder",
        ));
    }
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
    let mut items = Items::new(args);
    let mut id = None;
    while let Some(item) = items.next_item() {
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
            Item::Flag { name, .. } => return Err(unknown_flag(name, "preset", "only a preset name")),
        }
    }
    match id {
        Some(id) => Ok(Command::Preset(find_preset_named(id, "preset")?)),
        None => Err(CliError::input("preset", format!("missing name; one of {}", preset_ids()))),
    }
}

fn parse_digest(args: &[String]) -> Result<Command, CliError> {
    let mut items = Items::new(args);
    let mut presets = Vec::new();
    let mut protocols = Vec::new();
    while let Some(item) = items.next_item() {
        match item {
            Item::Positional(arg) => {
                return Err(CliError::input(
                    "digest",
                    format!("unexpected argument {arg:?}; name presets with --preset NAME"),
                ))
            }
            Item::Flag { name, inline } => match name {
                "--preset" => presets.push(find_preset(items.value(name, inline)?)?),
                "--protocol" => protocols.push(parse_protocol(items.value(name, inline)?)?),
                _ => return Err(unknown_flag(name, "digest", "--preset NAME and --protocol P")),
            },
        }
    }
    Ok(Command::Digest(DigestArgs { presets, protocols }))
}

fn expect_no_arguments(args: &[String], command: &str) -> Result<(), CliError> {
    let mut items = Items::new(args);
    match items.next_item() {
        None => Ok(()),
        Some(Item::Flag { name, .. }) => Err(unknown_flag(name, command, "no options")),
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
    fn help_wins_anywhere_before_double_dash() {
        assert!(matches!(parse(&args(&["run", "--preset", "x", "--help"])), Ok(Command::Help)));
        assert!(matches!(parse(&args(&["help"])), Ok(Command::Help)));
        assert!(matches!(parse(&args(&["--version"])), Ok(Command::Version)));
    }
}
