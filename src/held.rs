//! When each response was held behind a lost packet: the spans between the
//! engine's `ResponseHeld` and `ResponseReleased` trace events, read as the
//! engine's own fold reads them for `requests[].held_ms` (a hold starts at
//! the first `ResponseHeld` after a release, ends at the release, and a
//! request lost to a close drops its open hold). Nothing is re-derived: the
//! spans' lengths sum to the engine's `held_ms`, which a test holds.

use reuse_sim::trace::EventKind;
use reuse_sim::TraceEvent;

/// Held spans `(from_ms, to_ms)` per request, in time order.
pub fn held_spans(trace: &[TraceEvent], requests: usize) -> Vec<Vec<(f64, f64)>> {
    let mut spans = vec![Vec::new(); requests];
    let mut since: Vec<Option<f64>> = vec![None; requests];
    for event in trace {
        let t = event.time.as_ms();
        match event.kind {
            EventKind::ResponseHeld { request, .. } => {
                if let Some(s) = since.get_mut(request as usize) {
                    s.get_or_insert(t);
                }
            }
            EventKind::ResponseReleased { request, .. } => {
                if let Some(from) = since.get_mut(request as usize).and_then(Option::take) {
                    spans[request as usize].push((from, t));
                }
            }
            EventKind::RequestLost { request, .. } => {
                if let Some(s) = since.get_mut(request as usize) {
                    *s = None;
                }
            }
            _ => {}
        }
    }
    spans
}
