//! Variants: a protocol plus overrides of the app's controls, named, so
//! "non-persistent serial | non-persistent ×5 | persistent | pipelined" run
//! side by side on one clock. A variant is written as
//! `LABEL:key=value,key=value` (`reuse-cli run --variant`), with the
//! permalink's keys for the controls (`rtt`, `bw`, `loss`, `n`, `kb`, `iw`,
//! `tls`, `ka`, `cl`, `pl`, applied by the controls' rules in
//! [`crate::edits`]), `protocol` (`1.0`, `1.1`, `2`, `3`, or their long
//! names), `cc` (the congestion controller: `newreno` or `reno`, `cubic`),
//! `rack` (RACK-TLP, `tcp.rack_tlp`: `0` or `1`) and, for a scenario with the server's events, `push` (`poll`,
//! `poll:MS`, `long`, `stream`: [`crate::push::Fetch`]). The label is optional: without one, the spec is its own label.

use crate::edits::{self, Control};
use crate::permalink::{self, LinkError, Query};
#[cfg(feature = "push")]
use crate::push::{self, Fetch};
use crate::scenario::{CongestionControl, Protocol, Scenario, ScenarioError};

/// A named protocol and control values.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub label: String,
    /// `None`: the scenario's own `client.protocol`.
    pub protocol: Option<Protocol>,
    /// In the order written.
    pub controls: Vec<(Control, String)>,
    /// `cc=`: `tcp.congestion_control` (`None`: the scenario's own).
    pub congestion: Option<CongestionControl>,
    /// `rack=0|1`: `tcp.rack_tlp` (`None`: the scenario's own).
    pub rack_tlp: Option<bool>,
    #[cfg(feature = "push")]
    /// `push=`: how the client fetches the server's events (`None`: as the
    /// scenario does).
    pub fetch: Option<Fetch>,
}

/// A bad variant: `key` is the setting at fault (`protocol`, `cl`, …) or
/// `variant` for the spec as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantError {
    pub key: String,
    pub reason: String,
}

impl std::fmt::Display for VariantError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.reason)
    }
}

fn error(key: &str, reason: impl Into<String>) -> VariantError {
    VariantError { key: key.to_string(), reason: reason.into() }
}

impl Variant {
    /// Reads `LABEL:key=value,…` (or `key=value,…`).
    pub fn parse(spec: &str) -> Result<Variant, VariantError> {
        let spec = spec.trim();
        // A label is what comes before the first ':' when no '=' does.
        let (label, settings) = match spec.split_once(':') {
            Some((label, rest)) if !label.contains('=') => (label.trim().to_string(), rest),
            _ => (spec.to_string(), spec),
        };
        if label.is_empty() {
            return Err(error("variant", format!("an empty label in {spec:?}")));
        }
        let mut variant = Variant {
            label,
            protocol: None,
            controls: Vec::new(),
            congestion: None,
            rack_tlp: None,
            #[cfg(feature = "push")]
            fetch: None,
        };
        for setting in settings.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((key, value)) = setting.split_once('=') else {
                return Err(error("variant", format!("{setting:?} is not key=value")));
            };
            let (key, value) = (key.trim(), value.trim());
            if key == "protocol" || key == "p" {
                if variant.protocol.is_some() {
                    return Err(error("protocol", "given twice"));
                }
                variant.protocol = Some(Protocol::parse(value).map_err(|e| error("protocol", e.reason))?);
                continue;
            }
            if key == "cc" {
                if variant.congestion.is_some() {
                    return Err(error("cc", "given twice"));
                }
                variant.congestion = Some(CongestionControl::parse(value).map_err(|e| error("cc", e))?);
                continue;
            }
            if key == "rack" {
                if variant.rack_tlp.is_some() {
                    return Err(error("rack", "given twice"));
                }
                variant.rack_tlp = Some(permalink::flag("rack", value).map_err(|e| error("rack", e.reason))?);
                continue;
            }
            #[cfg(feature = "push")]
            if key == "push" {
                if variant.fetch.is_some() {
                    return Err(error("push", "given twice"));
                }
                variant.fetch = Some(Fetch::parse(value).map_err(|e| error("push", e))?);
                continue;
            }
            let Some(control) = Control::ALL.into_iter().find(|c| c.key() == key) else {
                let keys: Vec<&str> = Control::ALL.iter().map(|c| c.key()).collect();
                return Err(error(
                    key,
                    format!("unknown setting; one of protocol, cc, rack, push, {}", keys.join(", ")),
                ));
            };
            if variant.controls.iter().any(|(c, _)| *c == control) {
                return Err(error(key, "given twice"));
            }
            variant.controls.push((control, value.to_string()));
        }
        Ok(variant)
    }

    /// The scenario this variant runs: `base` with its controls applied by
    /// the app's rules, under its protocol, validated.
    pub fn apply(&self, base: &Scenario) -> Result<Scenario, VariantError> {
        let mut s = base.clone();
        for (control, text) in &self.controls {
            edits::edit(&mut s, *control, text).map_err(|e| error(control.key(), e.message))?;
        }
        #[cfg(feature = "push")]
        if let Some(fetch) = self.fetch {
            s = push::with_fetch(&s, fetch).map_err(|e| error(&e.field, e.reason))?;
        }
        if let Some(p) = self.protocol {
            s.client.protocol = p;
        }
        if let Some(cc) = self.congestion {
            s.tcp.congestion_control = cc;
        }
        if let Some(on) = self.rack_tlp {
            s.tcp.rack_tlp = on;
        }
        s.validate().map_err(|e: ScenarioError| error(&e.field, e.reason))?;
        Ok(s)
    }
}

/// One request in two runs (two variants): when each had its whole
/// response (`end_ms`).
#[derive(Clone, Debug, PartialEq)]
pub struct RequestDelta {
    pub id: String,
    pub a_ms: f64,
    pub b_ms: f64,
}

impl RequestDelta {
    /// How much earlier `b` had it than `a` (negative: later).
    pub fn earlier_in_b_ms(&self) -> f64 {
        self.a_ms - self.b_ms
    }
}

/// The requests both runs made, matched by id, in `a`'s order: "img3:
/// 400 ms earlier with keep-alive". A request only one run made (a variant
/// with more objects) is left out.
pub fn request_deltas(a: &crate::RunResult, b: &crate::RunResult) -> Vec<RequestDelta> {
    a.requests
        .iter()
        .enumerate()
        .filter_map(|(i, ra)| {
            // Usually the same page in the same order: look there first.
            let rb = match b.requests.get(i) {
                Some(rb) if rb.id == ra.id => rb,
                _ => b.requests.iter().find(|rb| rb.id == ra.id)?,
            };
            Some(RequestDelta { id: ra.id.clone(), a_ms: ra.end_ms, b_ms: rb.end_ms })
        })
        .collect()
}

/// The most variants a link may carry.
pub const MAX_VARIANTS: usize = 8;

/// A link's variants (`var=LABEL:key=value,…`, repeated, in order): the web
/// app's variants view, and what `reuse-cli run --link` and `svg --link`
/// run when no `--variant` or `--protocol` is given. Labels are unique.
pub fn variants_of_query(q: &Query) -> Result<Vec<Variant>, LinkError> {
    let mut out: Vec<Variant> = Vec::new();
    for spec in q.get_all("var") {
        let v = Variant::parse(spec).map_err(|e| LinkError::new("var", format!("{spec:?}: {e}")))?;
        if out.iter().any(|w| w.label == v.label) {
            return Err(LinkError::new("var", format!("{:?} is named twice", v.label)));
        }
        out.push(v);
    }
    if out.len() > MAX_VARIANTS {
        return Err(LinkError::new("var", format!("at most {MAX_VARIANTS} variants (got {})", out.len())));
    }
    Ok(out)
}

/// [`variants_of_query`] of a whole link or its query.
pub fn variants_of_link(link: &str) -> Result<Vec<Variant>, LinkError> {
    variants_of_query(&Query::parse(permalink::query_of(link))?)
}

/// `&var=…` for each spec, percent-encoded, as a link carries them.
pub fn link_keys(specs: &[String]) -> String {
    let mut out = String::new();
    for spec in specs {
        out.push_str("&var=");
        permalink::push_escaped(&mut out, spec);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_request_deltas_match_requests_by_id() {
        // K&R's page at RTT 100 ms, one connection at a time: object k
        // (k = 1..N) ends at 2(k + 1)·RTT without keep-alive and (k + 2)·RTT
        // with it, so keep-alive has it k·RTT earlier; index.html 2·RTT
        // in both.
        let base = presets::find("textbook").expect("preset").scenario();
        let run = |spec: &str| {
            let s = Variant::parse(spec).expect("parses").apply(&base).expect("applies");
            crate::simulate(&s).expect("runs").result
        };
        let (a, b) = (run("a:protocol=1.0,cl=1"), run("b:protocol=1.1,cl=1"));
        let deltas = request_deltas(&a, &b);
        assert_eq!(deltas.len(), a.requests.len());
        assert_eq!(deltas[0].earlier_in_b_ms(), 0.0, "{:?}", deltas[0]);
        for (k, d) in deltas.iter().enumerate().skip(1) {
            assert!((d.earlier_in_b_ms() - k as f64 * 100.0).abs() < 1e-6, "{d:?}");
        }
        // A variant with fewer objects: only the shared requests.
        let fewer = run("c:protocol=1.1,cl=1,n=3");
        assert_eq!(request_deltas(&a, &fewer).len(), 4);
    }

    #[test]
    fn a_links_variants_read_back_in_order_and_a_bad_one_names_var() {
        let specs = vec![
            "non-persistent ×5: protocol=1.0, cl=5".to_string(),
            "pipelined:protocol=1.1,pl=1".to_string(),
        ];
        let link = format!("?v=1&p=textbook{}", link_keys(&specs));
        let read = variants_of_link(&link).expect("reads");
        assert_eq!(
            read.iter().map(|v| v.label.as_str()).collect::<Vec<_>>(),
            ["non-persistent ×5", "pipelined"]
        );
        assert_eq!(read[1].controls, vec![(Control::Pipelining, "1".to_string())]);
        for bad in ["?var=a:cl%3D1&var=a:cl%3D2", "?var=a:speed%3D1", "?var=a:protocol%3D9"] {
            assert_eq!(variants_of_link(bad).expect_err(bad).key, "var", "{bad}");
        }
        let nine: String = (0..9).map(|i| format!("&var=v{i}:cl%3D1")).collect();
        assert_eq!(variants_of_link(&nine).expect_err("nine").key, "var");
        assert!(variants_of_link("?v=1&p=textbook").expect("none").is_empty());
    }
    use crate::presets;

    #[test]
    fn a_variant_reads_its_label_protocol_and_controls() {
        let v = Variant::parse("non-persistent ×5: protocol=1.0, cl=5").expect("parses");
        assert_eq!(v.label, "non-persistent ×5");
        assert_eq!(v.protocol, Some(Protocol::Http10));
        assert_eq!(v.controls, vec![(Control::ConnectionLimit, "5".to_string())]);
        #[cfg(feature = "push")]
        {
            let long = Variant::parse("long poll:push=long").expect("parses");
            assert_eq!(long.fetch, Some(Fetch::LongPoll));
            let s = long.apply(&presets::find("live-scores").expect("preset").scenario()).expect("applies");
            assert!(s.requests.iter().all(|r| r.push == Some(crate::scenario::PushRole::LongPoll)));
        }
        let unlabelled = Variant::parse("protocol=2,rtt=50").expect("parses");
        assert_eq!(unlabelled.label, "protocol=2,rtt=50");
        let s = v.apply(&presets::find("textbook").expect("preset").scenario()).expect("applies");
        assert_eq!((s.client.protocol, s.client.max_connections_per_host), (Protocol::Http10, 5));
    }

    #[test]
    fn a_variant_turns_rack_tlp_off_or_on() {
        let base = crate::presets::find("lossy-mobile").expect("preset").scenario();
        assert!(base.tcp.rack_tlp, "on by default, as in Linux");
        let off = Variant::parse("timeouts only:rack=0").unwrap();
        assert!(!off.apply(&base).expect("applies").tcp.rack_tlp);
        assert!(Variant::parse("a:rack=1").unwrap().apply(&base).expect("applies").tcp.rack_tlp);
        let e = Variant::parse("a:rack=yes").unwrap_err();
        assert_eq!(e.key, "rack", "{e}");
        assert_eq!(Variant::parse("a:rack=0,rack=1").unwrap_err().key, "rack");
    }

    #[test]
    fn a_variant_picks_the_congestion_controller() {
        let base = crate::presets::find("lossy-mobile").expect("preset").scenario();
        let cubic = Variant::parse("h2 cubic:protocol=2,cc=cubic").expect("parses");
        assert_eq!(cubic.apply(&base).expect("applies").tcp.congestion_control, CongestionControl::Cubic);
        let reno = Variant::parse("cc=reno").expect("parses");
        assert_eq!(reno.apply(&base).expect("applies").tcp.congestion_control, CongestionControl::NewReno);
        let bbr = Variant::parse("cc=bbr").expect("parses");
        assert_eq!(bbr.apply(&base).expect("applies").tcp.congestion_control, CongestionControl::Bbr);
        let bad = Variant::parse("a:cc=vegas").unwrap_err();
        assert_eq!(
            (bad.key.as_str(), bad.reason.as_str()),
            ("cc", "one of newreno (or reno), cubic, bbr (got \"vegas\")")
        );
        assert_eq!(Variant::parse("a:cc=cubic,cc=reno").unwrap_err().key, "cc");
    }

    #[test]
    fn a_bad_variant_names_the_setting() {
        let key = |spec: &str| Variant::parse(spec).expect_err("invalid").key;
        assert_eq!(key("a:speed=3"), "speed");
        assert_eq!(key("a:protocol=9"), "protocol");
        assert_eq!(key("a:cl"), "variant");
        assert_eq!(key("a:cl=1,cl=2"), "cl");
        #[cfg(feature = "push")]
        assert_eq!(key("a:push=often"), "push");
        assert_eq!(key(":cl=1"), "variant");
        let base = presets::find("textbook").expect("preset").scenario();
        let bad = Variant::parse("a:loss=80").expect("parses").apply(&base).expect_err("out of range");
        assert_eq!(bad.key, "loss");
        assert!(bad.reason.contains("50 %"), "{}", bad.reason);
    }
}
