//! Provider-neutral chat types and the dispatch to the two wire formats, so the transport
//! and the widget never care whether they talk to chat completions or Anthropic Messages.

pub mod anthropic;
mod errors;
mod message;
pub mod openai;
mod options;

pub use errors::error_from_http;
pub use message::{data_url, parse_data_url, ContentPart, Message, Role, Thinking, ToolCall};
pub use options::{is_claude, ChatOptions, ToolChoice, ToolFormat, ToolSpec};

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
            Some(other) => Err(ChatError::config(format!(
                "unknown provider '{other}': use 'openai' or 'anthropic'"
            ))),
            None => {
                let path = endpoint.split(['?', '#']).next().unwrap_or("");
                Ok(if path.trim_end_matches('/').ends_with("/messages") {
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
            if let Some(key) = &opts.api_key {
                headers.push(("authorization".to_owned(), format!("Bearer {key}")));
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
            anthropic::request_body(opts, messages, stream)
        }
    };
    headers.extend(opts.headers.iter().cloned());
    Ok(HttpRequest {
        url: opts.endpoint.clone(),
        headers,
        body: body.to_string(),
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

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub total_tokens: Option<u64>,
    pub reasoning_tokens: Option<u64>,
    /// The AI/ML API's `meta.usage.usd_spent` on the final chunk.
    pub cost_usd: Option<f64>,
    /// The AI/ML API's `meta.usage.credits_used`.
    pub credits: Option<f64>,
}

impl Usage {
    /// Later reports overwrite earlier ones field by field (providers send running totals).
    pub fn merge(&mut self, newer: Usage) {
        self.input_tokens = newer.input_tokens.or(self.input_tokens);
        self.output_tokens = newer.output_tokens.or(self.output_tokens);
        self.total_tokens = newer.total_tokens.or(self.total_tokens);
        self.reasoning_tokens = newer.reasoning_tokens.or(self.reasoning_tokens);
        self.cost_usd = newer.cost_usd.or(self.cost_usd);
        self.credits = newer.credits.or(self.credits);
    }

    /// Two separate requests (tool rounds): counts add up.
    pub fn add(&mut self, other: Usage) {
        fn sum<T: std::ops::Add<Output = T>>(a: Option<T>, b: Option<T>) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            }
        }
        let (mine, theirs) = (self.total(), other.total());
        *self = Usage {
            input_tokens: sum(self.input_tokens, other.input_tokens),
            output_tokens: sum(self.output_tokens, other.output_tokens),
            total_tokens: sum(mine, theirs),
            reasoning_tokens: sum(self.reasoning_tokens, other.reasoning_tokens),
            cost_usd: sum(self.cost_usd, other.cost_usd),
            credits: sum(self.credits, other.credits),
        };
    }

    fn total(&self) -> Option<u64> {
        self.total_tokens
            .or(match (self.input_tokens, self.output_tokens) {
                (Some(i), Some(o)) => Some(i + o),
                _ => None,
            })
    }

    pub fn to_json(self) -> Json {
        let num = |n: Option<u64>| n.map_or(Json::Null, |n| Json::Num(n as f64));
        let mut out = Json::Obj(vec![
            ("inputTokens".into(), num(self.input_tokens)),
            ("outputTokens".into(), num(self.output_tokens)),
            ("totalTokens".into(), num(self.total())),
        ]);
        if self.reasoning_tokens.is_some() {
            out.push("reasoningTokens", num(self.reasoning_tokens));
        }
        if let Some(c) = self.cost_usd {
            out.push("costUsd", Json::Num(c));
        }
        if let Some(c) = self.credits {
            out.push("credits", Json::Num(c));
        }
        out
    }
}

/// What a stream tells the page, in order; the public `{type: …}` events.
#[derive(Debug, Clone, PartialEq)]
pub enum ChatEvent {
    Start {
        id: String,
        model: String,
    },
    Text(String),
    Reasoning(String),
    ToolCall {
        index: u64,
        id: Option<String>,
        name: Option<String>,
        arguments_delta: String,
    },
    Usage(Usage),
    Finish {
        reason: FinishReason,
        raw: String,
    },
    /// The signature closing an Anthropic thinking block; kept for the next request,
    /// not shown to the page.
    Signature(String),
    /// A page tool handler answered a call (emitted by the tool loop, not by a stream).
    ToolResult {
        id: String,
        name: String,
        content: String,
        is_error: bool,
    },
}

/// The page-visible events of one batch (one network chunk), consecutive text deltas —
/// and consecutive reasoning deltas — merged into one: the page needs the text, not the
/// provider's token boundaries, and one event per chunk instead of hundreds is what keeps
/// a burst cheap on the JS side.
pub fn merge_deltas(events: &[ChatEvent]) -> Vec<ChatEvent> {
    let mut out: Vec<ChatEvent> = Vec::new();
    for ev in events.iter().filter(|e| e.is_public()) {
        match (out.last_mut(), ev) {
            (Some(ChatEvent::Text(acc)), ChatEvent::Text(d))
            | (Some(ChatEvent::Reasoning(acc)), ChatEvent::Reasoning(d)) => acc.push_str(d),
            _ => out.push(ev.clone()),
        }
    }
    out
}

/// A batch as JSON array text, for one crossing into JS and one `JSON.parse`.
pub fn batch_json(events: &[ChatEvent]) -> String {
    Json::Arr(
        merge_deltas(events)
            .iter()
            .map(ChatEvent::to_json)
            .collect(),
    )
    .to_string()
}

impl ChatEvent {
    /// Whether the page sees this event (the rest is bookkeeping for the next request).
    pub fn is_public(&self) -> bool {
        !matches!(self, ChatEvent::Signature(_))
    }

    pub fn to_json(&self) -> Json {
        let s = Json::str;
        let pairs: Vec<(&str, Json)> = match self {
            ChatEvent::Start { id, model } => {
                vec![("type", s("start")), ("id", s(id)), ("model", s(model))]
            }
            ChatEvent::Text(d) => vec![("type", s("text")), ("delta", s(d))],
            ChatEvent::Reasoning(d) => vec![("type", s("reasoning")), ("delta", s(d))],
            ChatEvent::ToolCall {
                index,
                id,
                name,
                arguments_delta,
            } => vec![
                ("type", s("toolCall")),
                ("index", Json::Num(*index as f64)),
                ("id", id.clone().map_or(Json::Null, Json::Str)),
                ("name", name.clone().map_or(Json::Null, Json::Str)),
                ("argumentsDelta", s(arguments_delta)),
            ],
            ChatEvent::Usage(u) => vec![("type", s("usage")), ("usage", u.to_json())],
            ChatEvent::Finish { reason, raw } => {
                vec![
                    ("type", s("finish")),
                    ("finishReason", s(reason.as_str())),
                    ("rawFinishReason", s(raw)),
                ]
            }
            ChatEvent::Signature(sig) => vec![("type", s("signature")), ("signature", s(sig))],
            ChatEvent::ToolResult {
                id,
                name,
                content,
                is_error,
            } => vec![
                ("type", s("toolResult")),
                ("id", s(id)),
                ("name", s(name)),
                ("result", s(content)),
                ("isError", Json::Bool(*is_error)),
            ],
        };
        Json::Obj(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
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

    pub fn decode(&mut self, ev: &SseEvent, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        match self {
            StreamDecoder::OpenAi(d) => d.decode(ev, out),
            StreamDecoder::Anthropic(d) => d.decode(ev, out),
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

/// Decodes a non-streaming JSON response body into the same events a stream would give.
pub fn decode_complete(
    provider: Provider,
    body: &str,
    out: &mut Vec<ChatEvent>,
) -> Result<(), ChatError> {
    let v = Json::parse(body).map_err(|e| {
        ChatError::new(
            crate::error::ErrorKind::Parse,
            format!("response is not JSON: {e}"),
        )
    })?;
    match provider {
        Provider::OpenAi => openai::decode_complete(&v, out),
        Provider::Anthropic => anthropic::decode_complete(&v, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn a_batch_merges_consecutive_deltas_of_one_kind_and_keeps_the_order() {
        let t = |s: &str| ChatEvent::Text(s.into());
        let r = |s: &str| ChatEvent::Reasoning(s.into());
        let batch = [
            r("think"),
            r("ing"),
            t("Hel"),
            t("lo"),
            ChatEvent::Signature("sig".into()),
            t(" world"),
            ChatEvent::Finish {
                reason: FinishReason::Stop,
                raw: "stop".into(),
            },
            t("!"),
        ];
        let merged = merge_deltas(&batch);
        assert_eq!(
            merged,
            vec![
                r("thinking"),
                t("Hello world"),
                ChatEvent::Finish {
                    reason: FinishReason::Stop,
                    raw: "stop".into()
                },
                t("!")
            ]
        );
        assert_eq!(
            batch_json(&batch[..4]),
            r#"[{"type":"reasoning","delta":"thinking"},{"type":"text","delta":"Hello"}]"#
        );
    }

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
