//! Permalinks: the whole scenario and view state in the address's query
//! string, so that copying the address shares exactly what is on screen.
//! Pure (no web types), tested natively; the web worker that exports files
//! reads the same links.
//!
//! # Format 1 (`v=1`)
//!
//! `?v=1&p=PRESET&rtt=…&bw=…&loss=…&n=…&kb=…&iw=…&tls=…&ka=…&cl=…&pl=0|1&show=10-11-2`
//! then optional view keys `c=11-3` (the ladder's protocol and connection),
//! `wf=2` (the waterfall's protocol), `t=1234.5` (the playhead in ms), and
//! for an `<iframe>`: `embed=1`, `autoplay=1`, `views=totals-lanes-waterfall-ladder`.
//!
//! - Every control's value is written, not only the ones that differ from
//!   the preset, so a link keeps meaning the same scenario if a later version
//!   retunes a preset. The request list itself comes from the preset `p`.
//! - Protocol codes: `10` HTTP/1.0, `11` HTTP/1.1, `2` HTTP/2.
//! - A missing control key takes the preset's value; unknown keys are
//!   ignored (a newer minor addition must not break an older reader).
//! - Format 0 is the first release's `?preset=ID`; it still opens.
//! - A link from a newer format, an unknown preset, a malformed value or an
//!   over-long link is a [`LinkError`] naming the key and the reason; the app
//!   then opens the default scenario and shows that message.

use std::fmt;

use reuse_sim::presets;
use reuse_sim::trace::ConnId;
use reuse_sim::Protocol;

use crate::params::Form;

/// The format this version writes.
pub const FORMAT: u32 = 1;

/// Links longer than this are refused unread (a hostile link cannot make
/// the page parse megabytes).
pub const MAX_LINK_CHARS: usize = 2000;

/// Longest value accepted for one key.
const MAX_VALUE_CHARS: usize = 40;

/// Which views an embed shows, in page order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Views {
    pub totals: bool,
    pub lanes: bool,
    pub waterfall: bool,
    pub ladder: bool,
}

impl Views {
    pub const ALL: Views = Views { totals: true, lanes: true, waterfall: true, ladder: true };
    /// What an embed shows unless `views=` says otherwise.
    pub const EMBED_DEFAULT: Views = Views { totals: true, lanes: true, waterfall: false, ladder: false };
    const NAMES: [&'static str; 4] = ["totals", "lanes", "waterfall", "ladder"];

    fn flags(self) -> [bool; 4] {
        [self.totals, self.lanes, self.waterfall, self.ladder]
    }

    fn parse(value: &str) -> Result<Views, String> {
        let mut on = [false; 4];
        for name in value.split('-') {
            let i = Views::NAMES
                .iter()
                .position(|n| *n == name)
                .ok_or_else(|| format!("unknown view {name:?} (use totals, lanes, waterfall, ladder)"))?;
            on[i] = true;
        }
        Ok(Views { totals: on[0], lanes: on[1], waterfall: on[2], ladder: on[3] })
    }

    fn key(self) -> String {
        let names: Vec<&str> =
            Views::NAMES.iter().zip(self.flags()).filter(|(_, on)| *on).map(|(n, _)| *n).collect();
        names.join("-")
    }
}

/// How the page is embedded in an `<iframe>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embed {
    pub autoplay: bool,
    pub views: Views,
}

/// What the view shows besides the scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewState {
    pub ladder: Option<(Protocol, ConnId)>,
    pub waterfall: Option<Protocol>,
    pub playhead_ms: Option<f64>,
    pub embed: Option<Embed>,
}

/// A decoded link: a preset, the control panel's values, and the view.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub format: u32,
    pub preset_id: String,
    pub form: Form,
    pub view: ViewState,
}

/// Why a link could not be opened: the key and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    pub key: String,
    pub reason: String,
}

impl LinkError {
    fn new(key: &str, reason: impl Into<String>) -> Self {
        LinkError { key: key.to_string(), reason: reason.into() }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

pub fn protocol_code(p: Protocol) -> &'static str {
    match p {
        Protocol::Http10 => "10",
        Protocol::Http11 => "11",
        Protocol::H2 => "2",
        Protocol::H3 => "3",
    }
}

fn protocol_from_code(key: &str, code: &str) -> Result<Protocol, LinkError> {
    Protocol::OVER_TCP
        .into_iter()
        .find(|&p| protocol_code(p) == code)
        .ok_or_else(|| LinkError::new(key, format!("unknown protocol {code:?} (use 10, 11 or 2)")))
}

/// The query string (with its `?`) for a scenario and view.
pub fn encode(preset_id: &str, form: &Form, view: &ViewState) -> String {
    let mut q = format!("?v={FORMAT}&p=");
    push_escaped(&mut q, preset_id);
    let fields: [(&str, &str); 9] = [
        ("rtt", &form.rtt),
        ("bw", &form.bandwidth),
        ("loss", &form.loss),
        ("n", &form.object_count),
        ("kb", &form.object_size),
        ("iw", &form.initial_window),
        ("tls", &form.tls),
        ("ka", &form.keep_alive),
        ("cl", &form.connection_limit),
    ];
    for (key, value) in fields {
        q.push('&');
        q.push_str(key);
        q.push('=');
        push_escaped(&mut q, value);
    }
    q.push_str(if form.pipelining { "&pl=1" } else { "&pl=0" });
    let shown: Vec<&str> = form.shown_protocols().into_iter().map(protocol_code).collect();
    q.push_str("&show=");
    q.push_str(&shown.join("-"));
    if let Some((p, c)) = view.ladder {
        q.push_str(&format!("&c={}-{c}", protocol_code(p)));
    }
    if let Some(p) = view.waterfall {
        q.push_str("&wf=");
        q.push_str(protocol_code(p));
    }
    if let Some(t) = view.playhead_ms.filter(|t| t.is_finite()) {
        // A tenth of a millisecond is finer than any view can show.
        let tenths = (t * 10.0).round() as i64;
        q.push_str(&format!("&t={}", tenths / 10));
        if tenths % 10 != 0 {
            q.push_str(&format!(".{}", tenths % 10));
        }
    }
    if let Some(embed) = view.embed {
        q.push_str("&embed=1");
        if embed.autoplay {
            q.push_str("&autoplay=1");
        }
        if embed.views != Views::EMBED_DEFAULT {
            q.push_str("&views=");
            q.push_str(&embed.views.key());
        }
    }
    q
}

/// Reads a query string (with or without its `?`). `Ok(None)`: the address
/// names no scenario (open the default).
pub fn decode(query: &str) -> Result<Option<Link>, LinkError> {
    if query.len() > MAX_LINK_CHARS {
        return Err(LinkError::new(
            "link",
            format!(
                "{} characters is longer than any link Reuse Lab writes ({MAX_LINK_CHARS} at most)",
                query.len()
            ),
        ));
    }
    let pairs = parse_query(query)?;
    let get = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let format = match get("v") {
        None => 0,
        Some(v) => {
            v.parse::<u32>().map_err(|_| LinkError::new("v", format!("{v:?} is not a format number")))?
        }
    };
    if format > FORMAT {
        return Err(LinkError::new(
            "v",
            format!("format {format} comes from a newer Reuse Lab (this one reads formats 0 to {FORMAT})"),
        ));
    }
    let preset_key = if format == 0 { "preset" } else { "p" };
    let Some(preset_id) = get(preset_key) else {
        return if format == 0 { Ok(None) } else { Err(LinkError::new("p", "the link names no preset")) };
    };
    let preset = presets::find(preset_id)
        .ok_or_else(|| LinkError::new(preset_key, format!("no preset is called {preset_id:?}")))?;
    let mut form = Form::from_scenario(&preset.scenario());
    let mut view = ViewState::default();
    if format == 0 {
        return Ok(Some(Link { format, preset_id: preset.id.to_string(), form, view }));
    }

    let texts: [(&str, &mut String); 9] = [
        ("rtt", &mut form.rtt),
        ("bw", &mut form.bandwidth),
        ("loss", &mut form.loss),
        ("n", &mut form.object_count),
        ("kb", &mut form.object_size),
        ("iw", &mut form.initial_window),
        ("tls", &mut form.tls),
        ("ka", &mut form.keep_alive),
        ("cl", &mut form.connection_limit),
    ];
    for (key, slot) in texts {
        if let Some(value) = get(key) {
            // The value is checked as if typed into the control (`params::apply`).
            *slot = value.to_string();
        }
    }
    if let Some(v) = get("pl") {
        form.pipelining = flag("pl", v)?;
    }
    if let Some(v) = get("show") {
        let mut on = [false; 3];
        for code in v.split('-').filter(|c| !c.is_empty()) {
            let p = protocol_from_code("show", code)?;
            on[Protocol::OVER_TCP.iter().position(|&q| q == p).unwrap_or(0)] = true;
        }
        if on == [false; 3] {
            return Err(LinkError::new("show", "the link shows no protocol"));
        }
        form.protocols = on;
    }
    if let Some(v) = get("c") {
        let (code, id) = v
            .split_once('-')
            .ok_or_else(|| LinkError::new("c", format!("{v:?} is not PROTOCOL-CONNECTION")))?;
        let p = protocol_from_code("c", code)?;
        let id = id
            .parse::<ConnId>()
            .map_err(|_| LinkError::new("c", format!("{id:?} is not a connection number")))?;
        view.ladder = Some((p, id));
    }
    if let Some(v) = get("wf") {
        view.waterfall = Some(protocol_from_code("wf", v)?);
    }
    if let Some(v) = get("t") {
        let t = v.parse::<f64>().ok().filter(|t| t.is_finite() && *t >= 0.0);
        view.playhead_ms = Some(t.ok_or_else(|| LinkError::new("t", format!("{v:?} is not a time in ms")))?);
    }
    if get("embed").is_some_and(|v| v != "0") {
        let autoplay = get("autoplay").map(|v| flag("autoplay", v)).transpose()?.unwrap_or(false);
        let views = get("views").map(Views::parse).transpose().map_err(|e| LinkError::new("views", e))?;
        view.embed = Some(Embed { autoplay, views: views.unwrap_or(Views::EMBED_DEFAULT) });
    }
    Ok(Some(Link { format, preset_id: preset.id.to_string(), form, view }))
}

fn flag(key: &str, v: &str) -> Result<bool, LinkError> {
    match v {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(LinkError::new(key, format!("{v:?} is neither 0 nor 1"))),
    }
}

/// `key=value` pairs, percent-decoded. A bare `key` has an empty value.
fn parse_query(query: &str) -> Result<Vec<(String, String)>, LinkError> {
    let mut pairs = Vec::new();
    for part in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let key = unescape("link", k)?;
        let value = unescape(&key, v)?;
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(LinkError::new(
                &key,
                format!("the value is longer than {MAX_VALUE_CHARS} characters"),
            ));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Appends `text` with everything but unreserved characters (RFC 3986 §2.3)
/// percent-encoded.
fn push_escaped(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

fn unescape(key: &str, text: &str) -> Result<String, LinkError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(
                    hex.ok_or_else(|| {
                        LinkError::new(key, "a broken %-escape (the link was cut or altered)")
                    })?,
                );
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| LinkError::new(key, "the value is not valid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form_of(preset: &str) -> Form {
        Form::from_scenario(&presets::find(preset).expect("preset").scenario())
    }

    #[test]
    fn every_preset_round_trips_with_its_view() {
        for preset in presets::all() {
            let mut form = form_of(preset.id);
            form.rtt = "123.5".into();
            form.bandwidth = "∞".into();
            form.pipelining = !form.pipelining;
            form.protocols = [false, true, true];
            let view = ViewState {
                ladder: Some((Protocol::H2, 1)),
                waterfall: Some(Protocol::Http11),
                playhead_ms: Some(1234.5),
                embed: Some(Embed { autoplay: true, views: Views { ladder: true, ..Views::EMBED_DEFAULT } }),
            };
            let query = encode(preset.id, &form, &view);
            let link = decode(&query).expect("decodes").expect("names a scenario");
            assert_eq!(link.preset_id, preset.id);
            assert_eq!(link.form, form, "{query}");
            assert_eq!(link.view, view, "{query}");
            assert_eq!(link.format, FORMAT);
        }
    }

    #[test]
    fn the_first_releases_preset_links_still_open() {
        let link = decode("?preset=image-tiles").unwrap().unwrap();
        assert_eq!(link.format, 0);
        assert_eq!(link.preset_id, "image-tiles");
        assert_eq!(link.form, form_of("image-tiles"));
        assert_eq!(decode("").unwrap(), None);
        assert_eq!(decode("?utm_source=x").unwrap(), None, "unrelated parameters open the default");
    }

    #[test]
    fn missing_keys_take_the_presets_values_and_unknown_keys_are_ignored() {
        let link = decode("?v=1&p=textbook&rtt=250&future=yes").unwrap().unwrap();
        let mut expected = form_of("textbook");
        expected.rtt = "250".into();
        assert_eq!(link.form, expected);
    }

    #[test]
    fn damaged_or_hostile_links_name_the_key_and_the_reason() {
        let cases = [
            ("?v=99&p=textbook", "v", "newer"),
            ("?v=x", "v", "format number"),
            ("?v=1", "p", "no preset"),
            ("?v=1&p=nope", "p", "no preset is called"),
            ("?preset=nope", "preset", "no preset is called"),
            ("?v=1&p=textbook&show=10-3", "show", "unknown protocol"),
            ("?v=1&p=textbook&show=", "show", "no protocol"),
            ("?v=1&p=textbook&c=11", "c", "PROTOCOL-CONNECTION"),
            ("?v=1&p=textbook&c=11-x", "c", "connection number"),
            ("?v=1&p=textbook&t=-4", "t", "time in ms"),
            ("?v=1&p=textbook&t=NaN", "t", "time in ms"),
            ("?v=1&p=textbook&pl=yes", "pl", "neither 0 nor 1"),
            ("?v=1&p=textbook&rtt=%4", "rtt", "%-escape"),
            ("?v=1&p=textbook&rtt=%FF", "rtt", "UTF-8"),
            ("?v=1&p=textbook&embed=1&views=lanes-map", "views", "unknown view"),
        ];
        for (query, key, reason) in cases {
            let e = decode(query).expect_err(query);
            assert_eq!(e.key, key, "{query}: {e}");
            assert!(e.reason.contains(reason), "{query}: {e}");
        }
        let long = format!("?v=1&p=textbook&x={}", "a".repeat(MAX_LINK_CHARS));
        assert_eq!(decode(&long).unwrap_err().key, "link");
        let long_value = format!("?v=1&p=textbook&rtt={}", "9".repeat(MAX_VALUE_CHARS + 1));
        assert_eq!(decode(&long_value).unwrap_err().key, "rtt");
    }

    #[test]
    fn values_are_escaped_so_no_value_can_add_a_key() {
        let mut form = form_of("textbook");
        form.rtt = "1&p=image-tiles&x=%".into();
        let query = encode("textbook", &form, &ViewState::default());
        let link = decode(&query).unwrap().unwrap();
        assert_eq!(link.preset_id, "textbook");
        assert_eq!(link.form.rtt, form.rtt);
    }

    #[test]
    fn the_playhead_is_written_to_a_tenth_of_a_millisecond() {
        let form = form_of("textbook");
        for (t, text) in [(1500.0, "t=1500"), (12.34, "t=12.3"), (0.06, "t=0.1")] {
            let view = ViewState { playhead_ms: Some(t), ..ViewState::default() };
            let query = encode("textbook", &form, &view);
            assert!(query.ends_with(text), "{query}");
        }
    }

    #[test]
    fn a_modern_page_link_is_short_enough_for_a_chat() {
        let form = form_of("modern-page");
        let view = ViewState {
            ladder: Some((Protocol::Http11, 12)),
            waterfall: Some(Protocol::H2),
            playhead_ms: Some(2345.6),
            embed: None,
        };
        let query = encode("modern-page", &form, &view);
        // A chat line; the CLI prints the measured length for the README.
        assert!(query.len() <= 160, "{} chars: {query}", query.len());
    }

    #[test]
    fn no_link_makes_decoding_panic() {
        // Deterministic fuzzing: mutations of a real link and random bytes.
        let base = encode("modern-page", &form_of("modern-page"), &ViewState::default());
        let alphabet = b"?&=%-.0123456789abcdefpvtcshowembedviews+~\xff\x00";
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..20_000 {
            let mut bytes = base.clone().into_bytes();
            for _ in 0..1 + next() % 6 {
                let at = (next() % (bytes.len() as u64 + 1)) as usize;
                let b = alphabet[(next() % alphabet.len() as u64) as usize];
                match next() % 3 {
                    0 => bytes.insert(at, b),
                    1 if at < bytes.len() => bytes[at] = b,
                    _ if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => {}
                }
            }
            if round % 4 == 0 {
                bytes =
                    (0..next() % 64).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            }
            let text = String::from_utf8_lossy(&bytes);
            if let Ok(Some(link)) = decode(&text) {
                // Whatever opens re-encodes to a link that opens the same way.
                let again = encode(&link.preset_id, &link.form, &link.view);
                assert_eq!(decode(&again).unwrap().unwrap().form, link.form, "{text}");
            }
        }
    }
}
