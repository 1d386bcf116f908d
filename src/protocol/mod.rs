//! Provider-neutral chat types and the dispatch to the two wire formats, so the transport
//! and the widget never care whether they talk to chat completions or Anthropic Messages.

use crate::prelude::*;

pub mod anthropic;
pub mod batch;
mod errors;
mod event;
mod message;
pub mod openai;
mod options;
pub(crate) mod scan;
pub mod usage;

pub use errors::{error_from_http, error_in_stream, plain_http_error};
pub use event::{
    batch_json, merge_deltas, push_delta, text_runs, ChatEvent, Citation, ServerResult,
};
pub use message::{data_url, parse_data_url, ContentPart, Message, Role, ThinkingBlock, ToolCall};
pub use options::{is_claude, ChatOptions, ToolChoice, ToolFormat, ToolSpec};
pub use usage::{Usage, UsageTracker};

use crate::error::ChatError;
use crate::json::Json;
use crate::sse::SseEvent;

/// Which wire format an endpoint speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// `POST /v1/chat/completions`: AI/ML API, OpenAI, LiteLLM, vLLM, …
    OpenAi,
    /// `POST /v1/messages`.
    Anthropic,
}

impl Provider {
    /// `'openai' | 'anthropic'`, or inferred from the endpoint path when absent.
    pub fn resolve(name: Option<&str>, endpoint: &str) -> Result<Provider, ChatError> {
        match name {
            Some("openai") => Ok(Provider::OpenAi),
            Some("anthropic") => Ok(Provider::Anthropic),
            Some(other) => Err(ChatError::config(cat(&[
                "unknown provider '",
                other,
                "': use 'openai' or 'anthropic'",
            ]))),
            None => {
                let path = &endpoint[..endpoint
                    .bytes()
                    .position(|b| b == b'?' || b == b'#')
                    .unwrap_or(endpoint.len())];
                Ok(if trim_end_set(path, b"/").ends_with("/messages") {
                    Provider::Anthropic
                } else {
                    Provider::OpenAi
                })
            }
        }
    }
}

/// A request ready for `fetch`: the transport adds nothing but the signal.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub fn build_request(
    opts: &ChatOptions,
    messages: &[Message],
    stream: bool,
) -> Result<HttpRequest, ChatError> {
    if opts.model.is_empty() {
        return Err(ChatError::config("'model' is required"));
    }
    if !messages.iter().any(|m| m.role != Role::System) {
        return Err(ChatError::config(
            "at least one user or assistant message is required",
        ));
    }
    let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
    let body = match opts.provider {
        Provider::OpenAi => {
            // Images and tool calls are written by the second module.
            let needs = |m: &Message| openai::in_parts(m) || !m.tool_calls.is_empty();
            if !crate::split::loaded() && messages.iter().any(needs) {
                return Err(ChatError::new(
                    crate::error::ErrorKind::Network,
                    "rill-chat has not loaded the part of itself that sends images and tool \
                     calls (rill_chat_extra.wasm)",
                ));
            }
            if let Some(key) = &opts.api_key {
                headers.push(("authorization".to_owned(), cat(&["Bearer ", key])));
            }
            openai::request_body(opts, messages, stream)
        }
        Provider::Anthropic => {
            headers.push(("anthropic-version".to_owned(), "2023-06-01".to_owned()));
            if let Some(key) = &opts.api_key {
                headers.push(("x-api-key".to_owned(), key.clone()));
                headers.push((
                    "anthropic-dangerous-direct-browser-access".to_owned(),
                    "true".to_owned(),
                ));
            }
            anthropic_body(opts, messages, stream)
        }
    };
    for (name, value) in &opts.headers {
        headers.push((name.clone(), value.clone()));
    }
    Ok(HttpRequest {
        url: opts.endpoint.clone(),
        headers,
        body: body.text(),
    })
}

/// `metadata` and `thinking` are written the same way by both codecs.
fn push_metadata_and_thinking(body: &mut Json, opts: &ChatOptions) {
    if let Some(m) = &opts.metadata {
        body.push("metadata", m.clone());
    }
    if let Some(budget) = opts.thinking_budget {
        let thinking = Json::object(vec![
            ("type", Json::str("enabled")),
            ("budget_tokens", Json::Num(budget as f64)),
        ]);
        body.push("thinking", thinking);
    }
}

/// Why the model stopped, normalized across providers; the raw string is kept beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    Stop,
    Length,
    ToolCalls,
    ContentFilter,
    Error,
}

impl FinishReason {
    pub fn normalize(raw: &str) -> FinishReason {
        match raw {
            "length" | "max_tokens" | "model_context_window_exceeded" => FinishReason::Length,
            "tool_calls" | "tool_use" | "function_call" => FinishReason::ToolCalls,
            "content_filter" | "refusal" => FinishReason::ContentFilter,
            "error" => FinishReason::Error,
            // stop, end_turn, stop_sequence, pause_turn and anything new: the model ended.
            _ => FinishReason::Stop,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
            FinishReason::ToolCalls => "tool_calls",
            FinishReason::ContentFilter => "content_filter",
            FinishReason::Error => "error",
        }
    }
}

/// Turns the SSE events of one response into chat events, per wire format.
#[derive(Debug)]
pub enum StreamDecoder {
    OpenAi(openai::StreamDecoder),
    Anthropic(anthropic::StreamDecoder),
}

impl StreamDecoder {
    pub fn new(provider: Provider) -> Self {
        match provider {
            Provider::OpenAi => StreamDecoder::OpenAi(openai::StreamDecoder::default()),
            Provider::Anthropic => StreamDecoder::Anthropic(anthropic::StreamDecoder::default()),
        }
    }

    /// Chunks are read in full, never by a shortcut: the reference that tests and the fuzzer
    /// compare the shortcuts with.
    #[doc(hidden)]
    pub fn exact(&mut self) {
        match self {
            StreamDecoder::OpenAi(d) => d.exact(),
            StreamDecoder::Anthropic(d) => d.exact(),
        }
    }

    /// A new batch of events starts at `out.len() == at` (what is before it is never
    /// merged into).
    pub fn batch(&mut self, at: usize) {
        match self {
            StreamDecoder::OpenAi(d) => d.batch(at),
            StreamDecoder::Anthropic(d) => d.batch(at),
        }
    }

    pub fn decode(&mut self, ev: &SseEvent, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        match self {
            StreamDecoder::OpenAi(d) => d.decode(ev, out),
            StreamDecoder::Anthropic(d) => anthropic_decode(d, ev, out),
        }
    }

    /// Whether the last `decode` left its event unread for the second module
    /// (`openai::StreamDecoder::take_deferred`; the Messages codec is all there).
    pub fn take_deferred(&mut self) -> bool {
        match self {
            StreamDecoder::OpenAi(d) => d.take_deferred(),
            StreamDecoder::Anthropic(_) => false,
        }
    }

    /// Tests: the second module's reading counts as not linked until `unlinked(false)`.
    #[doc(hidden)]
    pub fn unlinked(&mut self, yes: bool) {
        if let StreamDecoder::OpenAi(d) = self {
            d.unlinked(yes);
        }
    }

    /// Whether the provider has said the reply is over; a body that ends before is incomplete.
    pub fn is_complete(&self) -> bool {
        match self {
            StreamDecoder::OpenAi(d) => d.is_complete(),
            StreamDecoder::Anthropic(d) => d.is_complete(),
        }
    }
}

crate::lazy!(
/// Decodes a non-streaming JSON response body into the same events a stream would give. In
/// the second module (`split.rs`): only the JS API's `complete` asks for such a body, and its
/// code is there too; `transport` loads it first.
"a1000000000000000000000000000008" pub fn decode_complete(
    provider: Provider,
    body: &str,
    out: &mut Vec<ChatEvent>,
) -> Result<(), ChatError> {
    let body = body.trim_start_matches('\u{feff}');
    match provider {
        Provider::OpenAi => openai::decode_complete(body, out),
        Provider::Anthropic => {
            let v = Json::parse(body).map_err(|e| {
                ChatError::new(
                    crate::error::ErrorKind::Parse,
                    cat(&["the response is not JSON (", &e.message(), ")"]),
                )
            })?;
            anthropic_complete(&v, out)
        }
    }
});

// The Anthropic codec is in the second module (`split.rs`): `client::converse` loads it
// before a request to a Messages endpoint, and the JS API's `ready` before `ReplyDecoder`.
crate::lazy!("a1000000000000000000000000000001" fn anthropic_body(opts: &ChatOptions, messages: &[Message], stream: bool) -> Json {
    anthropic::request_body(opts, messages, stream)
});
crate::lazy!("a1000000000000000000000000000002" fn anthropic_decode(d: &mut anthropic::StreamDecoder, ev: &SseEvent, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
    d.decode(ev, out)
});
crate::lazy!("a1000000000000000000000000000003" fn anthropic_complete(v: &Json, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
    anthropic::decode_complete(v, out)
});

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn provider_is_inferred_from_the_path() {
        let p = |e| Provider::resolve(None, e).unwrap();
        assert_eq!(
            p("https://api.aimlapi.com/v1/chat/completions"),
            Provider::OpenAi
        );
        assert_eq!(
            p("https://api.anthropic.com/v1/messages"),
            Provider::Anthropic
        );
        assert_eq!(p("/proxy/v1/messages/?x=1"), Provider::Anthropic);
        assert!(Provider::resolve(Some("gemini"), "/x").is_err());
    }

    #[test]
    fn requests_carry_the_right_auth_headers() {
        let json = Json::parse(r#"{"endpoint":"/v1/messages","model":"m","apiKey":"k"}"#).unwrap();
        let mut o = ChatOptions::from_json(&json).unwrap();
        let req = build_request(&o, &[Message::text(Role::User, "hi")], true).unwrap();
        let names: Vec<_> = req.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            names.contains(&"x-api-key")
                && names.contains(&"anthropic-dangerous-direct-browser-access")
        );
        o.provider = Provider::OpenAi;
        let req = build_request(&o, &[Message::text(Role::User, "hi")], true).unwrap();
        assert!(req
            .headers
            .contains(&("authorization".into(), "Bearer k".into())));
        assert!(build_request(&o, &[Message::text(Role::System, "s")], true).is_err());
    }

    #[test]
    fn finish_reasons_normalize() {
        assert_eq!(FinishReason::normalize("end_turn"), FinishReason::Stop);
        assert_eq!(FinishReason::normalize("max_tokens"), FinishReason::Length);
        assert_eq!(FinishReason::normalize("tool_use"), FinishReason::ToolCalls);
        assert_eq!(
            FinishReason::normalize("content_filter"),
            FinishReason::ContentFilter
        );
    }
}
