//! The state of a reply as it streams in: what `complete()` returns, what `ChatError.partial`
//! holds when a stream breaks, and what the widget shows, all built from the same events.

use crate::error::{ChatError, ErrorKind};
use crate::json::Json;
use crate::protocol::{ChatEvent, FinishReason, Provider, StreamDecoder, Usage};
use crate::sse::{SseEvent, SseParser};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolCall {
    /// The provider's index; the first call may be 1 (text came first).
    pub index: u64,
    pub id: String,
    pub name: String,
    pub arguments: String,
}

/// One assistant reply, accumulated from its events in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    pub id: String,
    pub model: String,
    pub text: String,
    pub reasoning: String,
    pub tool_calls: Vec<ToolCall>,
    pub finish: Option<(FinishReason, String)>,
    pub usage: Option<Usage>,
}

impl Reply {
    pub fn apply(&mut self, ev: &ChatEvent) {
        match ev {
            ChatEvent::Start { id, model } => {
                if self.id.is_empty() {
                    self.id.clone_from(id);
                }
                if self.model.is_empty() {
                    self.model.clone_from(model);
                }
            }
            ChatEvent::Text(d) => self.text.push_str(d),
            ChatEvent::Reasoning(d) => self.reasoning.push_str(d),
            ChatEvent::ToolCall {
                index,
                id,
                name,
                arguments_delta,
            } => {
                let pos = match self.tool_calls.iter().position(|c| c.index == *index) {
                    Some(pos) => pos,
                    None => {
                        self.tool_calls.push(ToolCall {
                            index: *index,
                            ..Default::default()
                        });
                        self.tool_calls.len() - 1
                    }
                };
                let call = &mut self.tool_calls[pos];
                if let Some(id) = id {
                    call.id.clone_from(id);
                }
                if let Some(name) = name {
                    call.name.clone_from(name);
                }
                call.arguments.push_str(arguments_delta);
            }
            ChatEvent::Usage(u) => self.usage.get_or_insert_with(Usage::default).merge(*u),
            ChatEvent::Finish { reason, raw } => self.finish = Some((*reason, raw.clone())),
        }
    }

    /// Whether anything at all arrived (an empty partial is reported as `null`).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.reasoning.is_empty() && self.tool_calls.is_empty()
    }

    /// The public reply shape: `{ text, reasoning, toolCalls, finishReason, rawFinishReason, usage }`.
    pub fn to_json(&self) -> Json {
        let calls = self
            .tool_calls
            .iter()
            .map(|c| {
                Json::Obj(vec![
                    ("id".into(), Json::str(&c.id)),
                    ("name".into(), Json::str(&c.name)),
                    ("arguments".into(), Json::str(&c.arguments)),
                ])
            })
            .collect();
        let (reason, raw) = match &self.finish {
            Some((r, raw)) => (Json::str(r.as_str()), Json::str(raw)),
            None => (Json::Null, Json::Null),
        };
        Json::Obj(vec![
            ("id".into(), Json::str(&self.id)),
            ("model".into(), Json::str(&self.model)),
            ("text".into(), Json::str(&self.text)),
            ("reasoning".into(), Json::str(&self.reasoning)),
            ("toolCalls".into(), Json::Arr(calls)),
            ("finishReason".into(), reason),
            ("rawFinishReason".into(), raw),
            (
                "usage".into(),
                self.usage.map_or(Json::Null, Usage::to_json),
            ),
        ])
    }
}

/// Timing of one reply, measured by the transport with the page's clock (milliseconds).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Metrics {
    /// Request sent → first text, reasoning or tool-call delta.
    pub ttft_ms: Option<f64>,
    /// Request sent → body finished.
    pub duration_ms: f64,
    pub output_tokens: Option<u64>,
}

impl Metrics {
    /// Output tokens per second of generation (after the first token).
    pub fn tokens_per_second(&self) -> Option<f64> {
        let generating = self.duration_ms - self.ttft_ms?;
        let tokens = self.output_tokens? as f64;
        (generating > 0.0).then(|| tokens * 1000.0 / generating)
    }

    pub fn to_json(&self) -> Json {
        let opt = |v: Option<f64>| v.map_or(Json::Null, |v| Json::Num((v * 10.0).round() / 10.0));
        Json::Obj(vec![
            ("ttftMs".into(), opt(self.ttft_ms)),
            ("durationMs".into(), opt(Some(self.duration_ms))),
            (
                "outputTokens".into(),
                self.output_tokens
                    .map_or(Json::Null, |n| Json::Num(n as f64)),
            ),
            ("tokensPerSecond".into(), opt(self.tokens_per_second())),
        ])
    }
}

/// Response body bytes in, chat events out: SSE parser, decoder and reply in one place so
/// the transport only moves bytes. Pure, so every chunking is testable natively.
#[derive(Debug)]
pub struct ReplyStream {
    provider: Provider,
    parser: SseParser,
    decoder: StreamDecoder,
    reply: Reply,
    sse: Vec<SseEvent>,
}

impl ReplyStream {
    pub fn new(provider: Provider) -> Self {
        ReplyStream {
            provider,
            parser: SseParser::new(),
            decoder: StreamDecoder::new(provider),
            reply: Reply::default(),
            sse: Vec::new(),
        }
    }

    /// Feeds one body chunk; the events it completed are appended to `out` and applied to
    /// the reply. On error the events decoded before it are still in `out` and the reply.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        let start = out.len();
        let parsed = self.parser.feed(chunk, &mut self.sse);
        let mut result = parsed.map_err(|e| ChatError::new(ErrorKind::Stream, e.to_string()));
        for ev in self.sse.drain(..) {
            if result.is_err() {
                break;
            }
            result = self.decoder.decode(&ev, out);
        }
        self.sse.clear();
        for ev in &out[start..] {
            self.reply.apply(ev);
        }
        result
    }

    /// A whole non-streaming JSON body, decoded into the same events a stream would give.
    pub fn complete_body(&mut self, body: &str, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        let start = out.len();
        let result = crate::protocol::decode_complete(self.provider, body, out);
        for ev in &out[start..] {
            self.reply.apply(ev);
        }
        result
    }

    /// The body ended: an error unless the provider had said the reply was complete.
    pub fn end(&mut self) -> Result<(), ChatError> {
        self.parser.end();
        if self.decoder.is_complete() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_calls_are_keyed_by_index_and_usage_merges() {
        let mut r = Reply::default();
        let call = |index, id: Option<&str>, args: &str| ChatEvent::ToolCall {
            index,
            id: id.map(Into::into),
            name: id.map(|_| "read_file".into()),
            arguments_delta: args.into(),
        };
        for ev in [
            ChatEvent::Text("Reading".into()),
            call(1, Some("t1"), ""),
            call(1, None, "{\"path\""),
            call(1, None, ": \"a\"}"),
            ChatEvent::Usage(Usage {
                input_tokens: Some(5),
                output_tokens: Some(1),
                total_tokens: None,
            }),
            ChatEvent::Usage(Usage {
                input_tokens: None,
                output_tokens: Some(9),
                total_tokens: None,
            }),
            ChatEvent::Finish {
                reason: FinishReason::ToolCalls,
                raw: "tool_use".into(),
            },
        ] {
            r.apply(&ev);
        }
        assert_eq!(
            r.tool_calls,
            [ToolCall {
                index: 1,
                id: "t1".into(),
                name: "read_file".into(),
                arguments: "{\"path\": \"a\"}".into()
            }]
        );
        assert_eq!(
            r.usage,
            Some(Usage {
                input_tokens: Some(5),
                output_tokens: Some(9),
                total_tokens: None
            })
        );
        assert_eq!(
            r.to_json()
                .get("usage")
                .unwrap()
                .get("totalTokens")
                .unwrap()
                .as_u64(),
            Some(14)
        );
    }

    #[test]
    fn metrics_rate_counts_only_generation_time() {
        let m = Metrics {
            ttft_ms: Some(600.0),
            duration_ms: 2600.0,
            output_tokens: Some(112),
        };
        assert_eq!(m.tokens_per_second(), Some(56.0));
        assert_eq!(Metrics { ttft_ms: None, ..m }.tokens_per_second(), None);
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
}
