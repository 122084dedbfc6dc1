//! A byte stream, one per direction of a connection: what the application
//! wrote, as tagged chunks, and how far the receiver has read.
//!
//! The application queues whole messages; the transport pulls bytes only
//! when it can send them, so interleaving (HTTP/2 frames taking turns) and
//! the server's keep-alive timer follow what really left, not what was
//! queued.

use std::collections::VecDeque;

use crate::trace::Content;

/// A run of bytes of one message, as it went into the stream.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Chunk {
    pub start: u64,
    pub len: u64,
    pub content: Content,
    pub ends_message: bool,
}

/// How a message shares the stream with others written after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Interleave {
    /// Whole, in the order written (TLS flights, HTTP/1 messages, control
    /// frames). These go before any interleaved message.
    InOrder,
    /// Taking turns with the other interleaved messages, `unit` bytes at a
    /// time (HTTP/2 streams, one frame per turn).
    RoundRobin { unit: u64 },
}

#[derive(Clone, Copy, Debug)]
struct Message {
    content: Content,
    remaining: u64,
    /// Bytes per turn when interleaved.
    unit: u64,
}

#[derive(Default)]
pub(crate) struct Stream {
    pub chunks: Vec<Chunk>,
    /// Bytes pulled so far (the end of the last chunk).
    pub written: u64,
    in_order: VecDeque<Message>,
    round_robin: VecDeque<Message>,
    /// Receiver's cursor: first chunk not fully delivered, bytes delivered.
    pub rx_chunk: usize,
    pub rx_delivered: u64,
}

impl Stream {
    pub fn queue(&mut self, content: Content, bytes: u64, interleave: Interleave) {
        match interleave {
            Interleave::InOrder => self.in_order.push_back(Message { content, remaining: bytes, unit: 0 }),
            Interleave::RoundRobin { unit } => {
                self.round_robin.push_back(Message { content, remaining: bytes, unit })
            }
        }
    }

    pub fn has_queued(&self) -> bool {
        !self.in_order.is_empty() || !self.round_robin.is_empty()
    }

    /// Pulls at least one byte if any is queued: up to `want` bytes of the
    /// head in-order message, or one whole turn of an interleaved one.
    pub fn pull(&mut self, want: u64) {
        let (message, turn) = if let Some(m) = self.in_order.front_mut() {
            (m, false)
        } else if let Some(m) = self.round_robin.front_mut() {
            (m, true)
        } else {
            return;
        };
        let n = if turn { message.remaining.min(message.unit) } else { message.remaining.min(want.max(1)) };
        message.remaining -= n;
        let content = message.content;
        let done = message.remaining == 0;
        match self.chunks.last_mut() {
            Some(last) if last.content == content && !last.ends_message => {
                last.len += n;
                last.ends_message = done;
            }
            _ => self.chunks.push(Chunk { start: self.written, len: n, content, ends_message: done }),
        }
        self.written += n;
        if turn {
            let m = self.round_robin.pop_front().expect("front exists");
            if !done {
                self.round_robin.push_back(m);
            }
        } else if done {
            self.in_order.pop_front();
        }
    }

    /// Index of the chunk holding byte `seq`.
    pub fn chunk_at(&self, seq: u64) -> usize {
        // New data is in the last chunk; the chunks are contiguous, so no
        // earlier one can hold it.
        match self.chunks.last() {
            Some(last) if last.start <= seq && seq < last.start + last.len => self.chunks.len() - 1,
            _ => self.chunks.partition_point(|c| c.start + c.len <= seq),
        }
    }

    /// Hands bytes up to `upto` (now in order at the receiver) to `out`, one
    /// `(content, bytes, message complete)` per message they belong to.
    pub fn deliver(&mut self, upto: u64, out: &mut Vec<(Content, u64, bool)>) {
        while self.rx_chunk < self.chunks.len() && self.rx_delivered < upto {
            let ch = self.chunks.as_slice()[self.rx_chunk];
            let end = ch.start + ch.len;
            let from = self.rx_delivered.max(ch.start);
            let until = end.min(upto);
            self.rx_delivered = until;
            let complete = until >= end && ch.ends_message;
            out.push((ch.content, until - from, complete));
            if until >= end && (ch.ends_message || self.rx_chunk + 1 < self.chunks.len()) {
                self.rx_chunk += 1;
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_messages_go_before_interleaved_ones_which_take_turns() {
        let mut s = Stream::default();
        s.queue(Content::Response(1), 250, Interleave::RoundRobin { unit: 100 });
        s.queue(Content::Response(2), 150, Interleave::RoundRobin { unit: 100 });
        s.queue(Content::H2Settings, 30, Interleave::InOrder);
        while s.has_queued() {
            s.pull(1000);
        }
        let order: Vec<(Content, u64)> = s.chunks.iter().map(|c| (c.content, c.len)).collect();
        assert_eq!(
            order,
            vec![
                (Content::H2Settings, 30),
                (Content::Response(1), 100),
                (Content::Response(2), 100),
                (Content::Response(1), 100),
                (Content::Response(2), 50),
                (Content::Response(1), 50),
            ]
        );
        assert_eq!(s.written, 430);
    }

    #[test]
    fn delivery_reports_each_message_once_complete() {
        let mut s = Stream::default();
        s.queue(Content::Request(0), 300, Interleave::InOrder);
        s.queue(Content::Request(1), 200, Interleave::InOrder);
        while s.has_queued() {
            s.pull(1000);
        }
        let mut out = Vec::new();
        s.deliver(250, &mut out);
        assert_eq!(out, vec![(Content::Request(0), 250, false)]);
        out.clear();
        s.deliver(500, &mut out);
        assert_eq!(out, vec![(Content::Request(0), 50, true), (Content::Request(1), 200, true)]);
    }
}
