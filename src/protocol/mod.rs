//! Provider-neutral chat types and the dispatch to the two wire formats, so the transport
//! and the widget never care whether they talk to chat completions or Anthropic Messages.

pub mod anthropic;
mod errors;
pub mod openai;

pub use errors::error_from_http;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ContentPart {
    Text(String),
    /// An image by URL: `https:` or a `data:image/...;base64,` URL.
    Image(String),
}

/// One message in the OpenAI shape the public API uses; codecs convert from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: Role,
    pub parts: Vec<ContentPart>,
}

impl Message {
    pub fn text(role: Role, text: impl Into<String>) -> Self {
        Message {
            role,
            parts: vec![ContentPart::Text(text.into())],
        }
    }

    /// Reads `{role, content}` where content is a string or OpenAI content parts.
    pub fn from_json(v: &Json) -> Result<Message, ChatError> {
        let role = match v.get("role").and_then(Json::as_str) {
            Some("system") => Role::System,
            Some("user") => Role::User,
            Some("assistant") => Role::Assistant,
            other => {
                return Err(ChatError::config(format!(
                    "message role must be 'system', 'user' or 'assistant', got {}",
                    other.map_or("nothing".to_owned(), |r| format!("'{r}'"))
                )))
            }
        };
        let parts = match v.get("content") {
            Some(Json::Str(s)) => vec![ContentPart::Text(s.clone())],
            Some(Json::Arr(items)) => items.iter().map(part_from_json).collect::<Result<_, _>>()?,
            _ => {
                return Err(ChatError::config(
                    "message content must be a string or an array of parts",
                ))
            }
        };
        Ok(Message { role, parts })
    }

    /// The concatenated text parts.
    pub fn joined_text(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            if let ContentPart::Text(t) = part {
                out.push_str(t);
            }
        }
        out
    }
}

fn part_from_json(v: &Json) -> Result<ContentPart, ChatError> {
    match v.get("type").and_then(Json::as_str) {
        Some("text") => match v.get("text").and_then(Json::as_str) {
            Some(t) => Ok(ContentPart::Text(t.to_owned())),
            None => Err(ChatError::config("a text part needs a 'text' string")),
        },
        Some("image_url") => {
            let url = v
                .get("image_url")
                .and_then(|u| u.get("url").or(Some(u)))
                .and_then(Json::as_str);
            url.map(|u| ContentPart::Image(u.to_owned()))
                .ok_or_else(|| ChatError::config("an image_url part needs image_url.url"))
        }
        other => Err(ChatError::config(format!(
            "unsupported content part type {other:?}"
        ))),
    }
}

/// Everything the request builders need besides the messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatOptions {
    pub endpoint: String,
    pub provider: Option<Provider>,
    pub api_key: Option<String>,
    pub headers: Vec<(String, String)>,
    pub model: String,
    pub max_tokens: Option<u64>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub system: Option<String>,
}

impl ChatOptions {
    /// Reads the camelCase options object of `new ChatClient({...})`.
    pub fn from_json(v: &Json) -> Result<ChatOptions, ChatError> {
        let endpoint = v
            .str_field("endpoint")
            .ok_or_else(|| ChatError::config("'endpoint' is required"))?;
        let provider = Provider::resolve(v.str_field("provider"), endpoint)?;
        let number = |key: &str| -> Result<Option<f64>, ChatError> {
            match v.get(key) {
                None | Some(Json::Null) => Ok(None),
                Some(Json::Num(n)) => Ok(Some(*n)),
                Some(_) => Err(ChatError::config(format!("'{key}' must be a number"))),
            }
        };
        let max_tokens = match number("maxTokens")? {
            None => None,
            Some(n) if n >= 1.0 && n.fract() == 0.0 => Some(n as u64),
            Some(_) => return Err(ChatError::config("'maxTokens' must be a positive integer")),
        };
        let mut headers = Vec::new();
        if let Some(Json::Obj(members)) = v.get("headers") {
            for (k, val) in members {
                if let Some(s) = val.as_str() {
                    headers.push((k.clone(), s.to_owned()));
                }
            }
        }
        Ok(ChatOptions {
            endpoint: endpoint.to_owned(),
            provider: Some(provider),
            api_key: v.str_field("apiKey").map(str::to_owned),
            headers,
            model: v.str_field("model").unwrap_or_default().to_owned(),
            max_tokens,
            temperature: number("temperature")?,
            top_p: number("topP")?,
            system: v.str_field("system").map(str::to_owned),
        })
    }

    pub fn provider(&self) -> Provider {
        self.provider.unwrap_or(Provider::OpenAi)
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
    let body = match opts.provider() {
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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub total_tokens: Option<u64>,
}

impl Usage {
    /// Later reports overwrite earlier ones field by field (providers send running totals).
    pub fn merge(&mut self, newer: Usage) {
        self.input_tokens = newer.input_tokens.or(self.input_tokens);
        self.output_tokens = newer.output_tokens.or(self.output_tokens);
        self.total_tokens = newer.total_tokens.or(self.total_tokens);
    }

    pub fn to_json(self) -> Json {
        let total = self
            .total_tokens
            .or(match (self.input_tokens, self.output_tokens) {
                (Some(i), Some(o)) => Some(i + o),
                _ => None,
            });
        let num = |n: Option<u64>| n.map_or(Json::Null, |n| Json::Num(n as f64));
        Json::Obj(vec![
            ("inputTokens".into(), num(self.input_tokens)),
            ("outputTokens".into(), num(self.output_tokens)),
            ("totalTokens".into(), num(total)),
        ])
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
}

impl ChatEvent {
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
    fn options_are_validated() {
        let opts = |t: &str| ChatOptions::from_json(&Json::parse(t).unwrap());
        assert!(opts("{}").is_err());
        assert!(opts(r#"{"endpoint":"/v1/chat/completions","maxTokens":0}"#).is_err());
        assert!(opts(r#"{"endpoint":"/v1/chat/completions","temperature":"hot"}"#).is_err());
        let o =
            opts(r#"{"endpoint":"/v1/messages","model":"m","maxTokens":64,"headers":{"x-a":"b"}}"#)
                .unwrap();
        assert_eq!(o.provider(), Provider::Anthropic);
        assert_eq!(o.headers, [("x-a".to_owned(), "b".to_owned())]);
    }

    #[test]
    fn requests_carry_the_right_auth_headers() {
        let mut o = ChatOptions {
            endpoint: "/v1/messages".into(),
            model: "m".into(),
            ..Default::default()
        };
        o.provider = Some(Provider::Anthropic);
        o.api_key = Some("k".into());
        let req = build_request(&o, &[Message::text(Role::User, "hi")], true).unwrap();
        let names: Vec<_> = req.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            names.contains(&"x-api-key")
                && names.contains(&"anthropic-dangerous-direct-browser-access")
        );
        o.provider = Some(Provider::OpenAi);
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
