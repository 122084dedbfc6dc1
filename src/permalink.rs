//! Permalinks: the whole scenario and view state in the address's query
//! string, so that copying the address shares exactly what is on screen.
//! Pure (no web types), tested natively; the web worker that exports files
//! reads the same links.
//!
//! The scenario part (`v`, `p`, one key per control, `show`, and the first
//! release's `?preset=`) is the engine's, `reuse_sim::permalink`, so that
//! the app, its export worker and `reuse-cli run --link` read a link the
//! same way; its documentation gives the format. This module adds the view
//! keys after it: `c=11-3` (the ladder's protocol and connection), `wf=2`
//! (the waterfall's protocol), `t=1234.5` (the playhead in ms), `cf=1`
//! (the totals show each result's closed form),
//! `z=10400-10716.5` (the zoomed part of the time axis, ms), `closes=1`
//! (the axis runs until connections close), and for an `<iframe>`:
//! `embed=1`, `autoplay=1`, `views=totals-lanes-waterfall-ladder-curve`,
//! and the curve view's sweep (`sweep=rtt:10..500`, `points`, `log`,
//! `seeds`, `metric`: the engine's `reuse_sim::sweep::SweepSpec`, kept here
//! as the link wrote them and read by the curve view in the full build).
//! A malformed view key is a [`LinkError`] naming it, like a scenario key;
//! the app then opens the default scenario and shows that message.

use reuse_sim::edits::Control;
use reuse_sim::permalink::{flag, protocol_code, protocol_from_code, read_scenario_keys, Query};
use reuse_sim::trace::ConnId;

use crate::params::{Field, Form};
use crate::view_model::Column;

pub use reuse_sim::permalink::{LinkError, FORMAT, MAX_LINK_CHARS};

/// Which views an embed shows, in page order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Views {
    pub totals: bool,
    pub lanes: bool,
    pub waterfall: bool,
    pub ladder: bool,
    /// The sweep's curves (the link's `sweep=`; full build).
    pub curve: bool,
}

impl Views {
    pub const ALL: Views = Views { totals: true, lanes: true, waterfall: true, ladder: true, curve: true };
    /// What an embed shows unless `views=` says otherwise.
    pub const EMBED_DEFAULT: Views =
        Views { totals: true, lanes: true, waterfall: false, ladder: false, curve: false };
    const NAMES: [&'static str; 5] = ["totals", "lanes", "waterfall", "ladder", "curve"];

    fn flags(self) -> [bool; 5] {
        [self.totals, self.lanes, self.waterfall, self.ladder, self.curve]
    }

    fn parse(value: &str) -> Result<Views, String> {
        let mut on = [false; 5];
        for name in value.split('-') {
            let i = Views::NAMES.iter().position(|n| *n == name).ok_or_else(|| {
                format!("unknown view \"{name}\" (use totals, lanes, waterfall, ladder, curve)")
            })?;
            on[i] = true;
        }
        Ok(Views { totals: on[0], lanes: on[1], waterfall: on[2], ladder: on[3], curve: on[4] })
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
    /// The ladder's column and connection (`c=2-1`; a variant's `c=v0-1`).
    pub ladder: Option<(Column, ConnId)>,
    pub waterfall: Option<Column>,
    pub playhead_ms: Option<f64>,
    /// The zoomed window of the time axis, `(start, end)` in ms.
    pub zoom: Option<(f64, f64)>,
    /// The time axis runs until every connection has closed.
    pub follow_closes: bool,
    /// The totals show the closed form beside each result (`cf=1`).
    pub closed_form: bool,
    pub embed: Option<Embed>,
    /// The curve view's sweep keys as the link gave them (`&sweep=…&points=…`),
    /// read by the curve view (`curve::spec_of_keys`); `None`: no curve.
    pub sweep: Option<String>,
    /// The server's view (`server=1`; full build).
    pub server: bool,
    /// Its many clients (`clients=N&over=MS`, with `server=1`; full
    /// build): how many load the page and the milliseconds their arrivals
    /// are spread over, as `reuse-cli run --clients N --over MS` takes them.
    #[cfg(feature = "clients")]
    pub clients: Option<(u32, f64)>,
    /// Variants on one clock (`var=LABEL:key=value,…`, repeated; full
    /// build): their specs as typed.
    #[cfg(feature = "variants")]
    pub variants: Vec<String>,
}

/// The link keys of a sweep.
const SWEEP_KEYS: [&str; 5] = ["sweep", "points", "log", "seeds", "metric"];

/// A column's code in a link: the protocol's (`2`), or a variant's `vN`.
fn push_column(q: &mut String, column: Column) {
    match column {
        Column::Protocol(p) => q.push_str(protocol_code(p)),
        #[cfg(feature = "variants")]
        Column::Variant(i) => {
            q.push('v');
            q.push_str(&i.to_string());
        }
    }
}

/// Reads [`push_column`]'s code found at `key`.
fn column_from_code(key: &str, code: &str) -> Result<Column, LinkError> {
    #[cfg(feature = "variants")]
    if let Some(n) = code.strip_prefix('v') {
        return n
            .parse()
            .map(Column::Variant)
            .map_err(|_| LinkError::new(key, format!("\"{code}\" is not a variant number (v0, v1, …)")));
    }
    protocol_from_code(key, code).map(Column::Protocol)
}

/// A decoded link: a preset, the control panel's values, and the view.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub format: u32,
    pub preset_id: String,
    pub form: Form,
    pub view: ViewState,
}

/// The query string (with its `?`) for a scenario and view.
pub fn encode(preset_id: &str, form: &Form, view: &ViewState) -> String {
    let mut q = reuse_sim::permalink::encode(preset_id, &form.texts(), &form.shown_protocols());
    #[cfg(feature = "cubic")]
    {
        reuse_sim::permalink::push_congestion(&mut q, Some(form.congestion));
        reuse_sim::permalink::push_rack(&mut q, Some(form.rack_tlp));
    }
    if let Some((p, c)) = view.ladder {
        q.push_str("&c=");
        push_column(&mut q, p);
        q.push('-');
        q.push_str(&c.to_string());
    }
    if let Some(p) = view.waterfall {
        q.push_str("&wf=");
        push_column(&mut q, p);
    }
    if let Some(t) = view.playhead_ms.filter(|t| t.is_finite()) {
        q.push_str("&t=");
        push_tenths(&mut q, t);
    }
    if let Some((from, to)) = view.zoom.filter(|(a, b)| a.is_finite() && b.is_finite()) {
        q.push_str("&z=");
        push_tenths(&mut q, from);
        q.push('-');
        push_tenths(&mut q, to);
    }
    if view.follow_closes {
        q.push_str("&closes=1");
    }
    if view.closed_form {
        q.push_str("&cf=1");
    }
    if let Some(keys) = view.sweep.as_ref().filter(|_| crate::full_build::is_full_build()) {
        q.push_str(keys);
    }
    if view.server && crate::full_build::is_full_build() {
        q.push_str("&server=1");
        #[cfg(feature = "clients")]
        if let Some((count, over_ms)) = view.clients {
            q.push_str(&format!("&clients={count}"));
            if over_ms > 0.0 {
                q.push_str("&over=");
                q.push_str(&reuse_sim::time::decimal(over_ms));
            }
        }
    }
    #[cfg(feature = "variants")]
    if crate::full_build::is_full_build() {
        q.push_str(&reuse_sim::variant::link_keys(&view.variants));
    }
    push_embed(&mut q, view.embed);
    q
}

/// The link to a preset with its own values (no control keys: a missing
/// key takes the preset's value).
pub fn preset_link(preset_id: &str) -> String {
    ["?v=1&p=", preset_id].concat()
}

/// Reads a query string (with or without its `?`). `Ok(None)`: the address
/// names no scenario (open the default). The scenario part is read by the
/// engine; the control values land in the form as the link wrote them, to
/// be read as if typed (`params::apply`, the engine's `apply_texts`).
pub fn decode(query: &str) -> Result<Option<Link>, LinkError> {
    let q = Query::parse(query)?;
    // The form starts from the preset's values; the link's control texts
    // land in it as typed, to be read by `params::apply`.
    let mut texts: Vec<(Control, &str)> = Vec::new();
    let Some(keys) = read_scenario_keys(&q, |c, text| texts.push((c, text)))? else { return Ok(None) };
    let mut form = Form::from_scenario(&keys.preset.scenario());
    for (c, text) in texts {
        form.set_text(Field::of_control(c), text.to_string());
    }
    #[cfg(feature = "cubic")]
    if let Some(cc) = reuse_sim::permalink::congestion_of(&q)? {
        form.congestion = cc;
    }
    #[cfg(feature = "cubic")]
    if let Some(on) = reuse_sim::permalink::rack_of(&q)? {
        form.rack_tlp = on;
    }
    // A link without `show=` (the app always writes it) shows the preset's
    // default set, not the engine's "every protocol": HTTP/3 is shown when
    // asked for, as it needs the HTTP/3 build (`full_build`).
    form.protocols =
        if q.get("show").is_some() { keys.shown } else { crate::params::default_shown(keys.preset.id) };
    let (format, preset_id) = (keys.format, keys.preset.id.to_string());
    let mut view = ViewState::default();
    if format == 0 {
        return Ok(Some(Link { format, preset_id, form, view }));
    }
    if let Some(v) = q.get("c") {
        let (code, id) = v
            .split_once('-')
            .ok_or_else(|| LinkError::new("c", format!("\"{v}\" is not PROTOCOL-CONNECTION")))?;
        let p = column_from_code("c", code)?;
        let id = id
            .parse::<ConnId>()
            .map_err(|_| LinkError::new("c", format!("\"{id}\" is not a connection number")))?;
        view.ladder = Some((p, id));
    }
    if let Some(v) = q.get("wf") {
        view.waterfall = Some(column_from_code("wf", v)?);
    }
    if let Some(v) = q.get("t") {
        view.playhead_ms = Some(time_ms("t", v)?);
    }
    if let Some(v) = q.get("z") {
        let window = v.split_once('-').map(|(a, b)| (time_ms("z", a), time_ms("z", b)));
        view.zoom = match window {
            Some((Ok(a), Ok(b))) if b > a => Some((a, b)),
            _ => {
                return Err(LinkError::new("z", format!("\"{v}\" is not START-END in ms, START before END")))
            }
        };
    }
    if let Some(v) = q.get("closes") {
        view.follow_closes = flag("closes", v)?;
    }
    if let Some(v) = q.get("cf") {
        view.closed_form = flag("cf", v)?;
    }
    // The curve view is the full build's; the first load never reads its keys
    // (the page's loader opens a link with `sweep=` in the full build).
    if crate::full_build::is_full_build() && q.get("sweep").is_some() {
        // As the link wrote them (still escaped): the curve view reads them.
        let mut keys = String::new();
        for part in query.trim_start_matches('?').split('&') {
            if SWEEP_KEYS.contains(&part.split('=').next().unwrap_or_default()) {
                keys.push('&');
                keys.push_str(part);
            }
        }
        view.sweep = Some(keys);
    }
    if crate::full_build::is_full_build() {
        view.server = q.get("server").map(|v| flag("server", v)).transpose()?.unwrap_or(false);
        #[cfg(feature = "clients")]
        {
            view.clients = clients_of(&q)?;
        }
        // Read by the engine's rule, kept as written.
        #[cfg(feature = "variants")]
        {
            reuse_sim::variant::variants_of_query(&q)?;
            view.variants = q.get_all("var").map(str::to_string).collect();
        }
    }
    view.embed = embed_of(&q)?;
    Ok(Some(Link { format, preset_id, form, view }))
}

/// The server view's many clients, `clients=N&over=MS` (full build), held
/// to the engine's rule.
#[cfg(feature = "clients")]
fn clients_of(q: &Query) -> Result<Option<(u32, f64)>, LinkError> {
    let Some(count) = q.get("clients") else { return Ok(None) };
    let count: u32 = count
        .parse()
        .map_err(|_| LinkError::new("clients", format!("\"{count}\" is not a whole number of clients")))?;
    let over_ms = match q.get("over") {
        None => 0.0,
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|ms| ms.is_finite())
            .ok_or_else(|| LinkError::new("over", format!("\"{v}\" is not a number of milliseconds")))?,
    };
    reuse_sim::scenario::Clients { count, over_ms }
        .validate()
        .map_err(|e| LinkError::new(if e.field.ends_with("count") { "clients" } else { "over" }, e.reason))?;
    Ok(Some((count, over_ms)))
}

/// The embed keys of a link (`embed=1`, `autoplay`, `views`).
pub fn embed_of(q: &Query) -> Result<Option<Embed>, LinkError> {
    if q.get("embed").is_none_or(|v| v == "0") {
        return Ok(None);
    }
    let autoplay = q.get("autoplay").map(|v| flag("autoplay", v)).transpose()?.unwrap_or(false);
    let views = q.get("views").map(Views::parse).transpose().map_err(|e| LinkError::new("views", e))?;
    Ok(Some(Embed { autoplay, views: views.unwrap_or(Views::EMBED_DEFAULT) }))
}

/// The embed keys after a link (`&embed=1…`), as [`encode`] writes them.
pub fn push_embed(q: &mut String, embed: Option<Embed>) {
    if let Some(embed) = embed {
        q.push_str("&embed=1");
        if embed.autoplay {
            q.push_str("&autoplay=1");
        }
        if embed.views != Views::EMBED_DEFAULT {
            q.push_str("&views=");
            q.push_str(&embed.views.key());
        }
    }
}

/// A time in ms from a link: a finite number, not negative.
fn time_ms(key: &str, v: &str) -> Result<f64, LinkError> {
    let t = reuse_sim::time::parse_decimal(v).filter(|t| *t >= 0.0);
    t.ok_or_else(|| LinkError::new(key, format!("\"{v}\" is not a time in ms")))
}

/// A time to a tenth of a millisecond, finer than any view can show:
/// `1500`, `12.3`.
fn push_tenths(q: &mut String, t_ms: f64) {
    let tenths = (t_ms * 10.0).round() as i64;
    q.push_str(&(tenths / 10).to_string());
    if tenths % 10 != 0 {
        q.push('.');
        q.push_str(&(tenths % 10).abs().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::permalink::MAX_VALUE_CHARS;
    use reuse_sim::presets;

    #[cfg(feature = "clients")]
    #[test]
    fn the_many_clients_keys_are_read_by_the_engines_rule_naming_the_key_at_fault() {
        if !crate::full_build::is_full_build() {
            return;
        }
        let link = decode("?v=1&p=textbook&server=1&clients=1000&over=60000").expect("reads").expect("link");
        assert_eq!(link.view.clients, Some((1000, 60_000.0)));
        let at_once = decode("?v=1&p=textbook&server=1&clients=7").expect("reads").expect("link");
        assert_eq!(at_once.view.clients, Some((7, 0.0)));
        for (query, key) in [
            ("?v=1&p=textbook&server=1&clients=0", "clients"),
            ("?v=1&p=textbook&server=1&clients=10001", "clients"),
            ("?v=1&p=textbook&server=1&clients=ten", "clients"),
            ("?v=1&p=textbook&server=1&clients=5&over=-1", "over"),
            ("?v=1&p=textbook&server=1&clients=5&over=3600001", "over"),
            ("?v=1&p=textbook&server=1&clients=5&over=soon", "over"),
        ] {
            let e = decode(query).expect_err(query);
            assert_eq!(e.key, key, "{query}: {e}");
        }
    }

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
            form.protocols = [false, true, true, true];
            let view = ViewState {
                ladder: Some((reuse_sim::Protocol::H2.into(), 1)),
                waterfall: Some(reuse_sim::Protocol::Http11.into()),
                playhead_ms: Some(1234.5),
                zoom: Some((1000.0, 1250.5)),
                follow_closes: true,
                closed_form: true,
                embed: Some(Embed {
                    autoplay: true,
                    views: Views { ladder: true, curve: true, ..Views::EMBED_DEFAULT },
                }),
                sweep: crate::full_build::is_full_build()
                    .then(|| "&sweep=loss:0..2.5&points=30&log=0&seeds=20&metric=retransmissions".into()),
                server: crate::full_build::is_full_build(),
                #[cfg(feature = "clients")]
                clients: crate::full_build::is_full_build().then_some((2500, 90_000.5)),
                #[cfg(feature = "variants")]
                variants: if crate::full_build::is_full_build() {
                    vec!["serial ×1:protocol=1.0,cl=1".into(), "pipelined:protocol=1.1, pl=1".into()]
                } else {
                    Vec::new()
                },
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
            ("?v=1&p=textbook&show=10-4", "show", "unknown protocol"),
            ("?v=1&p=textbook&show=", "show", "no protocol"),
            ("?v=1&p=textbook&c=11", "c", "PROTOCOL-CONNECTION"),
            ("?v=1&p=textbook&c=11-x", "c", "connection number"),
            ("?v=1&p=textbook&t=-4", "t", "time in ms"),
            ("?v=1&p=textbook&t=NaN", "t", "time in ms"),
            ("?v=1&p=textbook&z=300", "z", "START-END"),
            ("?v=1&p=textbook&z=300-200", "z", "START before END"),
            ("?v=1&p=textbook&z=x-200", "z", "START-END"),
            ("?v=1&p=textbook&closes=2", "closes", "neither 0 nor 1"),
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
    fn the_zoom_window_round_trips_to_a_tenth_of_a_millisecond() {
        let form = form_of("api-polling");
        for (window, text) in [
            ((10_416.5, 10_716.5), "&z=10416.5-10716.5"),
            ((0.0, 250.0), "&z=0-250"),
            ((12.34, 12.46), "&z=12.3-12.5"),
        ] {
            let view = ViewState { zoom: Some(window), ..ViewState::default() };
            let query = encode("api-polling", &form, &view);
            assert!(query.ends_with(text), "{query}");
            let back = decode(&query).unwrap().unwrap().view.zoom.unwrap();
            // Exact to the tenth it was written with.
            assert!((back.0 - window.0).abs() <= 0.05 && (back.1 - window.1).abs() <= 0.05, "{back:?}");
        }
        let none = encode("api-polling", &form, &ViewState::default());
        assert!(!none.contains("z=") && !none.contains("closes"), "{none}");
        let closes = ViewState { follow_closes: true, ..ViewState::default() };
        assert!(decode(&encode("api-polling", &form, &closes)).unwrap().unwrap().view.follow_closes);
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
            ladder: Some((reuse_sim::Protocol::Http11.into(), 12)),
            waterfall: Some(reuse_sim::Protocol::H2.into()),
            playhead_ms: Some(2345.6),
            zoom: None,
            follow_closes: false,
            closed_form: false,
            embed: None,
            sweep: None,
            server: false,
            #[cfg(feature = "clients")]
            clients: None,
            #[cfg(feature = "variants")]
            variants: Vec::new(),
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

    /// `cc=` is read into the form, written back only for CUBIC, and a bad
    /// value names the key (the full build's).
    #[cfg(feature = "cubic")]
    #[test]
    fn the_congestion_control_round_trips() {
        use reuse_sim::scenario::CongestionControl;
        let link = decode("?v=1&p=lossy-mobile&show=11-2&cc=cubic").unwrap().unwrap();
        assert_eq!(link.form.congestion, CongestionControl::Cubic);
        let again = encode(&link.preset_id, &link.form, &link.view);
        assert!(again.contains("&show=11-2&cc=cubic"), "{again}");
        let preset = presets::find("lossy-mobile").expect("preset").scenario();
        let (s, _) = crate::params::apply(&link.form, &preset).expect("valid");
        assert_eq!(s.tcp.congestion_control, CongestionControl::Cubic);
        let reno = decode("?v=1&p=lossy-mobile&cc=reno").unwrap().unwrap();
        assert!(!encode(&reno.preset_id, &reno.form, &reno.view).contains("cc="), "Reno is the default");
        assert_eq!(decode("?v=1&p=lossy-mobile&cc=vegas").unwrap_err().key, "cc");
    }

    /// `rack=0` turns RACK-TLP off in the form and the scenario, and only
    /// off is written (the full build's).
    #[cfg(feature = "cubic")]
    #[test]
    fn rack_tlp_off_round_trips() {
        let link = decode("?v=1&p=lossy-mobile&show=11-2&rack=0").unwrap().unwrap();
        assert!(!link.form.rack_tlp);
        let again = encode(&link.preset_id, &link.form, &link.view);
        assert!(again.contains("&show=11-2&rack=0"), "{again}");
        let preset = presets::find("lossy-mobile").expect("preset").scenario();
        let (s, _) = crate::params::apply(&link.form, &preset).expect("valid");
        assert!(!s.tcp.rack_tlp);
        let on = decode("?v=1&p=lossy-mobile&rack=1").unwrap().unwrap();
        assert!(!encode(&on.preset_id, &on.form, &on.view).contains("rack="), "on is the default");
        assert_eq!(decode("?v=1&p=lossy-mobile&rack=off").unwrap_err().key, "rack");
    }

    /// The curve's keys pass through the app as the link gave them (their
    /// meaning is the engine's `SweepSpec`), escaped again where needed.
    #[cfg(feature = "quic")]
    #[test]
    fn sweep_keys_are_kept_as_written() {
        let link =
            decode("?v=1&p=textbook&show=10-2&sweep=rtt:10..500&seeds=5&x=1&points=7").unwrap().unwrap();
        assert_eq!(link.view.sweep.as_deref(), Some("&sweep=rtt:10..500&seeds=5&points=7"));
        let odd = decode("?v=1&p=textbook&sweep=a%26b").unwrap().unwrap();
        assert_eq!(odd.view.sweep.as_deref(), Some("&sweep=a%26b"), "an & stays escaped");
        assert_eq!(decode("?v=1&p=textbook&points=7").unwrap().unwrap().view.sweep, None);
    }
}
