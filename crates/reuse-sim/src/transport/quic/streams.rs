//! QUIC's byte streams, one direction at a time: a request or response
//! stream, the HTTP/3 control stream, or a number space's CRYPTO stream.
//!
//! Each keeps both ends' view, as TCP's [`crate::transport::stream`] does:
//! the sender's (what was written, first sent, acknowledged, lost and to
//! resend) and the receiver's (which byte ranges arrived, how far they are
//! in order). Bytes are ordered within a stream only (RFC 9000 §2.2), so a
//! gap here holds back this stream and no other.

use crate::trace::{Content, Side};

/// One message the application wrote into a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Message {
    pub content: Content,
    pub start: u64,
    pub end: u64,
}

/// Sorted, disjoint, half-open `[start, end)` byte ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Ranges(pub Vec<(u64, u64)>);

impl Ranges {
    pub fn insert(&mut self, start: u64, end: u64) {
        if start >= end {
            return;
        }
        let v = &mut self.0;
        // First range that ends at or after `start` (it may touch).
        let i = v.partition_point(|&(_, e)| e < start);
        let (mut s, mut e) = (start, end);
        while i < v.len() && v[i].0 <= e {
            s = s.min(v[i].0);
            e = e.max(v[i].1);
            v.remove(i);
        }
        v.insert(i, (s, e));
    }

    /// Removes `[start, end)`.
    pub fn remove(&mut self, start: u64, end: u64) {
        let v = &mut self.0;
        // The ranges it touches: from the first ending after `start` to the
        // last starting before `end`.
        let first = v.partition_point(|&(_, e)| e <= start);
        let last = v.partition_point(|&(s, _)| s < end);
        if first >= last || start >= end {
            return;
        }
        let head = (v[first].0 < start).then(|| (v[first].0, start));
        let tail = (v[last - 1].1 > end).then(|| (end, v[last - 1].1));
        v.splice(first..last, head.into_iter().chain(tail));
    }

    /// Does it hold every byte of `[start, end)`?
    pub fn covers(&self, start: u64, end: u64) -> bool {
        start >= end || self.0.iter().any(|&(s, e)| s <= start && end <= e)
    }

    /// The parts of `[start, end)` it does not hold.
    pub fn gaps(&self, start: u64, end: u64) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let mut at = start;
        for &(s, e) in &self.0 {
            if e <= at {
                continue;
            }
            if s >= end {
                break;
            }
            if s > at {
                out.push((at, s.min(end)));
            }
            at = at.max(e);
            if at >= end {
                break;
            }
        }
        if at < end {
            out.push((at, end));
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn bytes(&self) -> u64 {
        self.0.iter().map(|&(s, e)| e - s).sum()
    }
}

/// One direction of one stream.
#[derive(Clone, Debug)]
pub(crate) struct ByteStream {
    /// The QUIC stream id (unused for CRYPTO streams).
    pub id: u64,
    pub from: Side,
    pub messages: Vec<Message>,
    /// Bytes the application wrote.
    pub written: u64,
    /// The stream ends after its one message (request and response streams;
    /// the control stream and CRYPTO streams never end).
    pub ends: bool,
    /// Bytes per turn when it takes turns with other streams (0: sent whole).
    pub unit: u64,

    // The sender.
    /// First transmissions have covered `[0, sent)`.
    pub sent: u64,
    pub acked: Ranges,
    /// Declared lost (or to probe with), not acknowledged since: resend.
    pub lost: Ranges,

    // The receiver.
    pub received: Ranges,
    /// `[0, delivered)` is in order and handed to the application.
    pub delivered: u64,
    /// Index of the first message not wholly delivered.
    rx_message: usize,
    /// Bytes wait beyond a gap (for the trace's head-of-line words).
    pub blocked: bool,
}

impl ByteStream {
    pub fn new(id: u64, from: Side, ends: bool) -> Self {
        ByteStream {
            id,
            from,
            messages: Vec::new(),
            written: 0,
            ends,
            unit: 0,
            sent: 0,
            acked: Ranges::default(),
            lost: Ranges::default(),
            received: Ranges::default(),
            delivered: 0,
            rx_message: 0,
            blocked: false,
        }
    }

    pub fn write(&mut self, content: Content, bytes: u64) {
        self.messages.push(Message { content, start: self.written, end: self.written + bytes });
        self.written += bytes;
    }

    /// Bytes written and never sent.
    pub fn unsent(&self) -> u64 {
        self.written - self.sent
    }

    /// Does a frame ending at `end` carry the stream's FIN?
    pub fn fin_at(&self, end: u64) -> bool {
        self.ends && end == self.written
    }

    /// The message holding byte `offset`.
    pub fn content_at(&self, offset: u64) -> Content {
        let i = self.messages.partition_point(|m| m.end <= offset);
        self.messages.get(i).or(self.messages.last()).map_or(Content::None, |m| m.content)
    }

    /// Takes up to `max` new bytes: `(offset, len)`.
    pub fn take_new(&mut self, max: u64) -> Option<(u64, u64)> {
        let len = self.unsent().min(max);
        if len == 0 {
            return None;
        }
        let offset = self.sent;
        self.sent += len;
        Some((offset, len))
    }

    /// Takes up to `max` bytes to resend, skipping what was acknowledged
    /// meanwhile.
    pub fn take_lost(&mut self, max: u64) -> Option<(u64, u64)> {
        if max == 0 {
            return None;
        }
        while let Some(&(s, e)) = self.lost.0.first() {
            let end = e.min(s + max);
            self.lost.remove(s, end);
            if let Some(&(gs, ge)) = self.acked.gaps(s, end).first() {
                // Put back what follows the first unacknowledged piece.
                if ge < end {
                    self.lost.insert(ge, end);
                }
                return Some((gs, ge - gs));
            }
        }
        None
    }

    pub fn has_lost(&self) -> bool {
        !self.lost.is_empty()
    }

    pub fn on_acked(&mut self, offset: u64, len: u64) {
        self.acked.insert(offset, offset + len);
        self.lost.remove(offset, offset + len);
    }

    /// Marks `[offset, offset + len)` for resending, except what is
    /// acknowledged. Returns whether anything is now to resend.
    pub fn on_lost(&mut self, offset: u64, len: u64) -> bool {
        for (s, e) in self.acked.gaps(offset, offset + len) {
            self.lost.insert(s, e);
        }
        self.has_lost()
    }

    /// Everything written is acknowledged.
    pub fn all_acked(&self) -> bool {
        self.acked.covers(0, self.written)
    }

    /// For each message with bytes in `[offset, offset + len)`: does its
    /// first byte, or its last, go out in this (first) transmission?
    pub fn first_and_last(&self, offset: u64, len: u64, out: &mut Vec<(Content, bool, bool)>) {
        let end = offset + len;
        let i = self.messages.partition_point(|m| m.end <= offset);
        for m in &self.messages[i..] {
            if m.start >= end {
                break;
            }
            let first = offset <= m.start;
            let last = end >= m.end;
            if first || last {
                out.push((m.content, first, last));
            }
        }
    }

    /// The receiver gets `[offset, offset + len)`. Returns the in-order
    /// bytes it adds (`delivered` moves past them in [`deliver`]).
    pub fn on_frame(&mut self, offset: u64, len: u64) -> u64 {
        let end = offset + len;
        if end > self.delivered {
            self.received.insert(offset.max(self.delivered), end);
        }
        match self.received.0.first() {
            Some(&(s, e)) if s <= self.delivered && e > self.delivered => e - self.delivered,
            _ => 0,
        }
    }

    /// Bytes received beyond the in-order point (held back by a gap).
    pub fn held(&self) -> u64 {
        self.received.0.iter().filter(|&&(s, _)| s > self.delivered).map(|&(s, e)| e - s).sum()
    }

    /// Hands the in-order bytes up: one `(content, bytes, complete)` per
    /// message they belong to.
    pub fn deliver(&mut self, out: &mut Vec<(Content, u64, bool)>) {
        let upto = match self.received.0.first() {
            Some(&(s, e)) if s <= self.delivered => e,
            _ => return,
        };
        self.received.remove(0, upto);
        while self.rx_message < self.messages.len() && self.delivered < upto {
            let m = self.messages[self.rx_message];
            let from = self.delivered.max(m.start);
            let until = m.end.min(upto);
            self.delivered = until;
            let complete = until >= m.end;
            if until > from {
                out.push((m.content, until - from, complete));
            }
            if complete {
                self.rx_message += 1;
            } else {
                break;
            }
        }
        self.delivered = self.delivered.max(upto);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_split_and_report_gaps() {
        let mut r = Ranges::default();
        r.insert(10, 20);
        r.insert(30, 40);
        r.insert(20, 30);
        assert_eq!(r.0, vec![(10, 40)]);
        r.remove(15, 25);
        assert_eq!(r.0, vec![(10, 15), (25, 40)]);
        assert_eq!(r.gaps(0, 50), vec![(0, 10), (15, 25), (40, 50)]);
        assert!(r.covers(26, 40) && !r.covers(14, 16));
    }

    #[test]
    fn a_gap_holds_back_the_stream_until_it_is_filled() {
        let mut s = ByteStream::new(8, Side::Server, true);
        s.write(Content::Response(3), 3000);
        assert_eq!(s.on_frame(1000, 1000), 0, "beyond a gap: nothing in order");
        assert_eq!(s.held(), 1000);
        let mut out = Vec::new();
        s.deliver(&mut out);
        assert!(out.is_empty());
        assert_eq!(s.on_frame(0, 1000), 2000, "the gap fills: both pieces go up");
        s.deliver(&mut out);
        assert_eq!(out, vec![(Content::Response(3), 2000, false)]);
        out.clear();
        s.on_frame(2000, 1000);
        s.deliver(&mut out);
        assert_eq!(out, vec![(Content::Response(3), 1000, true)]);
    }

    #[test]
    fn lost_bytes_are_resent_except_what_was_acknowledged_meanwhile() {
        let mut s = ByteStream::new(0, Side::Client, true);
        s.write(Content::Request(0), 3000);
        assert_eq!(s.take_new(1200), Some((0, 1200)));
        assert_eq!(s.take_new(1200), Some((1200, 1200)));
        s.on_lost(0, 1200);
        s.on_lost(1200, 1200);
        s.on_acked(500, 300);
        assert_eq!(s.take_lost(5000), Some((0, 500)));
        assert_eq!(s.take_lost(5000), Some((800, 1600)));
        assert_eq!(s.take_lost(5000), None);
        assert_eq!(s.take_new(5000), Some((2400, 600)));
        assert!(s.fin_at(3000));
    }

    #[test]
    fn each_message_reports_its_first_and_last_byte_once() {
        let mut s = ByteStream::new(2, Side::Client, false);
        s.write(Content::H3Control, 20);
        s.write(Content::H3GoAway, 4);
        let mut out = Vec::new();
        s.first_and_last(0, 10, &mut out);
        s.first_and_last(10, 14, &mut out);
        assert_eq!(
            out,
            vec![
                (Content::H3Control, true, false),
                (Content::H3Control, false, true),
                (Content::H3GoAway, true, true)
            ]
        );
    }
}
