//! When each response was held back, as spans read from the trace: the one
//! rule the web app's views and the SVG exports draw, and the same one the
//! fold sums into `requests[].held_ms` and `requests[].blocked_ms` (a test
//! holds the sums equal on every preset and protocol).
//!
//! - [`Hold::LostPacket`]: bytes had arrived but waited behind a lost
//!   packet, from the first `ResponseHeld` after a release to the
//!   `ResponseReleased`; a request lost to a close drops its open hold.
//! - [`Hold::EarlierResponse`]: pipelining answers in order, from
//!   `ServerQueued` to `ServerProcessing` (serial processing) or from a
//!   blocked `ResponseReady` to `ResponseWritten` (parallel processing).

use crate::trace::{EventKind, ReqIdx, TraceEvent};

/// What a response waited behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    LostPacket,
    EarlierResponse,
}

/// One span of held-back time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HoldSpan {
    pub request: ReqIdx,
    pub hold: Hold,
    pub from_ms: f64,
    pub to_ms: f64,
}

/// The held-back spans of a run with `requests` requests, in the order
/// they end.
pub fn hold_spans(trace: &[TraceEvent], requests: usize) -> Vec<HoldSpan> {
    let mut spans = Vec::new();
    let mut lost: Vec<Option<f64>> = vec![None; requests];
    let mut earlier: Vec<Option<f64>> = vec![None; requests];
    for event in trace {
        let (request, hold, open) = match event.kind {
            EventKind::ResponseHeld { request, .. } => (request, Hold::LostPacket, true),
            EventKind::ResponseReleased { request, .. } => (request, Hold::LostPacket, false),
            EventKind::ServerQueued { request, .. }
            | EventKind::ResponseReady { request, blocked_by: Some(_), .. } => {
                (request, Hold::EarlierResponse, true)
            }
            EventKind::ServerProcessing { request, .. } | EventKind::ResponseWritten { request, .. } => {
                (request, Hold::EarlierResponse, false)
            }
            EventKind::RequestLost { request, .. } => {
                // A request lost to a close drops its open holds (no span).
                for since in [&mut lost, &mut earlier] {
                    if let Some(s) = since.get_mut(request as usize) {
                        *s = None;
                    }
                }
                continue;
            }
            _ => continue,
        };
        let since = match hold {
            Hold::LostPacket => &mut lost,
            Hold::EarlierResponse => &mut earlier,
        };
        let Some(s) = since.get_mut(request as usize) else { continue };
        let t = event.time.as_ms();
        if open {
            // A hold starts at its first event (a later one inside it is
            // more of the same wait).
            s.get_or_insert(t);
        } else if let Some(from_ms) = s.take() {
            spans.push(HoldSpan { request, hold, from_ms, to_ms: t });
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::PipelineProcessing;
    use crate::{presets, simulate, Protocol};

    /// The spans are the fold's figures drawn: per request and kind they
    /// sum to `held_ms` and `blocked_ms`, and lie within the request.
    #[test]
    fn spans_sum_to_the_folded_held_and_blocked_times() {
        let mut seen = [false; 2];
        for preset in presets::all() {
            for pipelined in [None, Some(PipelineProcessing::Serial), Some(PipelineProcessing::Parallel)] {
                let mut s = preset.scenario();
                if let Some(processing) = pipelined {
                    s.client.pipelining = true;
                    s.client.max_connections_per_host = 1;
                    s.server.pipeline_processing = processing;
                }
                for protocol in Protocol::ALL.into_iter().filter(|p| p.in_this_build()) {
                    let out = simulate(&s.with_protocol(protocol)).expect("preset runs");
                    let spans = hold_spans(&out.trace, out.result.requests.len());
                    for (i, r) in out.result.requests.iter().enumerate() {
                        let sum = |hold: Hold| -> f64 {
                            spans
                                .iter()
                                .filter(|s| s.request as usize == i && s.hold == hold)
                                .map(|s| s.to_ms - s.from_ms)
                                .sum()
                        };
                        let what = format!("{} {} {}", preset.id, protocol.label(), r.id);
                        assert!((sum(Hold::LostPacket) - r.held_ms).abs() < 1e-6, "{what}: held");
                        assert!((sum(Hold::EarlierResponse) - r.blocked_ms).abs() < 1e-6, "{what}: blocked");
                    }
                    for span in &spans {
                        let r = &out.result.requests[span.request as usize];
                        assert!(span.from_ms <= span.to_ms && span.to_ms <= r.end_ms + 1e-6, "{}", r.id);
                        seen[span.hold as usize] |= span.to_ms > span.from_ms;
                    }
                }
            }
        }
        assert_eq!(seen, [true, true], "some run holds a response behind a loss, and some behind another");
    }
}
