//! When each response was held back: the engine's spans
//! ([`reuse_sim::holds`], the rule the fold sums into `held_ms` and
//! `blocked_ms`), as the app's phases.

use reuse_sim::holds::{hold_spans, Hold};
use reuse_sim::TraceEvent;

use crate::view_model::Phase;

/// Held spans `(request, phase, from_ms, to_ms)`, in the order they end;
/// `phase` is [`Phase::Held`] or [`Phase::Blocked`].
pub fn held_spans(trace: &[TraceEvent], requests: usize) -> Vec<(u32, Phase, f64, f64)> {
    hold_spans(trace, requests)
        .into_iter()
        .map(|s| {
            let phase = match s.hold {
                Hold::LostPacket => Phase::Held,
                Hold::EarlierResponse => Phase::Blocked,
            };
            (s.request, phase, s.from_ms, s.to_ms)
        })
        .collect()
}
