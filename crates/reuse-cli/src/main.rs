//! `reuse-cli`: Reuse Lab's simulation engine on the command line.
//!
//! Every command builds its whole output in memory and prints it only when
//! nothing failed, so an error never leaves a partial table or JSON document
//! on stdout. Errors are one line on stderr, `error: <field>: <reason>`;
//! exit code 2 for bad input, 1 when the simulation itself gives up.

mod args;
mod lesson;
mod report;
mod sweep;
mod text;

use std::fmt;
use std::io::{self, Read, Write};
use std::process::ExitCode;

use reuse_sim::permalink::LinkError;
use reuse_sim::{presets, schema, DescribeContext, Protocol, Scenario, SimError, SimOutput};

use args::{Command, DigestArgs, RunArgs, Source, SvgArgs, View};

const HELP: &str = "\
reuse-cli: Reuse Lab's HTTP connection-reuse simulation on the command line

USAGE
  reuse-cli run   (SCENARIO.json | - | --preset NAME | --link LINK) [--protocol P]... [--seed N] [--json]
                  [--variant 'LABEL:key=value,...']... [--push-ways] [--clients N [--over MS]]
  reuse-cli trace (SCENARIO.json | - | --preset NAME | --link LINK) [--protocol P] [--seed N] [--json]
  reuse-cli sweep (SCENARIO.json | - | --preset NAME | --link LINK) --param NAME=FROM..TO
                  [--points N] [--log] [--protocol P | --variant 'LABEL:key=value,...']...
                  [--seeds N] [--seed N]
                  [--metric M] [--csv | --json | --svg [--width PX]]
  reuse-cli svg   (SCENARIO.json | - | --preset NAME | --link LINK) [--protocol P | --variant V]... [--seed N]
                  [--view lanes|waterfall|ladder|totals|server|push|cwnd] [--connection N] [--width PX]
                  [--clients N [--over MS]]
  reuse-cli har   (SCENARIO.json | - | --preset NAME | --link LINK) [--protocol P] [--seed N]
  reuse-cli lesson [ID | LESSON.json]
  reuse-cli presets
  reuse-cli preset NAME
  reuse-cli schema
  reuse-cli digest [--preset NAME]... [--protocol P]...
  reuse-cli help | --help
  reuse-cli --version

COMMANDS
  run      Simulate a scenario and print page load, totals, each request's
           phases as a text waterfall and each connection with why it closed.
           Several --protocol flags replay the same scenario under each, in
           flag order, and print a comparison of totals before the runs.
           --json prints the result JSON of the scenario format (an array
           when several protocols are given), each with closed_form: the
           textbook formula of that page load with the scenario's numbers,
           or why none applies (also printed under the page load).
           --variant 'LABEL:key=value,...' (repeated, in place of
           --protocol) runs named variants side by side: protocol=P and the
           app's controls by their link keys (rtt, bw, loss, n, kb, iw, tls,
           ka, cl, pl), e.g. --variant 'persistent:protocol=1.1,cl=1'; for
           a scenario with server events (push), push=poll, poll:MS, long or
           stream says how the client fetches them.
           --push-ways runs a push scenario's events five ways side by side
           (a new connection per poll, polls over keep-alive, long polls,
           server-sent events, an HTTP/2 stream) and compares each event's
           latency, the requests, bytes and packets per event
           (try --preset live-scores).
           --clients N [--over MS] has N clients (1 to 10000) load the page,
           arriving evenly over MS, each with its own connections and path
           to the one server, and adds the server's figures at that scale:
           connections accepted (and per second), the most open at once,
           handshakes and their CPU, memory at the peak.
  trace    Print every simulated event, one per line: time in ms, then what
           happened and why. --json prints one JSON object per line (the
           event's fields plus \"text\").
  sweep    Run the scenario at --points values of one parameter (default 20,
           evenly spaced, or evenly in the logarithm with --log) under each
           --protocol (default: a link's shown protocols, else http/1.0,
           http/1.1 and h2), or each --variant (a curve per variant, as
           `run --variant` takes them; none may set the parameter swept),
           on every core, print the --metric (default
           page_load_ms) per point, and where two curves cross, the crossing
           refined by bisection (\"h2 slower than http/1.1 above 2.13 % loss\").
           Parameters, by the app's rules for its controls: rtt (ms), bw
           (downlink Mbit/s; the uplink keeps its ratio), loss (%), n
           (objects), kb (object size, KB), ka (keep-alive timeout, ms), gap
           (ms: delay_ms of every request but the first), iw (initial window,
           segments), cl (connections per host). Metrics: page_load_ms,
           connections_opened, setup_ms, handshake_round_trips,
           bytes_on_wire, packets, retransmissions, packets_lost, queued_ms,
           held_ms, retried_requests, failed_requests. Under loss a point is
           the median of --seeds runs (default 10; seeds seed, seed+1, ...)
           with its 10th and 90th percentiles; without loss one run. Every
           point equals `run` at that value. --csv: one row per point and
           protocol; --json: points and crossovers; --svg: the curves as a
           self-contained SVG (bands, crossovers marked; --width PX).
  svg      Print a self-contained SVG picture (inline styles, no external
           references) for papers, slides and docs. --view lanes (default):
           one row per connection with set-up, requests, idle keep-alive and
           close, for every --protocol on one time axis (default: all four),
           or for each --variant, headed by its label (K&R's four answers
           on one clock).
           --view waterfall: one row per request with DevTools' phases, for
           one protocol (default: the scenario's).
           --view ladder: the ladder diagram of one connection (--connection
           N, default: the first; ids as `run` lists them) of one protocol
           (default: the scenario's): every packet an arrow, time running
           down, lost packets crossed, TCP states beside the lines, quiet
           stretches folded; past 2400 packets the middle is folded too.
           --view cwnd: the congestion window of one connection's server
           (--connection N, default: the first) over time, ssthresh dashed,
           each change marked with the trace's reason (a loss and the cut,
           Reno's half or CUBIC's 0.7; HyStart++; a timeout) and each lost
           packet crossed.
           --view totals: the overhead totals of every --protocol (default:
           all four) as bars, with the saving against HTTP/1.0.
           --view server: the connections each --protocol (default: all
           four) holds open on the server over time, with its peak and mean.
           With --clients N [--over MS] (or a scenario's clients), --view
           server draws the connections of all the clients together.
           --view push: for a scenario with the server's events (push), a
           row per way of fetching them (as run --push-ways), each event a
           bar from when it happens to when the client has it.
           --width PX (480 to 20000, default 1000); the height grows with
           the rows.
  har      Print the simulated page load as a HAR 1.2 file (one entry per
           request, DevTools timings), to open in DevTools or a HAR viewer.
           One protocol (default: the scenario's); times start at
           2026-01-01T00:00:00Z so the file is the same on every run.
  lesson   Check a lesson (a built-in id, or a lesson file to edit: see
           lessons/ in the repository): each step's question, the engine's
           answer, where the player pauses and the explanation with the
           run's figures. Without an argument, list the built-in lessons.
  presets  List the built-in scenarios.
  preset   Print a built-in scenario as JSON, to copy and edit.
  schema   Print the JSON Schema of the scenario format.
  digest   Print `preset protocol digest` lines: a 64-bit FNV-1a hash (16 hex
           digits) of each run's trace and result, for determinism checks;
           each preset again with CUBIC and with BBR as `preset+cubic`,
           `preset+bbr`.

OPTIONS
  --preset NAME    A built-in scenario instead of a file (see `reuse-cli presets`).
  --link LINK      The scenario a Reuse Lab permalink shows: the whole address
                   or its query (quote it: it holds &). Its preset with the
                   controls' values, edited as in the app (objects, object
                   size, bandwidth, TLS, ...), under the protocols it shows
                   (show=). trace, har, and svg --view waterfall|ladder take
                   the first protocol shown unless --protocol says.
  --protocol P     http/1.0, http/1.1, h2 or h3 (also 1.0, 1.1, 2, http2, 3,
                   http/3). Default: a link's shown protocols, else the
                   scenario's client.protocol. HTTP/3 always runs TLS 1.3
                   inside QUIC, whatever tls.version says.
  --seed N         Override the scenario's seed (random loss).
  --json           Machine-readable output.
  -                As the file: read the scenario from standard input.

EXIT STATUS
  0 success, 1 the simulation gave up (event or time limit), 2 bad input
  (the message names the field: `error: network.rtt_ms: ...`; for a link,
  its key: `error: link.rtt: ...`).
";

/// Why a command failed; decides the exit code.
#[derive(Debug)]
pub enum CliError {
    /// The user's input is wrong: a field, a flag, a file. Exit code 2.
    Input { field: String, reason: String },
    /// The scenario is valid but the simulation gave up. Exit code 1.
    Simulation(String),
    /// The simulation stopped at its event or time cap: what it simulated
    /// is printed (`output`), then the reason. Exit code 1.
    Stopped { message: String, output: String },
}

impl CliError {
    pub fn input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        CliError::Input { field: field.into(), reason: reason.into() }
    }

    fn exit_code(&self) -> ExitCode {
        match self {
            CliError::Input { .. } => ExitCode::from(2),
            CliError::Simulation(_) | CliError::Stopped { .. } => ExitCode::from(1),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input { field, reason } => write!(f, "{field}: {reason}"),
            CliError::Simulation(message) | CliError::Stopped { message, .. } => f.write_str(message),
        }
    }
}

impl From<SimError> for CliError {
    fn from(e: SimError) -> Self {
        match e {
            SimError::Scenario(e) => CliError::Input { field: e.field, reason: e.reason },
            other => CliError::Simulation(other.to_string()),
        }
    }
}

/// mimalloc, not the system's: a run's trace is about a megabyte, and glibc
/// maps and unmaps blocks that size for every run; the page faults took a
/// quarter of a sweep's time (modern page, three protocols: 1.95 ms per run
/// with glibc, 1.39 ms with mimalloc, on one core).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    install_panic_hook();
    let result = collect_args().and_then(|args| args::parse(&args)).and_then(|command| execute(&command));
    match result {
        Ok(output) => write_stdout(&output),
        Err(e) => {
            if let CliError::Stopped { output, .. } = &e {
                // Where it got stuck: the partial run, then the reason.
                write_stdout(output);
            }
            eprintln!("error: {}", one_line(&e.to_string()));
            e.exit_code()
        }
    }
}

/// Arguments as UTF-8 (`std::env::args` would panic on anything else).
fn collect_args() -> Result<Vec<String>, CliError> {
    std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string().map_err(|raw| {
                CliError::input("argument", format!("{} is not valid UTF-8", raw.to_string_lossy()))
            })
        })
        .collect()
}

fn execute(command: &Command) -> Result<String, CliError> {
    match command {
        Command::Run(run) => run_command(run),
        Command::Sweep(args) => sweep::sweep_command(args),
        Command::Svg(svg) => svg_command(svg),
        Command::Har(har) => har_command(har),
        Command::Trace(run) => trace_command(run),
        Command::Lesson(source) => lesson::lesson_command(source.clone()),
        Command::Presets => Ok(presets_command()),
        Command::Preset(preset) => Ok(format!("{}\n", preset.scenario().to_json_pretty())),
        Command::Schema => Ok(with_newline(schema::SCENARIO_SCHEMA)),
        Command::Digest(digest) => digest_command(digest),
        Command::Help => Ok(HELP.to_string()),
        Command::Version => Ok(format!("reuse-cli {}\n", env!("CARGO_PKG_VERSION"))),
    }
}

fn with_newline(text: &str) -> String {
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// A scenario to simulate and the protocols to replay it under.
pub(crate) struct Loaded {
    pub scenario: Scenario,
    /// `--protocol` flags in order; else a link's shown protocols; else
    /// empty, meaning the scenario's own `client.protocol`.
    pub protocols: Vec<Protocol>,
}

/// Reads, parses and validates the scenario, then applies `--seed`.
pub(crate) fn load_scenario(run: &RunArgs) -> Result<Loaded, CliError> {
    let (mut scenario, shown) = match &run.source {
        Source::Preset(preset) => (preset.scenario(), Vec::new()),
        Source::File(path) => {
            let text = read_source(path)?;
            let scenario = Scenario::from_json(&text)
                .map_err(|e| CliError::Input { field: e.field, reason: e.reason })?;
            (scenario, Vec::new())
        }
        // The engine's reading of a permalink, as the app's export worker does.
        Source::Link(link) => reuse_sim::permalink::scenario_of(link).map_err(link_error)?,
    };
    if let Some(seed) = run.seed {
        scenario.seed = seed;
    }
    if let Some((count, over_ms)) = run.clients {
        scenario.clients = Some(reuse_sim::scenario::Clients { count, over_ms });
    }
    scenario.validate().map_err(|e| CliError::Input { field: e.field, reason: e.reason })?;
    let protocols = if run.protocols.is_empty() { shown } else { run.protocols.clone() };
    Ok(Loaded { scenario, protocols })
}

/// A link's problem names its key: `link.rtt`, `link.p`; `link` for the
/// link as a whole.
fn link_error(e: LinkError) -> CliError {
    let field = if e.key == "link" { e.key } else { format!("link.{}", e.key) };
    CliError::Input { field, reason: e.reason }
}

fn read_source(path: &str) -> Result<String, CliError> {
    let (field, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        let read = io::stdin().lock().read_to_end(&mut bytes);
        ("stdin", read.map(|_| bytes))
    } else {
        (path, std::fs::read(path))
    };
    let bytes = bytes.map_err(|e| CliError::input(field, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CliError::input(field, format!("not UTF-8 text: {e}")))
}

/// The scenario once per requested protocol (its own when none is given).
fn scenarios_per_protocol(scenario: &Scenario, protocols: &[Protocol]) -> Vec<Scenario> {
    if protocols.is_empty() {
        vec![scenario.clone()]
    } else {
        protocols.iter().map(|&p| scenario.with_protocol(p)).collect()
    }
}

/// Simulates each scenario. A run stopped at its cap gives its partial
/// output, and `stopped` keeps the first reason (reported after the output).
fn simulate_all(scenarios: &[Scenario], stopped: &mut Option<String>) -> Result<Vec<SimOutput>, CliError> {
    scenarios.iter().map(|s| simulate_one(s, stopped)).collect()
}

fn simulate_one(scenario: &Scenario, stopped: &mut Option<String>) -> Result<SimOutput, CliError> {
    match reuse_sim::simulate(scenario) {
        Ok(output) => Ok(output),
        Err(e) => match e.partial() {
            Some(partial) => {
                stopped.get_or_insert_with(|| e.to_string());
                Ok(partial.clone())
            }
            None => Err(e.into()),
        },
    }
}

/// The command's output, or (when a run stopped at its cap) that output
/// and the reason, for exit code 1.
fn finish(output: String, stopped: Option<String>) -> Result<String, CliError> {
    match stopped {
        None => Ok(output),
        Some(message) => Err(CliError::Stopped { message, output }),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|e| CliError::Simulation(format!("output: cannot write JSON: {e}")))
}

/// A run's result object with `closed_form` added after its own fields: the
/// textbook formula beside it (`reuse_sim::formula`), or `{"none": reason}`.
#[derive(serde::Serialize)]
struct WithClosedForm<'a> {
    #[serde(flatten)]
    result: &'a reuse_sim::RunResult,
    /// The variant's label (`run --variant`).
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<&'a str>,
    closed_form: serde_json::Value,
    /// The server's figures for the scenario's `clients`.
    #[serde(skip_serializing_if = "Option::is_none")]
    clients: Option<&'a reuse_sim::crowd::CrowdResult>,
}

fn result_json<'a>(scenario: &Scenario, result: &'a reuse_sim::RunResult) -> WithClosedForm<'a> {
    use reuse_sim::formula::{agrees, closed_form, ClosedForm};
    let closed_form = match closed_form(scenario, result.protocol) {
        ClosedForm::Applies(r) => serde_json::json!({
            "model": r.model,
            "formula": r.formula,
            "worked": r.worked,
            "expected_ms": r.expected_ms,
            "agrees": agrees(r.expected_ms, result.page_load_ms),
            "round_trips": r.breakdown.iter().map(|(what, n)| serde_json::json!({ "what": what, "round_trips": n })).collect::<Vec<_>>(),
        }),
        ClosedForm::None(why) => serde_json::json!({ "none": why }),
    };
    WithClosedForm { result, variant: None, closed_form, clients: None }
}

/// The variants to run: the `--variant` flags, else (with neither them nor
/// `--protocol`) a link's own (`var=`, the app's variants view).
pub(crate) fn variants_of(run: &RunArgs) -> Result<Vec<reuse_sim::variant::Variant>, CliError> {
    match &run.source {
        Source::Link(link) if run.variants.is_empty() && run.protocols.is_empty() => {
            reuse_sim::variant::variants_of_link(link).map_err(link_error)
        }
        _ => Ok(run.variants.clone()),
    }
}

fn run_command(run: &RunArgs) -> Result<String, CliError> {
    let Loaded { scenario, protocols } = load_scenario(run)?;
    let from_flags_or_link = variants_of(run)?;
    let ways;
    let variants = if run.push_ways {
        if scenario.push.is_none() {
            return Err(CliError::input(
                "--push-ways",
                "the scenario has no push section, so no events to fetch (try --preset live-scores)",
            ));
        }
        ways = push_ways(&scenario);
        &ways
    } else {
        &from_flags_or_link
    };
    let scenarios = if variants.is_empty() {
        scenarios_per_protocol(&scenario, &protocols)
    } else {
        variants
            .iter()
            .map(|v| {
                v.apply(&scenario).map_err(|e| CliError::input("--variant", format!("{:?}: {e}", v.label)))
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let labels: Vec<Option<&str>> = if variants.is_empty() {
        vec![None; scenarios.len()]
    } else {
        variants.iter().map(|v| Some(v.label.as_str())).collect()
    };
    let several = scenarios.len() > 1 || protocols.len() > 1;
    let mut stopped = None;
    let outputs = simulate_all(&scenarios, &mut stopped)?;
    // Many clients (`clients`, `--clients`): the server's figures at scale.
    let crowds = scenarios
        .iter()
        .map(|s| {
            s.clients
                .as_ref()
                .map(|_| reuse_sim::crowd::simulate_crowd(s, s.client.protocol, reuse_sim::Limits::default()))
                .transpose()
        })
        .collect::<Result<Vec<_>, _>>()?;
    if run.json {
        // An array exactly when several protocols were asked for (by flags
        // or by a link's show=), so a script can rely on the shape.
        let results: Vec<WithClosedForm<'_>> = scenarios
            .iter()
            .zip(&outputs)
            .zip(&labels)
            .zip(&crowds)
            .map(|(((s, o), label), crowd)| WithClosedForm {
                variant: *label,
                clients: crowd.as_ref(),
                ..result_json(s, &o.result)
            })
            .collect();
        let json = if several { to_json(&results) } else { to_json(&results[0]) };
        return finish(json?, stopped);
    }
    let runs: Vec<report::Run<'_>> = scenarios
        .iter()
        .zip(&outputs)
        .zip(&labels)
        .zip(&crowds)
        .map(|(((scenario, output), label), crowd)| report::Run {
            scenario,
            output,
            label: *label,
            crowd: crowd.as_ref(),
        })
        .collect();
    if runs.len() == 1 {
        return finish(report::run_report(&runs[0]), stopped);
    }
    let mut out = report::comparison(&runs);
    for (i, run) in runs.iter().enumerate() {
        out.push_str(&format!("\n=== {} of {}: {} ===\n", i + 1, runs.len(), run.name()));
        out.push_str(&report::run_report(run));
    }
    finish(out, stopped)
}

/// `run --push-ways`: the ways of fetching the scenario's events
/// (`reuse_sim::push::ways`, at its own poll interval), as variants.
fn push_ways(scenario: &reuse_sim::Scenario) -> Vec<reuse_sim::variant::Variant> {
    reuse_sim::push::ways(reuse_sim::push::poll_interval_ms(scenario))
        .into_iter()
        .map(|way| reuse_sim::variant::Variant {
            label: way.label.to_string(),
            protocol: Some(way.protocol),
            controls: Vec::new(),
            congestion: None,
            rack_tlp: None,
            fetch: Some(way.fetch),
        })
        .collect()
}

fn trace_command(run: &RunArgs) -> Result<String, CliError> {
    let Loaded { scenario, protocols } = load_scenario(run)?;
    let scenario = match protocols.first() {
        Some(&p) => scenario.with_protocol(p),
        None => scenario,
    };
    let mut stopped = None;
    let output = simulate_one(&scenario, &mut stopped)?;
    let cx = DescribeContext { scenario: &scenario, hosts: &output.hosts };
    let mut out = String::new();
    if run.json {
        let json_error =
            |e: serde_json::Error| CliError::Simulation(format!("output: cannot write JSON: {e}"));
        for event in &output.trace {
            // Appended to the serialized object (rather than going through a
            // `Value`, whose map sorts keys) so `time_ms` and `type` stay first.
            let fields = serde_json::to_string(event).map_err(json_error)?;
            let text = serde_json::to_string(&event.describe(cx)).map_err(json_error)?;
            match fields.strip_suffix('}') {
                Some(open) if open.len() > 1 => out.push_str(&format!("{open},\"text\":{text}}}\n")),
                _ => out.push_str(&format!("{{\"text\":{text}}}\n")),
            }
        }
        return finish(out, stopped);
    }
    // One width for every time stamp so the descriptions line up.
    let stamp = |ms: f64| format!("{ms:.3}");
    let width = output.trace.iter().map(|e| stamp(e.time.as_ms()).len()).max().unwrap_or(0);
    for event in &output.trace {
        out.push_str(&format!(
            "{:>width$} ms  {}\n",
            stamp(event.time.as_ms()),
            one_line(&event.describe(cx))
        ));
    }
    finish(out, stopped)
}

fn svg_command(svg: &SvgArgs) -> Result<String, CliError> {
    let Loaded { scenario, protocols } = load_scenario(&svg.run)?;
    let options = reuse_render::RenderOptions { width_px: svg.width_px };
    let mut stopped = None;
    let svg_text = match svg.view {
        // Variants side by side on one clock, each group headed by its label.
        View::Lanes if !variants_of(&svg.run)?.is_empty() => {
            let variants = variants_of(&svg.run)?;
            let scenarios = variants
                .iter()
                .map(|v| {
                    v.apply(&scenario)
                        .map_err(|e| CliError::input("--variant", format!("{:?}: {e}", v.label)))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let outputs = simulate_all(&scenarios, &mut stopped)?;
            let lanes: Vec<reuse_render::Lane> = variants
                .iter()
                .zip(&scenarios)
                .zip(&outputs)
                .map(|((v, scenario), output)| reuse_render::Lane { label: &v.label, scenario, output })
                .collect();
            reuse_render::lanes_svg_of(&scenario.name, &lanes, &options)
        }
        View::Lanes => {
            // Comparing is the point of the lanes: every protocol unless told.
            let protocols: &[Protocol] = if protocols.is_empty() { &Protocol::ALL } else { &protocols };
            let outputs = simulate_all(&scenarios_per_protocol(&scenario, protocols), &mut stopped)?;
            reuse_render::lanes_svg_with(&scenario, &outputs, &options)
        }
        View::Waterfall => {
            let scenario = scenarios_per_protocol(&scenario, &protocols).remove(0);
            let output = simulate_one(&scenario, &mut stopped)?;
            reuse_render::waterfall_svg_with(&scenario, &output, &options)
        }
        View::Ladder => {
            let scenario = scenarios_per_protocol(&scenario, &protocols).remove(0);
            let output = simulate_one(&scenario, &mut stopped)?;
            // Default: the first connection the run opened.
            let conn =
                svg.connection.or_else(|| output.result.connections.first().map(|c| c.id)).unwrap_or(1);
            reuse_render::ladder_svg_with(&scenario, &output, conn, &options)
                .map_err(|e| CliError::input("--connection", e.to_string()))?
        }
        View::Cwnd => {
            let scenario = scenarios_per_protocol(&scenario, &protocols).remove(0);
            let output = simulate_one(&scenario, &mut stopped)?;
            let conn =
                svg.connection.or_else(|| output.result.connections.first().map(|c| c.id)).unwrap_or(1);
            reuse_render::cwnd_svg_with(&scenario, &output, conn, reuse_sim::trace::Side::Server, &options)
                .map_err(|e| CliError::input("--connection", e.to_string()))?
        }
        View::Totals => {
            let protocols: &[Protocol] = if protocols.is_empty() { &Protocol::ALL } else { &protocols };
            let outputs = simulate_all(&scenarios_per_protocol(&scenario, protocols), &mut stopped)?;
            reuse_render::totals_svg_with(&scenario, &outputs, &options)
        }
        // Many clients: their connections on the server together.
        View::Server if scenario.clients.is_some() => {
            let protocols: &[Protocol] = if protocols.is_empty() { &Protocol::ALL } else { &protocols };
            let crowds = protocols
                .iter()
                .map(|&p| reuse_sim::crowd::simulate_crowd(&scenario, p, reuse_sim::Limits::default()))
                .collect::<Result<Vec<_>, _>>()?;
            reuse_render::crowd_svg(&scenario, &crowds.iter().collect::<Vec<_>>(), &options)
        }
        View::Server => {
            let protocols: &[Protocol] = if protocols.is_empty() { &Protocol::ALL } else { &protocols };
            let outputs = simulate_all(&scenarios_per_protocol(&scenario, protocols), &mut stopped)?;
            reuse_render::server_svg_with(&scenario, &outputs.iter().collect::<Vec<_>>(), &options)
        }
        View::Push => {
            let ways = reuse_sim::push::comparison(&scenario).map_err(|e| {
                CliError::input("--view", format!("push needs a scenario with the server's events: {e}"))
            })?;
            let scenarios: Vec<reuse_sim::Scenario> = ways.iter().map(|(_, s)| s.clone()).collect();
            let outputs = simulate_all(&scenarios, &mut stopped)?;
            let rows: Vec<(&str, &reuse_sim::SimOutput)> =
                ways.iter().zip(&outputs).map(|((way, _), out)| (way.label, out)).collect();
            reuse_render::push_svg(&rows, &options)
        }
    };
    finish(svg_text, stopped)
}

fn har_command(run: &RunArgs) -> Result<String, CliError> {
    let Loaded { scenario, protocols } = load_scenario(run)?;
    let scenario = scenarios_per_protocol(&scenario, &protocols).remove(0);
    let output = reuse_sim::simulate(&scenario)?;
    to_json(&reuse_sim::har::to_har(&scenario, &output))
}

fn presets_command() -> String {
    let all = presets::all();
    let width = all.iter().map(|p| p.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for preset in all {
        out.push_str(&format!("{:<width$}  {}\n", preset.id, preset.title));
        out.push_str(&format!("{:<width$}  {}\n", "", preset.summary));
    }
    out
}

fn digest_command(digest: &DigestArgs) -> Result<String, CliError> {
    let chosen: Vec<&presets::Preset> =
        if digest.presets.is_empty() { presets::all().iter().collect() } else { digest.presets.clone() };
    let protocols: &[Protocol] = if digest.protocols.is_empty() { &Protocol::ALL } else { &digest.protocols };
    let mut out = String::new();
    for (label, scenario) in presets::determinism_runs(&chosen) {
        for &protocol in protocols {
            let output = reuse_sim::simulate(&scenario.with_protocol(protocol))?;
            out.push_str(&format!("{label} {} {:016x}\n", protocol.as_str(), reuse_sim::digest(&output)));
        }
    }
    Ok(out)
}

/// Keeps an error or trace line on one line whatever the text contains.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write_stdout(text: &str) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // `reuse-cli trace … | head` closes the pipe early: not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: stdout: {e}");
            ExitCode::from(1)
        }
    }
}

/// A panic is a bug, never the user's fault; say so on one line instead of
/// Rust's multi-line report.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!(
            "error: internal: {}{location} (a bug in reuse-cli or its engine; please report it with the scenario)",
            one_line(&message)
        );
    }));
}
