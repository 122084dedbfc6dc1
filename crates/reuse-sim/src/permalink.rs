//! Permalinks, the scenario part: which preset, what each control of the
//! app says, and which protocols are shown. The web app (its address bar,
//! its export worker) and `reuse-cli run --link` read a link here, so a link
//! means the same scenario everywhere; the app adds its view keys (`c`, `wf`,
//! `t`, `embed`, `views`, `autoplay`) on top, through [`Query`].
//!
//! # Format 1 (`v=1`)
//!
//! `?v=1&p=PRESET&rtt=…&bw=…&loss=…&n=…&kb=…&iw=…&tls=…&ka=…&cl=…&pl=0|1&show=10-11-2`
//!
//! - Each control key ([`Control::key`]) carries the control's text as typed
//!   in the app; [`crate::edits`] reads it and applies it to the preset `p`
//!   by the controls' rules (Objects and Object size change the preset's
//!   request list; Bandwidth keeps the uplink ratio; …).
//! - The app writes every control's value, not only the ones that differ
//!   from the preset, so a link keeps meaning the same scenario if a later
//!   version retunes a preset. A missing key takes the preset's value;
//!   unknown keys are ignored (a newer minor addition must not break an
//!   older reader).
//! - `show`: the protocols shown, codes joined by `-` ([`protocol_code`]:
//!   `10` HTTP/1.0, `11` HTTP/1.1, `2` HTTP/2); all three when absent.
//! - Format 0 is the first release's `?preset=ID`; it still opens.
//! - A link from a newer format, an unknown preset, a malformed value or an
//!   over-long link is a [`LinkError`] naming the key and the reason.
//!
//! Values are percent-encoded: everything but RFC 3986's unreserved
//! characters (§2.3) is escaped. Reading decodes with the `percent-encoding`
//! crate (`+` reads as a space); writing is a ten-line function (`push_escaped`),
//! because the crate's encoder carries a 768-byte table that would cost
//! the web app about 0.85 KB of its gzipped first load.

use std::fmt;

use percent_encoding::percent_decode_str;

use crate::edits::{apply_texts, Control};
use crate::presets;
use crate::scenario::{CongestionControl, Protocol, Scenario};

/// The format this version writes.
pub const FORMAT: u32 = 1;

/// Links longer than this are refused unread (a hostile link cannot make a
/// reader parse megabytes).
pub const MAX_LINK_CHARS: usize = 2000;

/// Longest value accepted for one key, in characters.
pub const MAX_VALUE_CHARS: usize = 40;

/// Longest variant (`var=LABEL:key=value,…`), in characters: a label and
/// every control's setting.
pub const MAX_VARIANT_CHARS: usize = 160;

/// Why a link could not be opened: the key and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkError {
    /// The link's key, or `link` for the link as a whole.
    pub key: String,
    pub reason: String,
}

impl LinkError {
    pub fn new(key: &str, reason: impl Into<String>) -> Self {
        LinkError { key: key.to_string(), reason: reason.into() }
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

impl std::error::Error for LinkError {}

/// A protocol's code in `show`, `c` and `wf`.
pub fn protocol_code(p: Protocol) -> &'static str {
    match p {
        Protocol::Http10 => "10",
        Protocol::Http11 => "11",
        Protocol::H2 => "2",
        Protocol::H3 => "3",
    }
}

/// Reads a protocol code found at `key`.
pub fn protocol_from_code(key: &str, code: &str) -> Result<Protocol, LinkError> {
    Protocol::ALL
        .into_iter()
        .find(|&p| protocol_code(p) == code)
        .ok_or_else(|| LinkError::new(key, format!("unknown protocol \"{code}\" (use 10, 11, 2 or 3)")))
}

/// The query of a link: what follows the first `?` of a whole address (up
/// to a `#`), or the text itself when it is just the query (with or without
/// its `?`). An address without a query has none.
pub fn query_of(link: &str) -> &str {
    let link = link.trim();
    let query = match link.split_once('?') {
        Some((_, query)) => query,
        None if link.contains("://") => "",
        None => link,
    };
    query.split('#').next().unwrap_or(query)
}

/// A link's `key=value` pairs, percent-decoded, in order. A bare `key` has
/// an empty value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Reads a query string (with or without its `?`).
    pub fn parse(query: &str) -> Result<Query, LinkError> {
        if query.len() > MAX_LINK_CHARS {
            return Err(LinkError::new(
                "link",
                format!(
                    "{} characters is longer than any link Reuse Lab writes ({MAX_LINK_CHARS} at most)",
                    query.len()
                ),
            ));
        }
        let mut pairs = Vec::new();
        for part in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let key = unescape("link", k)?;
            let value = unescape(&key, v)?;
            let most = if key == "var" { MAX_VARIANT_CHARS } else { MAX_VALUE_CHARS };
            if value.chars().count() > most {
                return Err(LinkError::new(&key, format!("the value is longer than {most} characters")));
            }
            pairs.push((key, value));
        }
        Ok(Query { pairs })
    }

    /// The value of `key`; the last one when the key repeats.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated `key`, in order (`var=…&var=…`).
    pub fn get_all<'q>(&'q self, key: &'q str) -> impl Iterator<Item = &'q str> + 'q {
        self.pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// The scenario a link shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioLink {
    /// 0 for the first release's `?preset=`, else the `v` it was read from.
    pub format: u32,
    pub preset_id: String,
    /// The text of each control the link gives, in [`Control::ALL`] order;
    /// a control it leaves out keeps the preset's value.
    pub texts: Vec<(Control, String)>,
    /// The protocols shown, in [`Protocol::ALL`] order; never empty.
    pub protocols: Vec<Protocol>,
    /// `cc=`: the congestion controller (`tcp.congestion_control`), when
    /// the link sets one (builds with the engine's feature `cubic` read it).
    pub congestion: Option<CongestionControl>,
    /// `rack=0|1`: RACK-TLP (`tcp.rack_tlp`), when the link sets it (read
    /// like `cc=`, by builds with the feature `cubic`).
    pub rack_tlp: Option<bool>,
}

/// `cc=` of a link: the congestion controller it asks for. Only builds
/// that simulate CUBIC read it (the web app's loader opens a link with it
/// in the full build).
#[cfg(feature = "cubic")]
pub fn congestion_of(q: &Query) -> Result<Option<CongestionControl>, LinkError> {
    q.get("cc").map(|v| CongestionControl::parse(v).map_err(|e| LinkError::new("cc", e))).transpose()
}

/// Appends `&cc=NAME` for a controller other than the default (Reno), so a
/// link without the key means what it meant before the key existed.
#[cfg(feature = "cubic")]
pub fn push_congestion(q: &mut String, congestion: Option<CongestionControl>) {
    if let Some(cc) = congestion.filter(|&cc| cc != CongestionControl::NewReno) {
        q.push_str("&cc=");
        q.push_str(cc.as_str());
    }
}

/// `rack=` of a link: RACK-TLP on (`1`) or off (`0`), if it says.
#[cfg(feature = "cubic")]
pub fn rack_of(q: &Query) -> Result<Option<bool>, LinkError> {
    q.get("rack").map(|v| flag("rack", v)).transpose()
}

/// Appends `&rack=0` when RACK-TLP is off (it is on by default, as in
/// Linux), so a link without the key means what it meant before.
#[cfg(feature = "cubic")]
pub fn push_rack(q: &mut String, rack_tlp: Option<bool>) {
    if rack_tlp == Some(false) {
        q.push_str("&rack=0");
    }
}

/// Reads a link (a whole address, or its query): `Ok(None)` when it names
/// no scenario (no `p`, no `?preset=`: open the default).
pub fn decode(link: &str) -> Result<Option<ScenarioLink>, LinkError> {
    ScenarioLink::from_query(&Query::parse(query_of(link))?)
}

/// The scenario and protocols a link shows, for a reader that needs no
/// more: [`decode`], then [`ScenarioLink::scenario`]. A link that names no
/// scenario is an error here.
pub fn scenario_of(link: &str) -> Result<(Scenario, Vec<Protocol>), LinkError> {
    let link = decode(link)?.ok_or_else(|| {
        LinkError::new("link", "names no scenario (expected ?v=1&p=PRESET… or ?preset=PRESET)")
    })?;
    Ok((link.scenario()?, link.protocols))
}

/// What a link's scenario keys say besides the controls' texts.
#[derive(Clone, Copy)]
pub struct ScenarioKeys {
    /// 0 for the first release's `?preset=`, else the `v` it was read from.
    pub format: u32,
    pub preset: &'static presets::Preset,
    /// `show`, in [`Protocol::ALL`] order; never all false.
    pub shown: [bool; 4],
}

/// Reads the scenario keys of a parsed query: `v`, the preset (`p`, or
/// `preset` in format 0), `show`, and each control key the link has, handed
/// to `control` with its text in [`Control::ALL`] order (Pipelining is
/// checked to be `0` or `1`; every other value is read later, as if typed
/// into the control). `Ok(None)`: the query names no scenario.
///
/// [`ScenarioLink::from_query`] collects the texts; the app writes them
/// straight into its form.
pub fn read_scenario_keys<'q>(
    q: &'q Query,
    mut control: impl FnMut(Control, &'q str),
) -> Result<Option<ScenarioKeys>, LinkError> {
    let format = match q.get("v") {
        None => 0,
        Some(v) => {
            v.parse::<u32>().map_err(|_| LinkError::new("v", format!("\"{v}\" is not a format number")))?
        }
    };
    if format > FORMAT {
        return Err(LinkError::new(
            "v",
            format!("format {format} comes from a newer Reuse Lab (this one reads formats 0 to {FORMAT})"),
        ));
    }
    let preset_key = if format == 0 { "preset" } else { "p" };
    let Some(preset_id) = q.get(preset_key) else {
        return if format == 0 { Ok(None) } else { Err(LinkError::new("p", "the link names no preset")) };
    };
    let preset = presets::find(preset_id)
        .ok_or_else(|| LinkError::new(preset_key, format!("no preset is called \"{preset_id}\"")))?;
    let mut keys = ScenarioKeys { format, preset, shown: [true; 4] };
    if format == 0 {
        return Ok(Some(keys));
    }
    for c in Control::ALL {
        let Some(value) = q.get(c.key()) else { continue };
        // The app holds Pipelining as a checkbox: a link must say 0 or 1.
        if c == Control::Pipelining {
            flag(c.key(), value)?;
        }
        control(c, value);
    }
    if let Some(v) = q.get("show") {
        let mut on = [false; 4];
        for code in v.split('-').filter(|c| !c.is_empty()) {
            let p = protocol_from_code("show", code)?;
            on[Protocol::ALL.iter().position(|&q| q == p).unwrap_or(0)] = true;
        }
        if on == [false; 4] {
            return Err(LinkError::new("show", "the link shows no protocol"));
        }
        keys.shown = on;
    }
    Ok(Some(keys))
}

impl ScenarioLink {
    /// The scenario part of a parsed query; `Ok(None)` when it names none.
    pub fn from_query(q: &Query) -> Result<Option<ScenarioLink>, LinkError> {
        let mut texts = Vec::new();
        let Some(keys) = read_scenario_keys(q, |c, text| texts.push((c, text.to_string())))? else {
            return Ok(None);
        };
        let protocols =
            Protocol::ALL.into_iter().zip(keys.shown).filter(|(_, on)| *on).map(|(p, _)| p).collect();
        #[cfg(feature = "cubic")]
        let (congestion, rack_tlp) = (congestion_of(q)?, rack_of(q)?);
        #[cfg(not(feature = "cubic"))]
        let (congestion, rack_tlp) = (None, None);
        Ok(Some(ScenarioLink {
            format: keys.format,
            preset_id: keys.preset.id.to_string(),
            texts,
            protocols,
            congestion,
            rack_tlp,
        }))
    }

    /// The link's text for a control, if it gives one.
    pub fn text(&self, control: Control) -> Option<&str> {
        self.texts.iter().find(|(c, _)| *c == control).map(|(_, t)| t.as_str())
    }

    /// The scenario the link shows: the preset with every control's text
    /// (the link's, else the preset's own) read and applied by
    /// [`crate::edits::apply_texts`], validated. An error names the key of
    /// the control at fault (`p` when the edited scenario as a whole is).
    pub fn scenario(&self) -> Result<Scenario, LinkError> {
        let preset = presets::find(&self.preset_id)
            .ok_or_else(|| LinkError::new("p", format!("no preset is called \"{}\"", self.preset_id)))?
            .scenario();
        let own: Vec<String> = Control::ALL.iter().map(|c| c.text_of(&preset)).collect();
        let texts: Vec<(Control, &str)> =
            Control::ALL.iter().zip(&own).map(|(&c, own)| (c, self.text(c).unwrap_or(own))).collect();
        #[cfg_attr(not(feature = "cubic"), allow(unused_mut))]
        let mut scenario = apply_texts(&preset, &texts).map_err(|errors| {
            let e = &errors[0];
            LinkError::new(e.control.map_or("p", Control::key), e.message.clone())
        })?;
        #[cfg(feature = "cubic")]
        if let Some(cc) = self.congestion {
            scenario.tcp.congestion_control = cc;
        }
        #[cfg(feature = "cubic")]
        if let Some(on) = self.rack_tlp {
            scenario.tcp.rack_tlp = on;
        }
        Ok(scenario)
    }

    /// The query string (with its `?`) in the current format ([`encode`]):
    /// every control, the preset's value where the link gives none.
    pub fn encode(&self) -> String {
        let own = presets::find(&self.preset_id).map(|p| p.scenario());
        let own: Vec<String> = match &own {
            Some(preset) if self.texts.len() < Control::ALL.len() => {
                Control::ALL.iter().map(|c| c.text_of(preset)).collect()
            }
            _ => Vec::new(),
        };
        let texts: Vec<(Control, &str)> = Control::ALL
            .iter()
            .enumerate()
            .filter_map(|(i, &c)| Some((c, self.text(c).or(own.get(i).map(String::as_str))?)))
            .collect();
        #[cfg_attr(not(feature = "cubic"), allow(unused_mut))]
        let mut q = encode(&self.preset_id, &texts, &self.protocols);
        #[cfg(feature = "cubic")]
        {
            push_congestion(&mut q, self.congestion);
            push_rack(&mut q, self.rack_tlp);
        }
        q
    }
}

/// The scenario part of a link (with its `?`) in the current format: `v`,
/// `p`, each control's text in the order given (the app gives every
/// control, in [`Control::ALL`] order), then `show`. View keys go after it.
pub fn encode(preset_id: &str, texts: &[(Control, &str)], protocols: &[Protocol]) -> String {
    let mut q = format!("?v={FORMAT}&p=");
    push_escaped(&mut q, preset_id);
    for &(control, text) in texts {
        q.push('&');
        q.push_str(control.key());
        q.push('=');
        push_escaped(&mut q, text);
    }
    q.push_str("&show=");
    for (i, &p) in protocols.iter().enumerate() {
        if i > 0 {
            q.push('-');
        }
        q.push_str(protocol_code(p));
    }
    q
}

/// A `0` or `1` value at `key`.
pub fn flag(key: &str, value: &str) -> Result<bool, LinkError> {
    match value {
        "1" => Ok(true),
        "0" => Ok(false),
        _ => Err(LinkError::new(key, format!("\"{value}\" is neither 0 nor 1"))),
    }
}

/// Appends `text` percent-encoded: every byte but RFC 3986's unreserved
/// characters as `%XX` (upper-case hex, as the crate writes it).
pub fn push_escaped(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// Decodes `+` (a space) and %-escapes; a broken escape or bytes that are
/// not UTF-8 are an error at `key`. The crate passes a broken escape on as
/// it is, so each `%` must have shortened the text by two bytes.
fn unescape(key: &str, text: &str) -> Result<String, LinkError> {
    let mut bytes = Vec::new();
    for (i, piece) in text.split('+').enumerate() {
        if i > 0 {
            bytes.push(b' ');
        }
        bytes.extend(percent_decode_str(piece));
    }
    let escapes = text.bytes().filter(|&b| b == b'%').count();
    if text.len() - bytes.len() != 2 * escapes {
        return Err(LinkError::new(key, "a broken %-escape (the link was cut or altered)"));
    }
    String::from_utf8(bytes).map_err(|_| LinkError::new(key, "the value is not valid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edits::MAX_OBJECTS;

    fn preset(id: &str) -> Scenario {
        presets::find(id).expect("preset").scenario()
    }

    /// Every control's text for a scenario, as the app writes them.
    fn all_texts(s: &Scenario) -> Vec<(Control, String)> {
        Control::ALL.iter().map(|&c| (c, c.text_of(s))).collect()
    }

    #[test]
    fn every_presets_full_link_opens_the_preset_under_every_protocol() {
        for p in presets::all() {
            let link = ScenarioLink {
                format: FORMAT,
                preset_id: p.id.into(),
                texts: all_texts(&p.scenario()),
                protocols: Protocol::ALL.to_vec(),
                congestion: None,
                rack_tlp: None,
            };
            let query = link.encode();
            let back = decode(&query).expect("decodes").expect("names a scenario");
            assert_eq!(back, link, "{query}");
            assert_eq!(back.scenario(), Ok(p.scenario()), "{query}");
        }
    }

    #[test]
    fn cc_sets_the_congestion_controller_and_only_cubic_or_bbr_is_written() {
        let (s, _) = scenario_of("?v=1&p=lossy-mobile&cc=cubic").unwrap();
        assert_eq!(s.tcp.congestion_control, CongestionControl::Cubic);
        let (s, _) = scenario_of("?v=1&p=lossy-mobile&cc=reno").unwrap();
        assert_eq!(s.tcp.congestion_control, CongestionControl::NewReno);
        let (s, _) = scenario_of("?v=1&p=lossy-mobile&cc=bbr").unwrap();
        assert_eq!(s.tcp.congestion_control, CongestionControl::Bbr);
        let e = scenario_of("?v=1&p=lossy-mobile&cc=vegas").unwrap_err();
        assert_eq!(e.key, "cc", "{e}");
        let link = decode("?v=1&p=lossy-mobile&show=2&cc=cubic").unwrap().unwrap();
        assert!(link.encode().ends_with("&show=2&cc=cubic"), "{}", link.encode());
        let reno = decode("?v=1&p=lossy-mobile&show=2&cc=reno").unwrap().unwrap();
        assert!(reno.encode().ends_with("&show=2"), "the default is not written: {}", reno.encode());
    }

    #[test]
    fn rack_turns_rack_tlp_off_and_only_off_is_written() {
        let (s, _) = scenario_of("?v=1&p=lossy-mobile&rack=0").unwrap();
        assert!(!s.tcp.rack_tlp);
        let (s, _) = scenario_of("?v=1&p=lossy-mobile").unwrap();
        assert!(s.tcp.rack_tlp, "on by default, as in Linux");
        assert_eq!(scenario_of("?v=1&p=lossy-mobile&rack=no").unwrap_err().key, "rack");
        let off = decode("?v=1&p=lossy-mobile&show=2&rack=0").unwrap().unwrap();
        assert!(off.encode().ends_with("&show=2&rack=0"), "{}", off.encode());
        let on = decode("?v=1&p=lossy-mobile&show=2&rack=1").unwrap().unwrap();
        assert!(on.encode().ends_with("&show=2"), "the default is not written: {}", on.encode());
    }

    #[test]
    fn the_modern_page_link_is_the_readmes() {
        let link = ScenarioLink {
            format: FORMAT,
            preset_id: "modern-page".into(),
            texts: Vec::new(),
            protocols: Protocol::OVER_TCP.to_vec(),
            congestion: None,
            rack_tlp: None,
        };
        // The README's example, without its view keys.
        assert_eq!(
            link.encode(),
            "?v=1&p=modern-page&rtt=50&bw=20&loss=0&n=99&kb=&iw=10&tls=tls1.3&ka=75000&cl=6&pl=0&show=10-11-2"
        );
    }

    #[test]
    fn edits_in_a_link_are_the_controls_edits() {
        let (s, shown) = scenario_of("?v=1&p=textbook&n=25&kb=2&bw=8&tls=tls1.2&show=2-10").unwrap();
        let mut expected = preset("textbook");
        crate::edits::set_objects(&mut expected, 25).unwrap();
        crate::edits::set_object_size_kb(&mut expected, 2.0).unwrap();
        crate::edits::set_bandwidth(&mut expected, crate::edits::Bandwidth::Mbps(8.0)).unwrap();
        crate::edits::set_tls(&mut expected, crate::scenario::TlsVersion::Tls12);
        crate::edits::retitle(&preset("textbook"), &mut expected);
        assert_eq!(s, expected);
        assert_eq!(s.name, "Textbook page: index.html + 25 objects of 2 KB");
        assert_eq!(shown, [Protocol::Http10, Protocol::H2], "in the app's order, not the link's");
    }

    #[test]
    fn a_whole_address_or_its_query_reads_the_same() {
        let query = "v=1&p=textbook&rtt=250&show=11";
        let expected = scenario_of(query).unwrap();
        assert_eq!(expected.0.network.rtt_ms, 250.0);
        for link in [
            format!("?{query}"),
            format!("https://example.org/reuse-lab/?{query}"),
            format!("https://example.org/reuse-lab/index.html?{query}#lanes"),
            format!("  http://127.0.0.1:8080/?{query}\n"),
        ] {
            assert_eq!(scenario_of(&link), Ok(expected.clone()), "{link}");
        }
        assert_eq!(decode("https://example.org/reuse-lab/"), Ok(None));
        assert_eq!(scenario_of("https://example.org/reuse-lab/").unwrap_err().key, "link");
    }

    #[test]
    fn the_first_releases_preset_links_still_open() {
        let link = decode("?preset=image-tiles").unwrap().unwrap();
        assert_eq!((link.format, link.preset_id.as_str()), (0, "image-tiles"));
        assert_eq!(link.scenario(), Ok(preset("image-tiles")));
        assert_eq!(link.protocols, Protocol::ALL);
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("?utm_source=x"), Ok(None), "unrelated parameters open the default");
    }

    #[test]
    fn missing_keys_take_the_presets_values_and_unknown_keys_are_ignored() {
        let link = decode("?v=1&p=textbook&rtt=250&future=yes").unwrap().unwrap();
        assert_eq!(link.texts, [(Control::Rtt, "250".to_string())]);
        let mut expected = preset("textbook");
        expected.network.rtt_ms = 250.0;
        assert_eq!(link.scenario(), Ok(expected));
    }

    #[test]
    fn damaged_or_hostile_links_name_the_key_and_the_reason() {
        let cases = [
            ("?v=99&p=textbook", "v", "newer"),
            ("?v=x", "v", "format number"),
            ("?v=1", "p", "no preset"),
            ("?v=1&p=nope", "p", "no preset is called"),
            ("?preset=nope", "preset", "no preset is called"),
            ("?v=1&p=textbook&show=10-4", "show", "unknown protocol"),
            ("?v=1&p=textbook&show=", "show", "no protocol"),
            ("?v=1&p=textbook&pl=yes", "pl", "neither 0 nor 1"),
            ("?v=1&p=textbook&rtt=%4", "rtt", "%-escape"),
            ("?v=1&p=textbook&rtt=%ZZ", "rtt", "%-escape"),
            ("?v=1&p=textbook&rtt=%FF", "rtt", "UTF-8"),
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
    fn a_bad_control_value_names_its_key_with_the_controls_words() {
        let too_many = format!("?v=1&p=textbook&n={}", MAX_OBJECTS + 1);
        let cases = [
            ("?v=1&p=textbook&rtt=-5", "rtt", "RTT must not be negative (got -5)"),
            ("?v=1&p=textbook&loss=80", "loss", "Loss must be between 0 and 50 % (got 80)"),
            (
                "?v=1&p=textbook&bw=0",
                "bw",
                "Bandwidth must be above 0 Mbit/s, or empty for unlimited (got 0)",
            ),
            (too_many.as_str(), "n", "Objects must be at most 500 here (got 501)"),
            ("?v=1&p=textbook&tls=ssl3", "tls", "TLS: unknown version \"ssl3\""),
            ("?v=1&p=textbook&cl=0", "cl", "Connections per host must be between 1 and 64 (got 0)"),
        ];
        for (query, key, reason) in cases {
            let link = decode(query).unwrap().unwrap();
            assert_eq!(link.scenario(), Err(LinkError::new(key, reason)), "{query}");
        }
    }

    #[test]
    fn values_are_escaped_so_no_value_can_add_a_key() {
        let link = ScenarioLink {
            format: FORMAT,
            preset_id: "textbook".into(),
            texts: vec![(Control::Rtt, "1&p=image-tiles&x=%+ é".into())],
            protocols: vec![Protocol::H2],
            congestion: None,
            rack_tlp: None,
        };
        let query = link.encode();
        assert!(query.contains("rtt=1%26p%3Dimage-tiles%26x%3D%25%2B%20%C3%A9&"), "{query}");
        let back = decode(&query).unwrap().unwrap();
        assert_eq!(back.preset_id, "textbook");
        assert_eq!(back.text(Control::Rtt), link.text(Control::Rtt));
        assert_eq!(decode("?v=1&p=textbook&rtt=1+2").unwrap().unwrap().text(Control::Rtt), Some("1 2"));
    }

    #[test]
    fn the_encoder_writes_what_the_crates_encoder_would_and_decodes_back() {
        use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
        const UNRESERVED_KEPT: &AsciiSet =
            &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
        let text: String = (0u32..0x800).filter_map(char::from_u32).chain(['∞', '😀']).collect();
        let mut ours = String::new();
        push_escaped(&mut ours, &text);
        assert_eq!(ours, utf8_percent_encode(&text, UNRESERVED_KEPT).to_string());
        assert_eq!(unescape("x", &ours), Ok(text));
    }

    #[test]
    fn no_link_makes_decoding_panic() {
        // Deterministic fuzzing: mutations of a real link and random bytes.
        let base = ScenarioLink {
            format: FORMAT,
            preset_id: "modern-page".into(),
            texts: Vec::new(),
            protocols: Protocol::ALL.to_vec(),
            congestion: None,
            rack_tlp: None,
        }
        .encode();
        let alphabet = b"?&=%-.0123456789abcdefpvtcshowembedviews+~\xff\x00";
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..5_000 {
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
                let again = decode(&link.encode()).unwrap().unwrap();
                assert_eq!(again.scenario(), link.scenario(), "{text}");
            }
        }
    }
}
