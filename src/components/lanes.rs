use reuse_sim::trace::ConnId;
use reuse_sim::Protocol;
use yew::prelude::*;

use super::lanes_playhead::LanesPlayhead;
use super::lanes_static::LanesStatic;
use super::Dispatch;
use crate::layout::{px, TimeScale};
use crate::state::{Ptr, Shown};

/// Sub-lanes drawn per row at most; more overlapping requests share them.
pub const MAX_SUBLANES: usize = 16;
/// Above this many connections in one protocol, rows get thin.
const COMPACT_ROWS: usize = 24;

#[derive(Debug, PartialEq)]
pub struct RowGeom {
    /// Index into the protocol run's `connections`.
    pub conn_index: usize,
    pub y: f64,
    pub h: f64,
}

#[derive(Debug, PartialEq)]
pub struct GroupGeom {
    pub protocol: Protocol,
    pub y: f64,
    pub rows: Vec<RowGeom>,
    pub bottom: f64,
    pub compact: bool,
}

/// Where everything in the lanes view goes, for a given width and axis.
#[derive(Debug, PartialEq)]
pub struct LanesGeometry {
    pub width: f64,
    pub height: f64,
    pub label_w: f64,
    pub scale: TimeScale,
    pub groups: Vec<GroupGeom>,
    pub multi_host: bool,
}

pub const AXIS_H: f64 = 18.0;
const HEADER_H: f64 = 20.0;

impl LanesGeometry {
    pub fn new(shown: &Shown, width: f64, axis_end_ms: f64) -> Self {
        let label_w = if width < 520.0 { 58.0 } else { 112.0 };
        let scale = TimeScale::new(0.0, axis_end_ms, label_w, width - 10.0);
        let mut y = AXIS_H + 4.0;
        let mut groups = Vec::new();
        let mut hosts: Vec<&str> = Vec::new();
        for run in shown.runs() {
            let compact = run.connections.len() > COMPACT_ROWS;
            let (base_h, sub_unit, gap) = if compact { (9.0, 3.0, 2.0) } else { (18.0, 6.0, 4.0) };
            let top = y;
            y += HEADER_H;
            let mut rows = Vec::new();
            for (i, c) in run.connections.iter().enumerate() {
                if !hosts.contains(&c.host.as_str()) {
                    hosts.push(&c.host);
                }
                let subs = c.sublanes.min(MAX_SUBLANES) as f64;
                let h = if subs > 1.0 { (subs * sub_unit + 2.0).max(base_h) } else { base_h };
                rows.push(RowGeom { conn_index: i, y, h });
                y += h + gap;
            }
            y += 8.0;
            groups.push(GroupGeom { protocol: run.protocol, y: top, rows, bottom: y - 6.0, compact });
        }
        LanesGeometry { width, height: y.max(60.0), label_w, scale, groups, multi_host: hosts.len() > 1 }
    }
}

#[derive(Properties, PartialEq)]
pub struct LanesProps {
    pub shown: Ptr<Shown>,
    pub width: f64,
    pub axis_end_ms: f64,
    pub playhead_ms: f64,
    pub selected: Option<(Protocol, ConnId)>,
    pub dispatch: Dispatch,
}

/// Connection lanes, protocols one under the other on one time axis: one
/// row per TCP connection, like WebPageTest's connection view.
#[function_component]
pub fn Lanes(props: &LanesProps) -> Html {
    let geometry =
        use_memo((props.shown.clone(), props.width.to_bits(), props.axis_end_ms.to_bits()), |(s, w, e)| {
            LanesGeometry::new(s, f64::from_bits(*w), f64::from_bits(*e))
        });
    let geometry = Ptr(geometry);
    html! {
        <div class="timeline-wrap">
            <div class="stack">
                <svg class="timeline lanes" width={px(props.width)} height={px(geometry.height)}
                    viewBox={format!("0 0 {} {}", px(props.width), px(geometry.height))} data-testid="lanes">
                    <LanesStatic shown={props.shown.clone()} geometry={geometry.clone()} selected={props.selected}
                        dispatch={props.dispatch.clone()} />
                </svg>
                // What moves sits in its own layer, so playback repaints only it.
                <svg class="timeline overlay" width={px(props.width)} height={px(geometry.height)}
                    viewBox={format!("0 0 {} {}", px(props.width), px(geometry.height))} aria-hidden="true">
                    <LanesPlayhead shown={props.shown.clone()} geometry={geometry.clone()} playhead_ms={props.playhead_ms} />
                </svg>
            </div>
        </div>
    }
}
