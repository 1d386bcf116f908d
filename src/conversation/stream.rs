//! Response body bytes in, chat events out: SSE parser, decoder and reply in one place so the
//! transport only moves bytes. A server may answer a stream request with a plain JSON
//! completion (some gateways and models do): the body is told apart by its first byte and
//! decoded as a whole once its last brace arrives. Pure, so every chunking is testable.

use crate::prelude::*;

use super::Reply;
use crate::error::{ChatError, ErrorKind};
use crate::protocol::{decode_complete, ChatEvent, Provider, StreamDecoder};
use crate::sse::{SseEvent, SseParser};

/// Largest JSON body kept whole (a completion is kilobytes; this matches the SSE line cap).
const MAX_JSON_BODY: usize = 8 * 1024 * 1024;

#[derive(Debug)]
pub struct ReplyStream {
    provider: Provider,
    parser: SseParser,
    decoder: StreamDecoder,
    reply: Reply,
    body: Body,
    /// Events (and a whole JSON body) that need the second module's reading, kept in order
    /// until it is linked (`drain`); every event after the first such one waits too.
    waiting: Vec<SseEvent>,
    waiting_body: Option<String>,
    /// Tests: the second module counts as not linked (`unlinked`, `link`).
    unlinked: bool,
}

/// What the body turned out to be, decided by its first byte that is not a BOM or space.
#[derive(Debug)]
enum Body {
    /// Only a BOM or whitespace so far, kept to be replayed into whichever reader it is.
    Undecided(Vec<u8>),
    Sse,
    Json(JsonBody),
}

impl ReplyStream {
    pub fn new(provider: Provider) -> Self {
        ReplyStream {
            provider,
            parser: SseParser::new(),
            decoder: StreamDecoder::new(provider),
            reply: Reply::default(),
            body: Body::Undecided(Vec::new()),
            waiting: Vec::new(),
            waiting_body: None,
            unlinked: false,
        }
    }

    /// The same stream read without the decoders' shortcuts (see `StreamDecoder::exact`).
    #[doc(hidden)]
    pub fn exact(provider: Provider) -> Self {
        let mut s = ReplyStream::new(provider);
        s.decoder.exact();
        s
    }

    /// Tests: a stream read as the first module alone reads it, until `link`.
    #[doc(hidden)]
    pub fn unlinked(provider: Provider) -> Self {
        let mut s = ReplyStream::new(provider);
        s.unlinked = true;
        s.decoder.unlinked(true);
        s
    }

    /// Tests: the second module is linked now (what waits is read by `drain`).
    #[doc(hidden)]
    pub fn link(&mut self) {
        self.unlinked = false;
        self.decoder.unlinked(false);
    }

    /// Whether events wait for the second module (`drain`).
    pub fn is_waiting(&self) -> bool {
        !self.waiting.is_empty() || self.waiting_body.is_some()
    }

    /// Feeds one body chunk; the events it completed are appended to `out` and applied to
    /// the reply. On error the events decoded before it are still in `out` and the reply.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        let start = out.len();
        self.decoder.batch(start);
        let result = self.route(chunk, out);
        for ev in &out[start..] {
            self.reply.apply(ev);
        }
        result
    }

    fn route(&mut self, chunk: &[u8], out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        if let Body::Undecided(lead) = &mut self.body {
            let at = lead.len();
            let first = chunk.iter().enumerate().position(|(i, &b)| {
                let bom = at + i < 3 && matches!(b, 0xEF | 0xBB | 0xBF);
                !(bom || b.is_ascii_whitespace())
            });
            let Some(first) = first else {
                lead.extend_from_slice(chunk);
                return Ok(());
            };
            let lead = core::mem::take(lead);
            self.body = if matches!(chunk[first], b'{' | b'[') {
                Body::Json(JsonBody::default())
            } else {
                Body::Sse
            };
            self.route(&lead, out)?;
        }
        match &mut self.body {
            Body::Undecided(_) => Ok(()),
            Body::Sse => self.sse_feed(chunk, out),
            Body::Json(json) => match json.push(chunk)? {
                Some(text) if self.unlinked || !crate::split::loaded() => {
                    crate::split::want();
                    self.waiting_body = Some(text);
                    Ok(())
                }
                Some(text) => decode_complete(self.provider, &text, out),
                None => Ok(()),
            },
        }
    }

    fn sse_feed(&mut self, chunk: &[u8], out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        // Each event is decoded as it is dispatched; after a decoding error the rest of the
        // chunk is not decoded (the events before it stay in `out`).
        let (decoder, waiting) = (&mut self.decoder, &mut self.waiting);
        let mut decoded = Ok(());
        let parsed = self.parser.feed_each(chunk, |ev| {
            if decoded.is_ok() {
                if waiting.is_empty() {
                    decoded = decoder.decode(ev, out);
                }
                // Once one event waits for the second module, every later one waits behind it.
                if !waiting.is_empty() || decoder.take_deferred() {
                    crate::split::want();
                    waiting.push(ev.clone());
                }
            }
        });
        decoded?;
        parsed.map_err(|e| ChatError::new(ErrorKind::Stream, e.message()))
    }

    /// A whole non-streaming JSON body, decoded into the same events a stream would give.
    pub fn complete_body(&mut self, body: &str, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        let start = out.len();
        let result = decode_complete(self.provider, body, out);
        for ev in &out[start..] {
            self.reply.apply(ev);
        }
        result
    }

    /// Once the second module is linked: decodes what waited for it (`feed`'s contract).
    /// An error when it could not be linked, as nothing after that point can be read.
    pub fn drain(&mut self, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        if !self.is_waiting() {
            return Ok(());
        }
        if self.unlinked || !crate::split::loaded() {
            return Err(ChatError::new(
                ErrorKind::Network,
                "rill-chat could not load the part of itself that reads the rest of this reply \
                 (rill_chat_extra.wasm)",
            ));
        }
        let start = out.len();
        self.decoder.batch(start);
        let mut result = Ok(());
        for ev in core::mem::take(&mut self.waiting) {
            result = self.decoder.decode(&ev, out);
            if result.is_err() {
                break;
            }
        }
        if let (Ok(()), Some(body)) = (&result, self.waiting_body.take()) {
            result = decode_complete(self.provider, &body, out);
        }
        for ev in &out[start..] {
            self.reply.apply(ev);
        }
        result
    }

    /// The body ended: an error unless the provider had said the reply was complete.
    pub fn end(&mut self) -> Result<(), ChatError> {
        self.drain(&mut Vec::new())?;
        self.parser.end();
        let complete = match &self.body {
            Body::Json(json) => json.done,
            _ => self.decoder.is_complete(),
        };
        if complete {
            Ok(())
        } else {
            Err(ChatError::new(
                ErrorKind::Incomplete,
                "the connection closed before the reply was complete",
            ))
        }
    }

    pub fn reply(&self) -> &Reply {
        &self.reply
    }

    pub fn into_reply(self) -> Reply {
        self.reply
    }
}

/// A JSON body collected until its outermost value closes, found by a running count of
/// brackets outside strings (one pass over each byte, however the body is chunked).
#[derive(Debug, Default)]
struct JsonBody {
    bytes: Vec<u8>,
    depth: usize,
    in_string: bool,
    escaped: bool,
    done: bool,
}

impl JsonBody {
    /// Adds a chunk; the whole text once the value closed (then once only).
    fn push(&mut self, chunk: &[u8]) -> Result<Option<String>, ChatError> {
        if self.done {
            return Ok(None);
        }
        for (i, &b) in chunk.iter().enumerate() {
            if self.in_string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        self.bytes.extend_from_slice(&chunk[..=i]);
                        self.done = true;
                        let bytes = core::mem::take(&mut self.bytes);
                        let mut text = String::new();
                        push_lossy(&mut text, &bytes);
                        return Ok(Some(text));
                    }
                }
                _ => {}
            }
        }
        if self.bytes.len() + chunk.len() > MAX_JSON_BODY {
            return Err(ChatError::new(
                ErrorKind::Stream,
                "the JSON response is larger than 8 MiB",
            ));
        }
        self.bytes.extend_from_slice(chunk);
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(provider: Provider, body: &[u8], size: usize) -> (Reply, Result<(), ChatError>) {
        let mut s = ReplyStream::new(provider);
        let mut out = Vec::new();
        for piece in body.chunks(size.max(1)) {
            if let Err(e) = s.feed(piece, &mut out) {
                return (s.reply().clone(), Err(e));
            }
        }
        let end = s.end();
        (s.into_reply(), end)
    }

    #[test]
    fn reply_stream_reports_a_cut_stream_as_incomplete_and_keeps_the_text() {
        let mut s = ReplyStream::new(Provider::OpenAi);
        let mut out = Vec::new();
        s.feed(
            b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choi",
            &mut out,
        )
        .unwrap();
        assert_eq!(s.end().unwrap_err().kind, ErrorKind::Incomplete);
        assert_eq!(s.reply().text, "Hel");
        let mut s = ReplyStream::new(Provider::OpenAi);
        s.feed(
            b"data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
            &mut out,
        )
        .unwrap();
        assert!(s.end().is_ok());
    }

    #[test]
    fn a_json_body_to_a_stream_request_is_a_whole_reply_at_any_split() {
        let openai = "\u{feff} \n{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi {there} \\\"[x]\\\"\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n";
        let anthropic = r#"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":2}}"#;
        for size in [1, 2, 5, 64, 4096] {
            let (r, end) = run(Provider::OpenAi, openai.as_bytes(), size);
            assert!(end.is_ok(), "{size}: {end:?}");
            assert_eq!(r.text, "Hi {there} \"[x]\"");
            assert_eq!(
                r.usage
                    .and_then(|u| u.tokens(crate::protocol::usage::OUTPUT)),
                Some(4)
            );
            let (r, end) = run(Provider::Anthropic, anthropic.as_bytes(), size);
            assert!(end.is_ok());
            assert_eq!((r.text.as_str(), r.id.as_str()), ("Hello", "msg_1"));
        }
        let cut = &openai.as_bytes()[..openai.len() / 2];
        assert_eq!(
            run(Provider::OpenAi, cut, 7).1.unwrap_err().kind,
            ErrorKind::Incomplete
        );
        let error = br#"{"error":{"message":"model overloaded","code":"529"}}"#;
        let (_, end) = run(Provider::OpenAi, error, 3);
        assert_eq!(end.unwrap_err().message, "model overloaded");
    }

    #[test]
    fn an_sse_body_after_leading_blank_lines_and_a_bom_is_still_sse() {
        let body = "\u{feff}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n";
        for size in [1, 3, 100] {
            let (r, end) = run(Provider::OpenAi, body.as_bytes(), size);
            assert!(end.is_ok());
            assert_eq!(r.text, "ok");
        }
    }
}
