//! Chat-completions replies read as the servers that speak the dialect actually send them:
//! the AI/ML API, OpenAI, Azure, DeepSeek, xAI, Groq, Mistral, Gemini, OpenRouter, Perplexity,
//! Moonshot, Z.ai, Qwen, vLLM, TGI, llama.cpp, Ollama, MLX, Cerebras, LiteLLM, Foundry Local.
//! Each quirk below names who sends it; `tests/fixtures/streams/` holds a stream of each.

use crate::prelude::*;

use super::super::{error_in_stream, push_delta, ChatEvent, FinishReason, Usage, UsageTracker};
use crate::error::{ChatError, ErrorKind};
use crate::json::Raw;
use crate::sse::SseEvent;
use alloc::borrow::Cow;

mod common;

/// Stream state for one response.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    started: bool,
    finished: bool,
    done: bool,
    /// The field reasoning is read from, fixed by the first one that carries text: several
    /// servers send the same text twice (OpenRouter `reasoning` + `reasoning_details`,
    /// LiteLLM `reasoning_content` + `thinking_blocks`).
    reasoning: Option<ReasoningField>,
    calls: Vec<CallSlot>,
    usage: UsageTracker,
    /// Events before this index in `out` belong to an earlier batch: text is never merged
    /// into them.
    floor: usize,
    /// The layout of the last text chunk `common` read, which most of the next ones share.
    template: crate::protocol::scan::Template<Option<ReasoningField>>,
    /// Every chunk read in full (the reference the shortcuts are tested against).
    exact: bool,
    /// The last event needs the full reading, which is in the second module (`split.rs`),
    /// not linked yet: nothing of it was read (`take_deferred`).
    deferred: bool,
    /// Tests: act as if the second module were not linked (`ReplyStream::unlinked`).
    unlinked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReasoningField {
    /// DeepSeek, the AI/ML API, xAI, Qwen, Z.ai, Moonshot, vLLM (older), llama.cpp.
    ReasoningContent,
    /// OpenRouter, Ollama, Groq, vLLM (newer), the AI/ML API's newer Claude shape.
    Reasoning,
    /// OpenRouter's `reasoning_details: [{type: "reasoning.text", text}]`.
    Details,
    /// Mistral (Magistral): `content: [{type: "thinking", thinking: [{type: "text", text}]}]`.
    ContentParts,
}

/// One tool call of the reply, however the server numbers its fragments.
#[derive(Debug)]
struct CallSlot {
    /// The server's `index`, when it sends one.
    wire: Option<u64>,
    id: String,
    named: bool,
    /// Ours: the server's index when it is free, else the next one.
    index: u64,
}

impl StreamDecoder {
    pub fn is_complete(&self) -> bool {
        self.finished || self.done
    }

    /// A new batch of events starts at `out.len() == at`.
    pub fn batch(&mut self, at: usize) {
        self.floor = at;
    }

    /// Reads every chunk in full, never by a shortcut (the template, `common`); the reference.
    pub fn exact(&mut self) {
        self.exact = true;
    }

    /// Whether the last `decode` left its event unread for the second module: the caller
    /// keeps it (and every event after it) until that module is linked, then decodes them.
    pub fn take_deferred(&mut self) -> bool {
        core::mem::take(&mut self.deferred)
    }

    /// Tests: the full reading counts as not linked until `unlinked(false)`.
    pub fn unlinked(&mut self, yes: bool) {
        self.unlinked = yes;
    }

    pub fn decode(&mut self, ev: &SseEvent, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        if self.done {
            return Ok(());
        }
        if ev.data.trim_ascii() == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        // Most chunks are the last text chunk's bytes with other text in the middle.
        if self.started && !self.exact && ev.event == "message" {
            // Reasoning only from the field the reply's reasoning comes from, as `delta`.
            match self.template.text(&ev.data) {
                Some((field, text))
                    if field.is_none() || self.reasoning.is_none_or(|r| Some(r) == field) =>
                {
                    if !text.is_empty() {
                        if field.is_some() {
                            self.reasoning = field;
                        }
                        push_delta(out, self.floor, field.is_some(), text);
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        // Read in place: a chunk is checked once and only the few fields we use are taken.
        let v = Raw::parse(&ev.data).map_err(|e| {
            ChatError::new(
                ErrorKind::Parse,
                cat(&[
                    "the provider sent a malformed stream chunk (",
                    &e.message(),
                    ")",
                ]),
            )
        })?;
        let error = ev.event == "error";
        if !error && !self.exact && self.common(v, &ev.data, out) {
            return Ok(());
        }
        if self.unlinked || !crate::split::loaded() {
            self.deferred = true;
            return Ok(());
        }
        full_chunk(self, v, if error { Read::Error } else { Read::Delta }, out)
    }

    /// One chunk (or a whole non-streamed completion, whose `message` is read as one delta).
    fn chunk(&mut self, v: Raw, body: Body, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        let top = Fields::of(v);
        // vLLM before 0.7 sent its ErrorResponse unwrapped: {"object": "error", "message": …}.
        let bare_error = top.object.is_some_and(|o| o.text() == "\"error\"");
        if bare_error || top.error.is_some_and(|e| !e.is_null()) {
            return Err(error_in_stream(&v.to_json()));
        }
        // Before 2026-02-13 the AI/ML API wrapped each chunk as {"event": chunk, "state": …}.
        let (chunk, state) = match (top.choices, top.event) {
            (None, Some(inner)) if inner.is_object() => (Fields::of(inner), top.state),
            _ => (top, None),
        };
        if !self.started {
            self.started = true;
            let field = |f: Option<Raw>| f.and_then(Raw::as_str).map(|s| s.into_owned());
            out.push(ChatEvent::Start {
                id: field(chunk.id).unwrap_or_default(),
                model: field(chunk.model).unwrap_or_default(),
            });
        }
        let (delta, finish, choice_usage) = chunk
            .choices
            .map(|c| the_reply(c, body))
            .unwrap_or_default();
        if let Some(delta) = delta {
            self.delta(delta, out);
        }
        let reports = [
            choice_usage,
            chunk.usage,
            chunk.x_groq.and_then(|g| g.get("usage")),
            state.and_then(|s| s.get("usage")),
        ];
        let mut usage = Usage::default();
        for r in reports.into_iter().flatten().filter(|r| !r.is_null()) {
            usage.merge(Usage::from_json(&r.to_json()));
        }
        if let Some(meta) = top.meta.filter(|m| m.is_object()) {
            usage.merge(Usage::from_meta(&meta.to_json()));
        }
        if let Some(total) = self.usage.report(usage) {
            out.push(ChatEvent::Usage(total));
        }
        let finish = match (finish, body) {
            (Some(raw), _) => Some(raw),
            (None, Body::Message) => Some(Cow::Borrowed("stop")),
            (None, Body::Delta) => None,
        };
        if let Some(raw) = finish.filter(|_| !self.finished) {
            if raw == "error" {
                // OpenRouter ends a reply that failed upstream this way, sometimes without an
                // `error` object: still a failure, never a finished reply.
                return Err(ChatError::new(
                    ErrorKind::Stream,
                    "the provider ended the reply with an error",
                ));
            }
            self.finished = true;
            let mut reason = FinishReason::normalize(&raw);
            // Gemini ends a reply that calls tools with "stop".
            if reason == FinishReason::Stop && !self.calls.is_empty() {
                reason = FinishReason::ToolCalls;
            }
            out.push(ChatEvent::Finish {
                reason,
                raw: raw.into_owned(),
            });
        }
        Ok(())
    }

    /// A delta (or a whole message): text, refusal, reasoning and tool-call fragments.
    fn delta(&mut self, delta: Raw, out: &mut Vec<ChatEvent>) {
        let (mut text, mut refusal) = (None, None);
        let mut found: [Option<Cow<str>>; 4] = [None, None, None, None];
        let mut calls = None;
        let mut parts = None;
        for (k, val) in delta.members() {
            // No guards on these arms: a guarded string match compiles to a chain of
            // comparisons, and this runs for every chunk.
            match &*k {
                "content" => match val.is_array() {
                    true => parts = Some(val),
                    false => text = val.as_str(),
                },
                "refusal" => refusal = val.as_str(),
                "reasoning_content" => found[0] = val.as_str(),
                "reasoning" => found[1] = val.as_str(),
                "reasoning_details" => found[2] = details_text(val),
                "tool_calls" => calls = Some((false, val)),
                "function_call" => calls = Some((true, val)),
                _ => {}
            }
        }
        if let Some(parts) = parts {
            let (t, thinking) = content_parts(parts);
            text = t.map(Cow::Owned);
            found[3] = thinking.map(Cow::Owned);
        }
        let fields = [
            ReasoningField::ReasoningContent,
            ReasoningField::Reasoning,
            ReasoningField::Details,
            ReasoningField::ContentParts,
        ];
        let pick = match self.reasoning {
            Some(f) => fields.iter().position(|x| *x == f),
            None => found
                .iter()
                .position(|r| r.as_ref().is_some_and(|r| !r.is_empty())),
        };
        if let Some(i) = pick {
            if let Some(r) = found[i].take().filter(|r| !r.is_empty()) {
                self.reasoning = Some(fields[i]);
                out.push(ChatEvent::Reasoning(r.into_owned()));
            }
        }
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            out.push(ChatEvent::Text(t.into_owned()));
        }
        if let Some(r) = refusal.filter(|r| !r.is_empty()) {
            out.push(ChatEvent::Refusal(r.into_owned()));
        }
        match calls.filter(|(_, v)| !v.is_null()) {
            Some((true, call)) => self.call(call, Some(0), out),
            Some((false, calls)) => {
                for call in calls.items() {
                    let index = call.get("index").and_then(Raw::as_u64);
                    self.call(call, index, out);
                }
            }
            None => {}
        }
    }

    /// One tool-call fragment, given our index: see `slot` for how fragments are joined.
    fn call(&mut self, call: Raw, wire: Option<u64>, out: &mut Vec<ChatEvent>) {
        let function = call
            .get("function")
            .filter(|f| f.is_object())
            .unwrap_or(call);
        let id = call.str_field("id");
        let name = function.str_field("name");
        let arguments = match function.get("arguments") {
            Some(a) if a.is_object() => Cow::Borrowed(a.text()),
            Some(a) => a.as_str().unwrap_or_default(),
            None => Cow::Borrowed(""),
        };
        let index = self.slot(wire, id.as_deref(), name.is_some());
        out.push(ChatEvent::ToolCall {
            index,
            id: id.map(Cow::into_owned),
            name: name.map(Cow::into_owned),
            arguments_delta: arguments.into_owned(),
            server: false,
        });
        if let Some(extra) = call.get("extra_content").filter(|e| e.is_object()) {
            out.push(ChatEvent::ToolCallExtra {
                index,
                extra: extra.to_json(),
            });
        }
    }

    /// Which call a fragment belongs to. A known `id` names its call. Otherwise a server
    /// `index` does, unless that call already has another id (Ollama once numbered every
    /// call 0). Without either (Gemini, Mistral) a fragment continues the last call, unless it
    /// brings a new id or a name while the last call has one already: then it starts one.
    fn slot(&mut self, wire: Option<u64>, id: Option<&str>, named: bool) -> u64 {
        if let Some(id) = id {
            if let Some(s) = self.calls.iter_mut().find(|s| s.id == id) {
                s.named |= named;
                return s.index;
            }
        }
        let same = match wire {
            Some(w) => self.calls.iter().rposition(|s| s.wire == Some(w)),
            None => self.calls.len().checked_sub(1),
        };
        let reuse = same.filter(|&at| {
            let s = &self.calls[at];
            let new_id = id.is_some() && !s.id.is_empty();
            let new_name = wire.is_none() && named && s.named;
            !new_id && !new_name
        });
        if let Some(at) = reuse {
            let s = &mut self.calls[at];
            if let Some(id) = id {
                s.id = id.to_owned();
            }
            s.named |= named;
            return s.index;
        }
        let taken = |i: u64| self.calls.iter().any(|s| s.index == i);
        let index = match wire {
            Some(w) if !taken(w) => w,
            _ => self.calls.iter().map(|s| s.index + 1).max().unwrap_or(0),
        };
        self.calls.push(CallSlot {
            wire,
            id: id.unwrap_or_default().to_owned(),
            named,
            index,
        });
        index
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Body {
    Delta,
    Message,
}

/// The parts of a chunk's reply choice: `(delta or message, finish_reason, usage)`.
type Choice<'a> = (Option<Raw<'a>>, Option<Cow<'a, str>>, Option<Raw<'a>>);

/// We never ask for `n` > 1, so a chunk's reply is its choice 0, or its only choice
/// whatever the index (Foundry Local counts the index up chunk by chunk). One pass over
/// the choices, as each is read anyway to step past it.
fn the_reply<'a>(choices: Raw<'a>, body: Body) -> Choice<'a> {
    let mut first = None;
    for choice in choices.items() {
        let (mut index, mut parts) = (0, Choice::default());
        for (k, val) in choice.members() {
            let slot = match &*k {
                "index" => {
                    index = val.as_u64().unwrap_or(0);
                    continue;
                }
                "delta" => Body::Delta,
                "message" => Body::Message,
                "finish_reason" => {
                    parts.1 = val.as_str().filter(|r| !r.is_empty());
                    continue;
                }
                // Moonshot puts the final usage inside the choice.
                "usage" => {
                    parts.2 = Some(val);
                    continue;
                }
                _ => continue,
            };
            if slot == body {
                parts.0 = Some(val);
            }
        }
        if index == 0 {
            return parts;
        }
        first = first.or(Some(parts));
    }
    first.unwrap_or_default()
}

/// Mistral's content parts: `{type: "text", text}` is answer text, `{type: "thinking",
/// thinking: [parts] | "…"}` is reasoning; anything else (references, images) is skipped.
fn content_parts(parts: Raw) -> (Option<String>, Option<String>) {
    let (mut text, mut thinking) = (String::new(), String::new());
    for part in parts.items() {
        match part.str_field("type").as_deref() {
            Some("text") => {
                text.push_str(&part.get("text").and_then(Raw::as_str).unwrap_or_default())
            }
            Some("thinking") => match part.get("thinking") {
                Some(inner) if inner.is_array() => {
                    for p in inner.items() {
                        thinking.push_str(&p.get("text").and_then(Raw::as_str).unwrap_or_default());
                    }
                }
                Some(s) => thinking.push_str(&s.as_str().unwrap_or_default()),
                None => {}
            },
            _ => {}
        }
    }
    let some = |s: String| (!s.is_empty()).then_some(s);
    (some(text), some(thinking))
}

/// OpenRouter's reasoning details: the readable ones (text, summary); encrypted ones carry
/// nothing to show.
fn details_text(details: Raw) -> Option<Cow<str>> {
    let mut out = String::new();
    for d in details.items() {
        for key in ["text", "summary"] {
            if let Some(t) = d.get(key).and_then(Raw::as_str) {
                out.push_str(&t);
            }
        }
    }
    (!out.is_empty()).then_some(Cow::Owned(out))
}

/// The members of a chunk the decoder reads, found in one pass over it.
#[derive(Clone, Copy, Default)]
struct Fields<'a> {
    error: Option<Raw<'a>>,
    choices: Option<Raw<'a>>,
    event: Option<Raw<'a>>,
    state: Option<Raw<'a>>,
    usage: Option<Raw<'a>>,
    x_groq: Option<Raw<'a>>,
    meta: Option<Raw<'a>>,
    id: Option<Raw<'a>>,
    model: Option<Raw<'a>>,
    object: Option<Raw<'a>>,
}

impl<'a> Fields<'a> {
    fn of(v: Raw<'a>) -> Fields<'a> {
        let mut f = Fields::default();
        for (k, val) in v.members() {
            // Dispatched on the first byte: a plain match on eleven strings compiles to a
            // comparison with each in turn, for every member of every chunk.
            let slot = match (k.as_bytes().first(), &*k) {
                (Some(b'c'), "choices") => &mut f.choices,
                (Some(b'e'), "error") => &mut f.error,
                (Some(b'e'), "event") => &mut f.event,
                (Some(b'i'), "id") => &mut f.id,
                (Some(b'm'), "model") => &mut f.model,
                (Some(b'm'), "meta") => &mut f.meta,
                (Some(b'o'), "object") => &mut f.object,
                (Some(b's'), "state") => &mut f.state,
                (Some(b'u'), "usage") => &mut f.usage,
                (Some(b'x'), "x_groq") => &mut f.x_groq,
                _ => continue,
            };
            *slot = Some(val);
        }
        f
    }
}

/// A non-streaming `chat.completion` body, as the events a stream of it would give.
pub fn decode_complete(body: &str, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
    let v = Raw::parse(body).map_err(|e| {
        ChatError::new(
            ErrorKind::Parse,
            cat(&["the response is not JSON (", &e.message(), ")"]),
        )
    })?;
    let has_choices = v.get("choices").is_some_and(|c| c.items().next().is_some());
    if !has_choices && v.get("error").is_none_or(Raw::is_null) {
        return Err(ChatError::new(
            ErrorKind::Parse,
            "the response has no choices",
        ));
    }
    full_chunk(&mut StreamDecoder::default(), v, Read::Message, out)
}

/// How `full_chunk` reads its chunk.
#[derive(Clone, Copy)]
enum Read {
    Delta,
    /// A whole completion.
    Message,
    /// An SSE `error` event: the provider's explanation.
    Error,
}

crate::lazy!(
/// A chunk, a whole completion or an error event read in full: in the second module, as no
/// first reply of the common shape needs it (`common`). `v` is the chunk already parsed.
"a1000000000000000000000000000007" fn full_chunk(d: &mut StreamDecoder, v: Raw<'_>, read: Read, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
    match read {
        Read::Delta => d.chunk(v, Body::Delta, out),
        Read::Message => d.chunk(v, Body::Message, out),
        Read::Error => Err(error_in_stream(&v.to_json())),
    }
});
