//! The simulated page load as a HAR 1.2 log (HTTP Archive,
//! <http://www.softwareishard.com/blog/har-12-spec/>), so a run opens in
//! browser DevTools and other HAR viewers.
//!
//! Everything comes from the run's results; nothing is re-derived. Times are
//! laid out from a fixed wall-clock epoch ([`HAR_EPOCH`]) rather than the
//! system clock, so the same run always gives the same file.
//!
//! Mapping from the result's phases (which already follow DevTools' Timing
//! tab) to HAR `timings`: `blocked` = `queued_ms`, `dns`, `connect` =
//! `connect_ms + tls_ms` (HAR counts TLS inside `connect` and repeats it in
//! `ssl`), `send`, `wait`, `receive` = `download_ms`. Phases that did not
//! happen are `0`, never `-1`, so every entry's timings add up to its `time`.

use serde_json::{json, Map, Value};

use crate::result::{RequestResult, SimOutput};
use crate::scenario::{Protocol, Scenario, TlsVersion};

/// The wall-clock instant of simulated time zero: 2026-01-01T00:00:00.000Z.
pub const HAR_EPOCH: &str = "2026-01-01T00:00:00.000Z";
/// [`HAR_EPOCH`] in days since 1970-01-01.
const EPOCH_DAYS: i64 = days_from_civil(2026, 1, 1);
/// The id of the single page every entry belongs to.
pub const PAGE_ID: &str = "page_1";

/// Builds the HAR log of one run: one page, one entry per request in
/// scenario order.
pub fn to_har(scenario: &Scenario, output: &SimOutput) -> Value {
    let result = &output.result;
    let http_version = http_version(result.protocol);
    // Encrypted when the connections ran TLS (HTTP/3's always do).
    let encrypted = scenario.tls.version != TlsVersion::None
        || result.connections.iter().any(|c| c.tls != crate::trace::TlsMode::None);
    let scheme = if encrypted { "https" } else { "http" };
    let entries: Vec<Value> = result
        .requests
        .iter()
        .enumerate()
        .map(|(index, request)| {
            // Results are in scenario order; look the spec up by id anyway so a
            // mismatch can never pair a request with another's sizes.
            let spec = scenario
                .requests
                .get(index)
                .filter(|s| s.id == request.id)
                .or_else(|| scenario.requests.iter().find(|s| s.id == request.id));
            let request_bytes = spec.map(|s| s.request_bytes as u64).unwrap_or(0);
            let response_bytes = spec.map(|s| s.response_bytes).unwrap_or(0);
            let spec_status = request.status;
            let response_header_bytes = (scenario.server.response_header_bytes as u64).min(response_bytes);
            let body_bytes = response_bytes - response_header_bytes;
            let (url, query) = url(scheme, &request.host, &request.id);
            let mut entry = Map::new();
            entry.insert("pageref".into(), json!(PAGE_ID));
            entry.insert("startedDateTime".into(), json!(date_time(request.start_ms)));
            entry.insert("time".into(), json!(to_ns(request.end_ms - request.start_ms)));
            entry.insert(
                "request".into(),
                json!({
                    "method": "GET",
                    "url": url,
                    "httpVersion": http_version,
                    "cookies": [],
                    "headers": [],
                    "queryString": query,
                    "headersSize": request_bytes,
                    "bodySize": 0,
                }),
            );
            entry.insert(
                "response".into(),
                json!({
                    "status": spec_status,
                    "statusText": reason_phrase(spec_status),
                    "httpVersion": http_version,
                    "cookies": [],
                    "headers": [],
                    "content": { "size": body_bytes, "mimeType": mime_type(&request.id) },
                    "redirectURL": "",
                    "headersSize": response_header_bytes,
                    "bodySize": body_bytes,
                    // Chrome's name for bytes on the wire (HTTP/2 framing included).
                    "_transferSize": request.response_wire_bytes,
                }),
            );
            entry.insert("cache".into(), json!({}));
            entry.insert("timings".into(), timings(request));
            entry.insert("connection".into(), json!(request.connection.to_string()));
            // Custom fields (HAR allows `_`-prefixed ones): what a teacher
            // wants to see next to the timings.
            entry.insert("_reused".into(), json!(request.reused));
            entry.insert("_retries".into(), json!(request.retries));
            // Request + response header bytes on the wire, after HPACK for h2.
            entry.insert("_headerBytesOnWire".into(), json!(request.header_bytes));
            if let Some(stream) = request.stream {
                entry.insert("_stream".into(), json!(stream));
            }
            Value::Object(entry)
        })
        .collect();
    json!({
        "log": {
            "version": "1.2",
            "creator": { "name": "Reuse Lab", "version": env!("CARGO_PKG_VERSION") },
            "pages": [{
                "startedDateTime": HAR_EPOCH,
                "id": PAGE_ID,
                "title": scenario.name,
                "pageTimings": { "onLoad": result.page_load_ms },
            }],
            "entries": entries,
            "comment": format!(
                "Simulated by Reuse Lab under {} (seed {}); times start at {HAR_EPOCH}.",
                result.protocol.label(),
                scenario.seed
            ),
        }
    })
}

/// The `httpVersion` HAR viewers expect for each protocol.
pub fn http_version(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Http10 => "HTTP/1.0",
        Protocol::Http11 => "HTTP/1.1",
        Protocol::H2 => "h2",
        Protocol::H3 => "h3",
    }
}

fn timings(r: &RequestResult) -> Value {
    json!({
        "blocked": to_ns(r.queued_ms),
        "dns": to_ns(r.dns_ms),
        "connect": to_ns(r.connect_ms + r.tls_ms),
        "ssl": to_ns(r.tls_ms),
        "send": to_ns(r.send_ms),
        "wait": to_ns(r.wait_ms),
        "receive": to_ns(r.download_ms),
    })
}

/// Every simulated time is a whole nanosecond: rounding to it drops the
/// float noise of sums and differences (`282.29600000000005` → `282.296`).
fn to_ns(ms: f64) -> f64 {
    (ms * 1e6).round() / 1e6
}

/// ISO 8601 UTC time of `offset_ms` after [`HAR_EPOCH`], to the millisecond
/// (rounded, so later offsets never print earlier).
pub fn date_time(offset_ms: f64) -> String {
    let total_ms = if offset_ms.is_finite() && offset_ms > 0.0 { offset_ms.round() as i64 } else { 0 };
    let days = total_ms.div_euclid(86_400_000);
    let in_day = total_ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(EPOCH_DAYS + days);
    let (hours, minutes) = (in_day / 3_600_000, in_day / 60_000 % 60);
    let (seconds, millis) = (in_day / 1000 % 60, in_day % 1000);
    format!("{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{millis:03}Z")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The request's URL, with the id as the path (and a `?` in it starting the
/// query, as in `collect?ev=pageview`), and the HAR `queryString` list.
fn url(scheme: &str, host: &str, id: &str) -> (String, Value) {
    let (path, query) = match id.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (id, None),
    };
    let mut url = format!("{scheme}://{}/{}", encode(host, HOST_SAFE), encode(path, PATH_SAFE));
    let mut pairs = Vec::new();
    if let Some(query) = query {
        url.push('?');
        url.push_str(&encode(query, QUERY_SAFE));
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            pairs.push(json!({ "name": name, "value": value }));
        }
    }
    (url, Value::Array(pairs))
}

/// Characters kept as they are in a URL path segment (RFC 3986 `pchar`
/// without `%`, plus `/` so an id like `img/a.png` reads as a path).
const PATH_SAFE: &str = "-._~!$'()*+,;=:@/";
/// Characters kept in a query: `pchar`, `/`, `?`, and the `&` and `=` that
/// delimit its pairs.
const QUERY_SAFE: &str = "-._~!$'()*+,;=:@/?&";
/// Characters kept in a host name.
const HOST_SAFE: &str = "-._~:[]";

/// Percent-encodes every byte of `text` that is not alphanumeric ASCII or in `safe`.
fn encode(text: &str, safe: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || safe.as_bytes().contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A MIME type from the id's extension, so viewers show the right icon.
fn mime_type(id: &str) -> &'static str {
    let extension = id.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The reason phrase of a status (RFC 9110 §15), for HAR's `statusText`;
/// empty for a code it does not name.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip_through_day_numbers() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        // 2000 is a leap year: Feb 29 exists and Mar 1 follows it.
        assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);
        assert_eq!(days_from_civil(2027, 1, 1) - days_from_civil(2026, 1, 1), 365);
        for days in [-1, 0, 59, 60, 10_957, EPOCH_DAYS, EPOCH_DAYS + 400, 100_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn date_time_counts_from_the_epoch_and_carries_into_the_next_day() {
        assert_eq!(date_time(0.0), HAR_EPOCH);
        assert_eq!(date_time(1234.4), "2026-01-01T00:00:01.234Z");
        assert_eq!(date_time(86_399_999.6), "2026-01-02T00:00:00.000Z");
        assert_eq!(date_time(31.0 * 86_400_000.0 + 61_000.0), "2026-02-01T00:01:01.000Z");
        assert_eq!(date_time(f64::NAN), HAR_EPOCH);
    }

    #[test]
    fn urls_percent_encode_what_a_path_cannot_hold() {
        assert_eq!(encode("a b<&\"é.png", PATH_SAFE), "a%20b%3C%26%22%C3%A9.png");
        assert_eq!(encode("img/1.png", PATH_SAFE), "img/1.png");
        assert_eq!(encode("cdn example", HOST_SAFE), "cdn%20example");
        let (url, query) = url("https", "a.example", "collect?ev=page view&x");
        assert_eq!(url, "https://a.example/collect?ev=page%20view&x");
        assert_eq!(query, json!([{ "name": "ev", "value": "page view" }, { "name": "x", "value": "" }]));
    }

    #[test]
    fn mime_types_follow_the_extension() {
        assert_eq!(mime_type("index.HTML"), "text/html");
        assert_eq!(mime_type("noext"), "application/octet-stream");
    }
}
