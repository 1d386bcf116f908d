//! Incremental server-sent-events parser that follows the WHATWG event-stream rules
//! (HTML §9.2.6) byte for byte, so any chunking of a response body yields the same events.
//!
//! Why bytes and not text: the body arrives as `Uint8Array` chunks that may split a UTF-8
//! character or a CRLF pair. Line terminators are ASCII and never occur inside a multi-byte
//! sequence, so the parser splits lines on raw bytes and decodes each complete line once,
//! with U+FFFD for invalid sequences (the same maximal-subpart substitution as
//! `TextDecoder`). Every input byte is copied at most once (into the partial-line buffer
//! when a line spans chunks), so the work is linear in the input for every chunking.

use crate::prelude::*;

use core::fmt;

/// One dispatched event, as a browser `EventSource` would deliver it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    /// The event type; `message` when the stream named none.
    pub event: String,
    pub data: String,
    /// The last event ID in force when the event was dispatched (may come from an earlier event).
    pub id: String,
}

/// Why the parser stopped: the stream broke one of the configured bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseError {
    /// A single line (without its terminator) grew past the cap.
    LineTooLong { limit: usize },
    /// The data of one event grew past the cap.
    EventTooLarge { limit: usize },
}

impl SseError {
    pub fn message(&self) -> String {
        let n = |limit: &usize| crate::json::decimal(*limit as u64);
        match self {
            SseError::LineTooLong { limit } => {
                cat(&["an SSE line exceeded the limit of ", &n(limit), " bytes"])
            }
            SseError::EventTooLarge { limit } => cat(&[
                "an SSE event exceeded the limit of ",
                &n(limit),
                " bytes of data",
            ]),
        }
    }
}

impl fmt::Display for SseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for SseError {}

/// Bounds that keep a hostile or broken stream from exhausting memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_line: usize,
    pub max_event: usize,
}

impl Default for Limits {
    /// 8 MiB: far above any real chat chunk (a few hundred bytes) or a large tool-call
    /// argument, far below what would hurt a browser tab.
    fn default() -> Self {
        Limits {
            max_line: 8 << 20,
            max_event: 8 << 20,
        }
    }
}

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// The parser state of one stream. Feed it chunks in order, then call [`SseParser::end`].
#[derive(Debug, Default)]
pub struct SseParser {
    limits: Limits,
    /// Bytes of the current line seen so far when it spans chunks.
    line: Vec<u8>,
    /// How many bytes of a leading BOM have been matched (3 = stripped).
    bom_matched: u8,
    /// Whether the BOM check is over (matched or ruled out).
    bom_done: bool,
    /// The previous chunk ended in CR, so an LF starting this chunk belongs to it.
    skip_lf: bool,
    data: String,
    event_type: String,
    id_buffer: String,
    retry: Option<u64>,
    failed: Option<SseError>,
    /// The event handed to a sink: the buffers above are swapped into it and back, so
    /// dispatching allocates nothing.
    out: SseEvent,
}

/// Where dispatched events go: `feed` collects them, `feed_each` lends each to a closure.
pub trait Sink {
    fn event(&mut self, ev: &SseEvent);
}

impl Sink for Vec<SseEvent> {
    fn event(&mut self, ev: &SseEvent) {
        self.push(ev.clone());
    }
}

struct Each<F>(F);

impl<F: FnMut(&SseEvent)> Sink for Each<F> {
    fn event(&mut self, ev: &SseEvent) {
        (self.0)(ev)
    }
}

impl SseParser {
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    pub fn with_limits(limits: Limits) -> Self {
        SseParser {
            limits,
            ..Default::default()
        }
    }

    /// The last valid `retry` value in milliseconds, if the stream sent one.
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }

    /// The last event ID in force (`id` fields are committed when a block ends).
    pub fn last_event_id(&self) -> &str {
        &self.id_buffer
    }

    /// Parses one chunk and appends the events it completed to `out`, in order.
    /// After an error the parser stays failed and reports the same error again.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        self.feed_into(chunk, out)
    }

    /// As `feed`, but each event is lent to `f` as it is dispatched (no allocation per event).
    pub fn feed_each(&mut self, chunk: &[u8], f: impl FnMut(&SseEvent)) -> Result<(), SseError> {
        self.feed_into(chunk, &mut Each(f))
    }

    fn feed_into(&mut self, chunk: &[u8], out: &mut dyn Sink) -> Result<(), SseError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        let rest = self.strip_bom(chunk);
        let result = match rest {
            BomStep::Pending => Ok(()),
            BomStep::Replay(prefix, rest) => {
                self.scan(prefix, out).and_then(|()| self.scan(rest, out))
            }
            BomStep::Go(rest) => self.scan(rest, out),
        };
        if let Err(err) = &result {
            self.failed = Some(err.clone());
        }
        result
    }

    /// End of stream: an unfinished line and an undispatched event are dropped, as the spec
    /// requires. The parser is reset for reuse, keeping `retry` and the last event ID.
    pub fn end(&mut self) {
        self.line.clear();
        self.data.clear();
        self.event_type.clear();
        self.bom_matched = 0;
        self.bom_done = false;
        self.skip_lf = false;
        self.failed = None;
    }

    fn strip_bom<'a>(&mut self, chunk: &'a [u8]) -> BomStep<'a> {
        if self.bom_done {
            return BomStep::Go(chunk);
        }
        let mut i = 0;
        while i < chunk.len() && (self.bom_matched as usize) < BOM.len() {
            if chunk[i] != BOM[self.bom_matched as usize] {
                self.bom_done = true;
                let prefix = &BOM[..self.bom_matched as usize];
                self.bom_matched = 0;
                return BomStep::Replay(prefix, &chunk[i..]);
            }
            self.bom_matched += 1;
            i += 1;
        }
        if (self.bom_matched as usize) == BOM.len() {
            self.bom_done = true;
            return BomStep::Go(&chunk[i..]);
        }
        BomStep::Pending
    }

    fn scan(&mut self, mut bytes: &[u8], out: &mut dyn Sink) -> Result<(), SseError> {
        if self.skip_lf && !bytes.is_empty() {
            self.skip_lf = false;
            if bytes[0] == b'\n' {
                bytes = &bytes[1..];
            }
        }
        while let Some(pos) = crate::swar::line_end(bytes) {
            let (head, tail) = bytes.split_at(pos);
            if self.line.is_empty() {
                self.check_line(head.len())?;
                self.process_line(head, out)?;
            } else {
                self.check_line(self.line.len() + head.len())?;
                let mut line = core::mem::take(&mut self.line);
                grow(&mut line, head.len(), self.limits.max_line);
                line.extend_from_slice(head);
                self.process_line(&line, out)?;
                line.clear();
                self.line = line;
            }
            let is_cr = tail[0] == b'\r';
            bytes = &tail[1..];
            if is_cr {
                match bytes.first() {
                    Some(b'\n') => bytes = &bytes[1..],
                    Some(_) => {}
                    None => self.skip_lf = true,
                }
            }
        }
        if !bytes.is_empty() {
            self.check_line(self.line.len() + bytes.len())?;
            grow(&mut self.line, bytes.len(), self.limits.max_line);
            self.line.extend_from_slice(bytes);
        }
        Ok(())
    }

    fn check_line(&self, len: usize) -> Result<(), SseError> {
        if len > self.limits.max_line {
            return Err(SseError::LineTooLong {
                limit: self.limits.max_line,
            });
        }
        Ok(())
    }

    fn process_line(&mut self, line: &[u8], out: &mut dyn Sink) -> Result<(), SseError> {
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &line[line.len()..]),
        };
        match field {
            b"data" => {
                let needed = self.data.len() + value.len() + 1;
                if needed > self.limits.max_event {
                    return Err(SseError::EventTooLarge {
                        limit: self.limits.max_event,
                    });
                }
                push_lossy(&mut self.data, value);
                self.data.push('\n');
            }
            b"event" => {
                self.event_type.clear();
                push_lossy(&mut self.event_type, value);
            }
            b"id" if !crate::prelude::in_bytes(value, 0) => {
                self.id_buffer.clear();
                push_lossy(&mut self.id_buffer, value);
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                // A value too large for u64 cannot be a meaningful delay: ignore it.
                let parsed = value.iter().try_fold(0u64, |acc, &d| {
                    acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                });
                if parsed.is_some() {
                    self.retry = parsed;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, out: &mut dyn Sink) {
        use core::mem::swap;
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        if self.data.ends_with("\n") {
            // Not `pop`, which decodes the last char backwards.
            self.data.truncate(self.data.len() - 1);
        }
        let named = !self.event_type.is_empty();
        if named {
            swap(&mut self.out.event, &mut self.event_type);
        } else if self.out.event != "message" {
            self.out.event.clear();
            self.out.event.push_str("message");
        }
        swap(&mut self.out.data, &mut self.data);
        swap(&mut self.out.id, &mut self.id_buffer);
        out.event(&self.out);
        swap(&mut self.out.id, &mut self.id_buffer);
        swap(&mut self.out.data, &mut self.data);
        if named {
            swap(&mut self.out.event, &mut self.event_type);
        }
        self.data.clear();
        self.event_type.clear();
    }
}

/// Makes room for `more` bytes in a line held across chunks: capacities are powers of two,
/// never above the line limit, so what a long line leaves behind in the allocator is the
/// same however the network cut it (doubling from the first chunk's size could end past the
/// limit, at up to twice its memory).
fn grow(line: &mut Vec<u8>, more: usize, max_line: usize) {
    let need = line.len() + more;
    if need > line.capacity() {
        let cap = need.next_power_of_two().min(max_line.max(need));
        line.reserve_exact(cap - line.len());
    }
}

enum BomStep<'a> {
    /// Every byte so far matched the start of a BOM; wait for more.
    Pending,
    /// The bytes held back were not a BOM after all: parse them, then the rest.
    Replay(&'static [u8], &'a [u8]),
    Go(&'a [u8]),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_chunks(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut p = SseParser::new();
        let mut out = Vec::new();
        for c in chunks {
            p.feed(c, &mut out).expect("within limits");
        }
        p.end();
        out
    }

    fn data_of(events: &[SseEvent]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    #[test]
    fn spec_example_data_lines_and_unterminated_block() {
        let ev = parse_chunks(&[b"data\n\ndata\ndata\n\ndata:"]);
        assert_eq!(data_of(&ev), ["", "\n"]);
        let ev = parse_chunks(&[b"data: YHOO\ndata: +2\ndata: 10\n\n"]);
        assert_eq!(data_of(&ev), ["YHOO\n+2\n10"]);
    }

    #[test]
    fn bom_stripped_once_and_only_at_start_even_when_split() {
        let ev = parse_chunks(&[
            b"\xEF",
            b"\xBB",
            b"\xBFdata:1\n\n\xEF\xBB\xBFdata:2\n\ndata:3\n\n",
        ]);
        assert_eq!(data_of(&ev), ["1", "3"]);
        let ev = parse_chunks(&[b"\xEF\xBB\xBF\xEF\xBB\xBFdata:1\n\ndata:2\n\n"]);
        assert_eq!(data_of(&ev), ["2"]);
        // a BOM prefix that turns out not to be one is data (here: part of a field name)
        let ev = parse_chunks(&[b"\xEF", b"data:1\n\ndata:2\n\n"]);
        assert_eq!(data_of(&ev), ["2"]);
    }

    #[test]
    fn crlf_split_across_chunks_is_one_terminator() {
        let ev = parse_chunks(&[b"data:a\r", b"\ndata:b\r", b"\n\r", b"\n"]);
        assert_eq!(data_of(&ev), ["a\nb"]);
        let ev = parse_chunks(&[b"data:test\r\ndata\ndata:test\r\n\r\n"]);
        assert_eq!(data_of(&ev), ["test\n\ntest"]);
        let ev = parse_chunks(&[b"data:x\r\rdata:y\r\r"]);
        assert_eq!(data_of(&ev), ["x", "y"]);
    }

    #[test]
    fn field_parsing_follows_wpt() {
        let input = b"data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n";
        let ev = parse_chunks(&[input]);
        assert_eq!(data_of(&ev), ["\0\n 2\n1\n3\n\n4"]);
        let ev = parse_chunks(&[b"data:\ttest\rdata: \ndata:test\n\n"]);
        assert_eq!(data_of(&ev), ["\ttest\n\ntest"]);
    }

    #[test]
    fn event_type_resets_and_empty_type_is_message() {
        let ev = parse_chunks(&[b"event:test\ndata:x\n\ndata:x\n\nevent: \ndata:y\n\n"]);
        let types: Vec<_> = ev.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(types, ["test", "message", "message"]);
    }

    #[test]
    fn ids_persist_reset_and_ignore_nul() {
        let ev = parse_chunks(&[
            b"id: 1\ndata: a\n\ndata: b\n\nid\0x: 9\nid: 2\0\ndata: c\n\nid:\ndata: d\n\n",
        ]);
        let ids: Vec<_> = ev.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["1", "1", "1", ""]);
        // an id in a data-less block still becomes the last event ID
        let mut p = SseParser::new();
        let mut out = Vec::new();
        p.feed(b"id: 7\n\ndata: z\n\n", &mut out).unwrap();
        assert_eq!(out[0].id, "7");
    }

    #[test]
    fn retry_takes_digits_only_and_applies_at_once() {
        let mut p = SseParser::new();
        let mut out = Vec::new();
        p.feed(b"retry:03000\nretry:1000x\nretry\nretry: 12 \n", &mut out)
            .unwrap();
        assert_eq!(p.retry(), Some(3000));
        p.feed(b"retry: 99999999999999999999999\n", &mut out)
            .unwrap();
        assert_eq!(p.retry(), Some(3000));
        assert!(out.is_empty());
    }

    #[test]
    fn comments_and_invalid_utf8() {
        let ev = parse_chunks(&[b": keep-alive\n\ndata:1\r:\0\n:\r\ndata:2\n\n"]);
        assert_eq!(data_of(&ev), ["1\n2"]);
        let ev = parse_chunks(&[b"data:ok\xE2\x80", b"\xA6 \xC0\xAF\n\n"]);
        assert_eq!(data_of(&ev), ["ok\u{2026} \u{FFFD}\u{FFFD}"]);
    }

    #[test]
    fn bounds_are_typed_errors_and_sticky() {
        let mut p = SseParser::with_limits(Limits {
            max_line: 16,
            max_event: 24,
        });
        let mut out = Vec::new();
        assert_eq!(p.feed(b"data: 0123456789", &mut out), Ok(()));
        assert_eq!(
            p.feed(b"abcdef", &mut out),
            Err(SseError::LineTooLong { limit: 16 })
        );
        assert!(p.feed(b"\n\n", &mut out).is_err());
        let mut p = SseParser::with_limits(Limits {
            max_line: 16,
            max_event: 20,
        });
        let err = p.feed(b"data:0123456789\ndata:0123456789\n", &mut out);
        assert_eq!(err, Err(SseError::EventTooLarge { limit: 20 }));
    }

    #[test]
    fn every_split_gives_the_one_chunk_result() {
        let input: &[u8] = b"\xEF\xBB\xBFid: a\r\nevent: x\r\ndata: h\xC3\xA9llo\r\n\r\n: c\rdata:1\rdata:2\r\rdata: [DONE]\n\n";
        let whole = parse_chunks(&[input]);
        assert_eq!(whole.len(), 3);
        for i in 0..=input.len() {
            for j in i..=input.len() {
                let got = parse_chunks(&[&input[..i], &input[i..j], &input[j..]]);
                assert_eq!(got, whole, "split at {i},{j}");
            }
        }
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        assert_eq!(parse_chunks(&bytes), whole);
    }

    #[test]
    fn a_long_line_takes_the_same_memory_however_the_network_cut_it() {
        let limit = 1 << 20;
        let body = vec![b'x'; limit];
        let mut caps = Vec::new();
        for first in [1, 5000, 8192, 65_537] {
            let mut p = SseParser::with_limits(Limits {
                max_line: limit,
                max_event: limit,
            });
            let mut out = Vec::new();
            p.feed(b"data: ", &mut out).unwrap();
            p.feed(&body[..first], &mut out).unwrap();
            for piece in body[first..limit - 6].chunks(8192) {
                p.feed(piece, &mut out).unwrap();
            }
            caps.push(p.line.capacity());
            assert!(p.feed(b"yy", &mut out).is_err(), "over the limit");
        }
        assert!(caps.iter().all(|&c| c == limit), "{caps:?}");
    }
}
