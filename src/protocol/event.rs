//! What a stream tells the page, provider-neutral: the public `{type: …}` events and the
//! private bookkeeping (signatures, redacted thinking) the next request needs.

use crate::prelude::*;

use super::{FinishReason, Usage};
use crate::json::Json;

/// A source the model cited for its text (Anthropic `citations_delta`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Citation {
    /// Empty for citations of the page's own documents (char/page/block locations).
    pub url: String,
    pub title: String,
    pub cited_text: String,
}

impl Citation {
    pub fn to_json(&self) -> Json {
        Json::object(vec![
            ("url", opt_str(&self.url)),
            ("title", Json::str(&self.title)),
            ("citedText", Json::str(&self.cited_text)),
        ])
    }
}

/// What a tool the provider ran itself returned (`web_search_tool_result`, …).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerResult {
    pub tool_use_id: String,
    /// The block type, e.g. `web_search_tool_result`.
    pub kind: String,
    /// How many items it returned (search results), when it returns a list.
    pub count: Option<u64>,
    /// The provider's error code (`max_uses_exceeded`, …) when the tool failed.
    pub error: Option<String>,
    /// `(url, title)` of the results that have a URL.
    pub sources: Vec<(String, String)>,
}

impl ServerResult {
    pub fn to_json(&self) -> Json {
        let sources = self.sources.iter().map(|(url, title)| {
            Json::object(vec![("url", Json::str(url)), ("title", Json::str(title))])
        });
        Json::object(vec![
            ("toolUseId", Json::str(&self.tool_use_id)),
            ("kind", Json::str(&self.kind)),
            (
                "resultCount",
                self.count.map_or(Json::Null, |n| Json::Num(n as f64)),
            ),
            ("error", self.error.clone().map_or(Json::Null, Json::Str)),
            ("sources", Json::Arr(sources.collect())),
        ])
    }
}

fn opt_str(s: &str) -> Json {
    if s.is_empty() {
        Json::Null
    } else {
        Json::str(s)
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
    /// The model declined: OpenAI's `delta.refusal` text.
    Refusal(String),
    ToolCall {
        index: u64,
        id: Option<String>,
        name: Option<String>,
        arguments_delta: String,
        /// A tool the provider runs itself (Anthropic `server_tool_use`, `mcp_tool_use`):
        /// shown, never answered by a page handler (`serverToolCall` for the page).
        server: bool,
    },
    /// Boxed, as are citations: they are rare, and every event of a stream is as large as
    /// the largest variant.
    ServerToolResult(Box<ServerResult>),
    Citation(Box<Citation>),
    /// The usage of the reply so far (every report merged), not the raw report.
    Usage(Usage),
    Finish {
        reason: FinishReason,
        raw: String,
    },
    /// The signature closing an Anthropic thinking block; kept for the next request,
    /// not shown to the page.
    Signature(String),
    /// An Anthropic `redacted_thinking` block's data; sent back, never shown.
    RedactedThinking(String),
    /// Gemini's `extra_content` of a tool call (its thought signature), sent back with the
    /// call on the next request.
    ToolCallExtra {
        index: u64,
        extra: Json,
    },
    /// A page tool handler answered a call (emitted by the tool loop, not by a stream).
    ToolResult {
        id: String,
        name: String,
        content: String,
        is_error: bool,
    },
}

/// The page-visible events of one batch (one network chunk), consecutive text deltas —
/// and consecutive reasoning or refusal deltas — merged into one: the page needs the text,
/// not the provider's token boundaries, and one event per chunk instead of hundreds is what
/// keeps a burst cheap on the JS side. Usage is a running total, so only a batch's last
/// one is kept (servers with continuous usage report it on every chunk).
pub fn merge_deltas(events: &[ChatEvent]) -> Vec<ChatEvent> {
    let last_usage = events
        .iter()
        .rposition(|e| matches!(e, ChatEvent::Usage(_)));
    let mut out: Vec<ChatEvent> = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        if !ev.is_public() || matches!(ev, ChatEvent::Usage(_)) && Some(i) != last_usage {
            continue;
        }
        match (out.last_mut(), ev) {
            (Some(ChatEvent::Text(acc)), ChatEvent::Text(d))
            | (Some(ChatEvent::Reasoning(acc)), ChatEvent::Reasoning(d))
            | (Some(ChatEvent::Refusal(acc)), ChatEvent::Refusal(d)) => acc.push_str(d),
            _ => out.push(ev.clone()),
        }
    }
    out
}

/// The text and reasoning deltas of a batch as `merge_deltas` would give them (`true` for
/// reasoning), without cloning every event: the element's rill-delta events.
pub fn text_runs(events: &[ChatEvent]) -> Vec<(bool, String)> {
    let last_usage = events
        .iter()
        .rposition(|e| matches!(e, ChatEvent::Usage(_)));
    let mut runs: Vec<(bool, String)> = Vec::new();
    // Whether the last run may grow: a public event of another kind ends it.
    let mut open = false;
    for (i, ev) in events.iter().enumerate() {
        let delta = match ev {
            ChatEvent::Text(d) => Some((false, d)),
            ChatEvent::Reasoning(d) => Some((true, d)),
            ChatEvent::Usage(_) if Some(i) != last_usage => continue,
            e if !e.is_public() => continue,
            _ => None,
        };
        match (delta, runs.last_mut()) {
            (Some((kind, d)), Some((k, acc))) if open && *k == kind => acc.push_str(d),
            (Some((kind, d)), _) => {
                runs.push((kind, d.clone()));
                open = true;
            }
            (None, _) => open = false,
        }
    }
    runs
}

/// Adds a text (or with `reasoning`, a reasoning) delta, extending the last event when it is
/// one of the same kind from this batch (at or after `floor`): what the decoders' shortcuts
/// do with each chunk's text, so a batch carries one delta per run of a kind.
pub fn push_delta(out: &mut Vec<ChatEvent>, floor: usize, reasoning: bool, text: &str) {
    let mergeable = out.len() > floor;
    match (out.last_mut(), reasoning) {
        (Some(ChatEvent::Text(t)), false) | (Some(ChatEvent::Reasoning(t)), true) if mergeable => {
            t.push_str(text)
        }
        (_, false) => out.push(ChatEvent::Text(text.to_owned())),
        (_, true) => out.push(ChatEvent::Reasoning(text.to_owned())),
    }
}

/// A batch as JSON array text, for one crossing into JS and one `JSON.parse`.
pub fn batch_json(events: &[ChatEvent]) -> String {
    Json::Arr(
        merge_deltas(events)
            .iter()
            .map(ChatEvent::to_json)
            .collect(),
    )
    .text()
}

impl ChatEvent {
    /// Whether the page sees this event (the rest is bookkeeping for the next request).
    pub fn is_public(&self) -> bool {
        !matches!(
            self,
            ChatEvent::Signature(_)
                | ChatEvent::RedactedThinking(_)
                | ChatEvent::ToolCallExtra { .. }
        )
    }

    pub fn to_json(&self) -> Json {
        let s = Json::str;
        let opt = |v: &Option<String>| v.clone().map_or(Json::Null, Json::Str);
        let pairs: Vec<(&str, Json)> = match self {
            ChatEvent::Start { id, model } => {
                vec![("type", s("start")), ("id", s(id)), ("model", s(model))]
            }
            ChatEvent::Text(d) => vec![("type", s("text")), ("delta", s(d))],
            ChatEvent::Reasoning(d) => vec![("type", s("reasoning")), ("delta", s(d))],
            ChatEvent::Refusal(d) => vec![("type", s("refusal")), ("delta", s(d))],
            ChatEvent::ToolCall {
                index,
                id,
                name,
                arguments_delta,
                server,
            } => {
                let (kind, delta) = match server {
                    false => ("toolCall", "argumentsDelta"),
                    true => ("serverToolCall", "inputDelta"),
                };
                vec![
                    ("type", s(kind)),
                    ("index", Json::Num(*index as f64)),
                    ("id", opt(id)),
                    ("name", opt(name)),
                    (delta, s(arguments_delta)),
                ]
            }
            ChatEvent::ServerToolResult(r) => {
                vec![("type", s("serverToolResult")), ("result", r.to_json())]
            }
            ChatEvent::Citation(c) => vec![("type", s("citation")), ("citation", c.to_json())],
            ChatEvent::Usage(u) => vec![("type", s("usage")), ("usage", u.to_json())],
            ChatEvent::Finish { reason, raw } => {
                vec![
                    ("type", s("finish")),
                    ("finishReason", s(reason.as_str())),
                    ("rawFinishReason", s(raw)),
                ]
            }
            ChatEvent::Signature(sig) => vec![("type", s("signature")), ("signature", s(sig))],
            ChatEvent::RedactedThinking(d) => vec![("type", s("redactedThinking")), ("data", s(d))],
            ChatEvent::ToolCallExtra { index, extra } => vec![
                ("type", s("toolCallExtra")),
                ("index", Json::Num(*index as f64)),
                ("extra", extra.clone()),
            ],
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `text_runs` is `merge_deltas` with only the two delta kinds kept, for every batch of
    /// up to six events drawn from one of each kind that matters to it.
    #[test]
    fn text_runs_are_the_merged_deltas_of_the_two_kinds() {
        let kinds = [
            ChatEvent::Text("a".into()),
            ChatEvent::Reasoning("r".into()),
            ChatEvent::Refusal("n".into()),
            ChatEvent::Usage(Usage::default()),
            ChatEvent::Signature("s".into()),
            ChatEvent::Finish {
                reason: FinishReason::Stop,
                raw: "stop".into(),
            },
        ];
        for len in 0..=6u32 {
            for mut code in 0..kinds.len().pow(len) {
                let mut batch = Vec::new();
                for _ in 0..len {
                    batch.push(kinds[code % kinds.len()].clone());
                    code /= kinds.len();
                }
                let want: Vec<(bool, String)> = merge_deltas(&batch)
                    .into_iter()
                    .filter_map(|e| match e {
                        ChatEvent::Text(d) => Some((false, d)),
                        ChatEvent::Reasoning(d) => Some((true, d)),
                        _ => None,
                    })
                    .collect();
                assert_eq!(text_runs(&batch), want, "{batch:?}");
            }
        }
    }

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
    fn running_usage_keeps_only_the_batch_total_so_text_still_merges() {
        let u = |n| ChatEvent::Usage(Usage::of(&[(crate::protocol::usage::OUTPUT, n as f64)]));
        let batch = [
            ChatEvent::Text("a".into()),
            u(1),
            ChatEvent::Text("b".into()),
            u(2),
        ];
        assert_eq!(
            merge_deltas(&batch),
            vec![ChatEvent::Text("ab".into()), u(2)]
        );
    }
}
