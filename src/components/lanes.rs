use crate::view_model::Column;
use reuse_sim::trace::ConnId;
use yew::prelude::*;

use super::lanes_playhead::lanes_playhead;
use super::lanes_static::lanes_static;
use super::{Dispatch, Frozen};
use crate::layout::{px, TimeScale, Window};
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
    pub column: Column,
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
/// Room under a group's last row.
const GROUP_END_H: f64 = 8.0;
/// A full-size row: 18 px, sub-lanes 6 px each, 4 px between rows. Rows
/// shrink down to half that to keep the lanes on the first screen.
const ROW_H: f64 = 18.0;
const SUB_H: f64 = 6.0;
const ROW_GAP: f64 = 4.0;
const MIN_SCALE: f64 = 0.5;

impl LanesGeometry {
    /// `room`: the height the lanes may take without scrolling, if known;
    /// rows shrink to fit it if half-size rows are enough.
    pub fn new(shown: &Shown, width: f64, window: Window, room: Option<f64>) -> Self {
        let label_w = if width < 520.0 { 58.0 } else { 112.0 };
        let scale = TimeScale::new(window.start_ms, window.end_ms, label_w, width - 10.0);
        let runs: Vec<_> = shown.runs().collect();
        // A row's height at scale k is k * (its full height); a group of more
        // than COMPACT_ROWS connections is always drawn at the smallest scale.
        let full_h = |subs: usize| if subs > 1 { (subs as f64 * SUB_H).max(ROW_H) } else { ROW_H };
        let (mut fixed_h, mut scaled_h) = (AXIS_H + 4.0, 0.0);
        for run in &runs {
            let compact = run.connections.len() > COMPACT_ROWS;
            fixed_h += HEADER_H + GROUP_END_H;
            for c in &run.connections {
                let subs = c.sublanes.min(MAX_SUBLANES);
                fixed_h += if subs > 1 { 2.0 } else { 0.0 };
                let row = full_h(subs) + ROW_GAP;
                if compact {
                    fixed_h += row * MIN_SCALE;
                } else {
                    scaled_h += row;
                }
            }
        }
        let fit = match room {
            Some(room) if scaled_h > 0.0 => (room - fixed_h) / scaled_h,
            _ => 1.0,
        };
        // Shrink only when that makes every row fit: when even half-size rows
        // would not (a phone, a page of 180 connections), full-size rows read
        // better while scrolling.
        let k = if fit >= MIN_SCALE { fit.min(1.0) } else { 1.0 };
        let mut y = AXIS_H + 4.0;
        let mut groups = Vec::new();
        let mut hosts: Vec<&str> = Vec::new();
        for run in runs {
            let k = if run.connections.len() > COMPACT_ROWS { MIN_SCALE } else { k };
            let top = y;
            y += HEADER_H;
            let mut rows = Vec::new();
            for (i, c) in run.connections.iter().enumerate() {
                if !hosts.contains(&c.host.as_str()) {
                    hosts.push(&c.host);
                }
                let subs = c.sublanes.min(MAX_SUBLANES);
                let h = full_h(subs) * k + if subs > 1 { 2.0 } else { 0.0 };
                rows.push(RowGeom { conn_index: i, y, h });
                y += h + ROW_GAP * k;
            }
            y += GROUP_END_H;
            // Below 0.6 (rows under 11 px) there is no room for words on the bars.
            let compact = k < 0.6;
            groups.push(GroupGeom { column: run.column, y: top, rows, bottom: y - 6.0, compact });
        }
        LanesGeometry { width, height: y.max(60.0), label_w, scale, groups, multi_host: hosts.len() > 1 }
    }
}

pub struct LanesProps {
    pub shown: Ptr<Shown>,
    pub width: f64,
    /// The part of the time axis shown (zoom).
    pub window: Window,
    /// Height the lanes may take without scrolling (rows shrink to fit).
    pub room: Option<f64>,
    pub playhead_ms: f64,
    pub selected: Option<(Column, ConnId)>,
    pub dispatch: Dispatch,
}

/// Connection lanes, protocols one under the other on one time axis: one
/// row per TCP connection, like WebPageTest's connection view.
#[hook]
pub fn use_lanes(props: LanesProps) -> Html {
    let key = (
        props.shown.clone(),
        props.width.to_bits(),
        (props.window.start_ms.to_bits(), props.window.end_ms.to_bits()),
        props.room.map(f64::to_bits),
    );
    let geometry = use_memo(key, |(s, w, (a, b), room)| {
        let window = Window { start_ms: f64::from_bits(*a), end_ms: f64::from_bits(*b) };
        LanesGeometry::new(s, f64::from_bits(*w), window, room.map(f64::from_bits))
    });
    let statics = {
        let (shown, selected, dispatch) = (props.shown.clone(), props.selected, props.dispatch.clone());
        use_memo((Ptr(geometry.clone()), props.selected), move |(g, _)| {
            lanes_static(&shown, g, selected, &dispatch)
        })
    };
    let (w, h) = (px(props.width), px(geometry.height));
    html! {
        <div class="timeline-wrap">
            <div class="stack">
                <svg class="timeline lanes" width={w.clone()} height={h.clone()} viewBox={format!("0 0 {w} {h}")}
                    data-testid="lanes" data-plot={format!("{} {}", px(geometry.scale.px0), px(geometry.scale.px1))}
                    role="group" aria-label="Connection lanes">
                    <Frozen html={statics} />
                </svg>
                // What moves sits in its own layer, so playback repaints only it.
                <svg class="timeline overlay" width={w.clone()} height={h.clone()} viewBox={format!("0 0 {w} {h}")}
                    aria-hidden="true">
                    { lanes_playhead(&props.shown, &geometry, props.playhead_ms) }
                </svg>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view_model::Run;

    fn textbook() -> Shown {
        let run = Run::simulate(&reuse_sim::presets::find("textbook").unwrap().scenario()).unwrap();
        Shown::new(run, reuse_sim::Protocol::ALL.to_vec())
    }

    #[test]
    fn rows_shrink_to_fit_the_room_when_half_size_rows_are_enough() {
        let shown = textbook();
        let window = Window::whole(shown.axis_end_ms(false));
        let full = LanesGeometry::new(&shown, 900.0, window, None);
        assert_eq!(
            LanesGeometry::new(&shown, 900.0, window, Some(full.height + 50.0)),
            full,
            "room to spare"
        );
        let room = full.height * 0.8;
        let fitted = LanesGeometry::new(&shown, 900.0, window, Some(room));
        assert!(fitted.height <= room + 1e-6, "{} > {room}", fitted.height);
        assert!(fitted.height > room - 1.0, "uses the room it has: {} of {room}", fitted.height);
        let first_row = |g: &LanesGeometry| g.groups[0].rows[0].h;
        assert!(first_row(&fitted) < first_row(&full) && first_row(&fitted) >= first_row(&full) * 0.5);
        // A room that half-size rows cannot fill either: full-size rows, to scroll through.
        assert_eq!(LanesGeometry::new(&shown, 900.0, window, Some(80.0)), full);
    }
}
