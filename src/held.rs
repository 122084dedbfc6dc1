//! When each response was held behind a lost packet: the spans between the
//! engine's `ResponseHeld` and `ResponseReleased` trace events, read as the
//! engine's own fold reads them for `requests[].held_ms` (a hold starts at
//! the first `ResponseHeld` after a release, ends at the release, and a
//! request lost to a close drops its open hold). Nothing is re-derived: the
//! spans' lengths sum to the engine's `held_ms`, which a test holds.

use reuse_sim::trace::EventKind;
use reuse_sim::TraceEvent;

/// Held spans `(request, from_ms, to_ms)`, in the order they end.
pub fn held_spans(trace: &[TraceEvent], requests: usize) -> Vec<(u32, f64, f64)> {
    let mut spans = Vec::new();
    let mut since: Vec<Option<f64>> = vec![None; requests];
    for event in trace {
        let t = event.time.as_ms();
        let (request, open) = match event.kind {
            EventKind::ResponseHeld { request, .. } => (request, true),
            EventKind::ResponseReleased { request, .. } | EventKind::RequestLost { request, .. } => {
                (request, false)
            }
            _ => continue,
        };
        let Some(s) = since.get_mut(request as usize) else { continue };
        if open {
            s.get_or_insert(t);
        } else if let Some(from) = s.take() {
            // A request lost to a close drops its open hold (no span).
            if matches!(event.kind, EventKind::ResponseReleased { .. }) {
                spans.push((request, from, t));
            }
        }
    }
    spans
}
