//! When each response was held back, read from the engine's trace as the
//! engine's own fold reads it (nothing is re-derived; the spans' lengths sum
//! to the engine's figures, which a test holds):
//! - behind a lost packet, for `requests[].held_ms`: from the first
//!   `ResponseHeld` after a release to the `ResponseReleased`; a request
//!   lost to a close drops its open hold;
//! - behind an earlier response on a pipelined connection, for
//!   `requests[].blocked_ms`: from `ServerQueued` to `ServerProcessing`
//!   (serial processing) or from a blocked `ResponseReady` to
//!   `ResponseWritten` (parallel processing).

use reuse_sim::trace::EventKind;
use reuse_sim::TraceEvent;

use crate::view_model::Phase;

/// Held spans `(request, phase, from_ms, to_ms)`, in the order they end;
/// `phase` is [`Phase::Held`] or [`Phase::Blocked`].
pub fn held_spans(trace: &[TraceEvent], requests: usize) -> Vec<(u32, Phase, f64, f64)> {
    let mut spans = Vec::new();
    let mut held: Vec<Option<f64>> = vec![None; requests];
    let mut blocked: Vec<Option<f64>> = vec![None; requests];
    for event in trace {
        let (request, phase, open) = match event.kind {
            EventKind::ResponseHeld { request, .. } => (request, Phase::Held, true),
            EventKind::ServerQueued { request, .. }
            | EventKind::ResponseReady { request, blocked_by: Some(_), .. } => {
                (request, Phase::Blocked, true)
            }
            EventKind::ServerProcessing { request, .. } | EventKind::ResponseWritten { request, .. } => {
                (request, Phase::Blocked, false)
            }
            EventKind::ResponseReleased { request, .. } => (request, Phase::Held, false),
            EventKind::RequestLost { request, .. } => {
                // A request lost to a close drops its open holds (no span).
                for since in [&mut held, &mut blocked] {
                    if let Some(s) = since.get_mut(request as usize) {
                        *s = None;
                    }
                }
                continue;
            }
            _ => continue,
        };
        let t = event.time.as_ms();
        let since = if phase == Phase::Held { &mut held } else { &mut blocked };
        let Some(s) = since.get_mut(request as usize) else { continue };
        if open {
            // A hold starts at its first event (a later one inside it is
            // more of the same wait).
            s.get_or_insert(t);
        } else if let Some(from) = s.take() {
            spans.push((request, phase, from, t));
        }
    }
    spans
}
