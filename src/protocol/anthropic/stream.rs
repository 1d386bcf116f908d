//! Anthropic Messages replies: the `message_start` … `message_stop` events, content blocks by
//! index — text with citations, thinking (signed or redacted), client tool calls, and the
//! tools Anthropic runs itself (web search, web fetch, code execution, MCP), which are shown
//! but never handed to a page handler.

use crate::prelude::*;

use super::super::{
    error_in_stream, push_delta, ChatEvent, Citation, FinishReason, ServerResult, Usage,
    UsageTracker,
};
use super::quick::Field;
use crate::error::{ChatError, ErrorKind};
use crate::json::Json;
use crate::sse::SseEvent;

/// What a content block is, so its deltas go where they belong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    ClientTool,
    ServerTool,
    Other,
}

/// Stream state for one response.
#[derive(Debug, Default)]
pub struct StreamDecoder {
    stopped: bool,
    finished: bool,
    blocks: Vec<(u64, Block)>,
    usage: UsageTracker,
    /// Events before this index in `out` belong to an earlier batch: never merged into.
    floor: usize,
    /// The layout of the last text delta, which most of the next ones share.
    template: super::quick::Template,
    /// Every event read in full, never by a shortcut (the reference for tests).
    exact: bool,
}

/// Most results any one server-tool card lists (a search returns about ten).
const MAX_SOURCES: usize = 50;

impl StreamDecoder {
    pub fn is_complete(&self) -> bool {
        self.stopped || self.finished
    }

    /// A new batch of events starts at `out.len() == at`.
    pub fn batch(&mut self, at: usize) {
        self.floor = at;
    }

    /// Reads every event in full, never by a shortcut (`quick.rs`); the reference.
    pub fn exact(&mut self) {
        self.exact = true;
    }

    pub fn decode(&mut self, ev: &SseEvent, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
        // Most events are a text or thinking delta: read in one pass (or as the last one's
        // layout), and the batch's deltas of a kind kept as one event.
        if !self.exact {
            if let Some((field, text)) = self.template.take(&ev.data, super::quick::read) {
                // An empty delta is no event (as `str_field` reads it in full).
                if !text.is_empty() {
                    push_delta(out, self.floor, field == Field::Thinking, &text);
                }
                return Ok(());
            }
        }
        let v = Json::parse(&ev.data).map_err(|e| {
            ChatError::new(
                ErrorKind::Parse,
                cat(&[
                    "the provider sent a malformed stream event (",
                    &e.message(),
                    ")",
                ]),
            )
        })?;
        let kind = v.str_field("type").unwrap_or(&ev.event);
        match kind {
            "message_start" => {
                let msg = v.get("message");
                let field = |k| {
                    msg.and_then(|m| m.str_field(k))
                        .unwrap_or_default()
                        .to_owned()
                };
                out.push(ChatEvent::Start {
                    id: field("id"),
                    model: field("model"),
                });
                self.report(msg.and_then(|m| m.get("usage")), None, out);
            }
            "content_block_start" => {
                let index = v.get("index").and_then(Json::as_u64).unwrap_or(0);
                if let Some(block) = v.get("content_block") {
                    self.block(index, block, out);
                }
            }
            "content_block_delta" => {
                let index = v.get("index").and_then(Json::as_u64).unwrap_or(0);
                if let Some(delta) = v.get("delta") {
                    self.delta(index, delta, out);
                }
            }
            "message_delta" => {
                self.report(v.get("usage"), v.get("meta"), out);
                if let Some(raw) = v.get("delta").and_then(|d| d.str_field("stop_reason")) {
                    self.finish(raw, out);
                }
            }
            "message_stop" => self.stopped = true,
            "error" => return Err(error_in_stream(&v)),
            _ => {} // ping, content_block_stop and event types added after this was written
        }
        Ok(())
    }

    fn report(&mut self, usage: Option<&Json>, meta: Option<&Json>, out: &mut Vec<ChatEvent>) {
        let mut u = usage.map(Usage::from_json).unwrap_or_default();
        if let Some(meta) = meta {
            u.merge(Usage::from_meta(meta));
        }
        if let Some(total) = self.usage.report(u) {
            out.push(ChatEvent::Usage(total));
        }
    }

    fn finish(&mut self, raw: &str, out: &mut Vec<ChatEvent>) {
        if !self.finished {
            self.finished = true;
            out.push(ChatEvent::Finish {
                reason: FinishReason::normalize(raw),
                raw: raw.to_owned(),
            });
        }
    }

    fn kind_of(&self, index: u64) -> Block {
        self.blocks
            .iter()
            .rev()
            .find(|(i, _)| *i == index)
            .map_or(Block::Other, |(_, b)| *b)
    }

    fn delta(&mut self, index: u64, delta: &Json, out: &mut Vec<ChatEvent>) {
        let text = |k| delta.str_field(k).map(str::to_owned);
        match delta.str_field("type") {
            Some("text_delta") => out.extend(text("text").map(ChatEvent::Text)),
            Some("thinking_delta") => out.extend(text("thinking").map(ChatEvent::Reasoning)),
            Some("signature_delta") => out.extend(text("signature").map(ChatEvent::Signature)),
            Some("citations_delta") => {
                if let Some(c) = delta.get("citation") {
                    out.push(ChatEvent::Citation(Box::new(citation(c))));
                }
            }
            Some("input_json_delta") => {
                let Some(part) = text("partial_json") else {
                    return;
                };
                let server = match self.kind_of(index) {
                    Block::ClientTool => false,
                    Block::ServerTool => true,
                    Block::Other => return,
                };
                out.push(ChatEvent::ToolCall {
                    index,
                    id: None,
                    name: None,
                    arguments_delta: part,
                    server,
                });
            }
            _ => {} // delta types added after this was written
        }
    }

    /// A block may arrive pre-filled (text, or a whole tool input) with no deltas after it.
    fn block(&mut self, index: u64, block: &Json, out: &mut Vec<ChatEvent>) {
        let kind = block.str_field("type").unwrap_or_default();
        let input = || {
            block
                .get("input")
                .filter(|i| !matches!(i, Json::Obj(m) if m.is_empty()))
                .map(Json::text)
                .unwrap_or_default()
        };
        let owned = |k| block.str_field(k).map(str::to_owned);
        let role = match kind {
            "text" => {
                out.extend(owned("text").map(ChatEvent::Text));
                for c in block
                    .get("citations")
                    .and_then(Json::as_array)
                    .unwrap_or_default()
                {
                    out.push(ChatEvent::Citation(Box::new(citation(c))));
                }
                Block::Other
            }
            "thinking" => {
                out.extend(owned("thinking").map(ChatEvent::Reasoning));
                out.extend(owned("signature").map(ChatEvent::Signature));
                Block::Other
            }
            "redacted_thinking" => {
                out.extend(owned("data").map(ChatEvent::RedactedThinking));
                Block::Other
            }
            // tool_use is the page's; server_tool_use, mcp_tool_use and whatever Anthropic
            // runs next are the provider's.
            k if k.ends_with("tool_use") => {
                let server = k != "tool_use";
                out.push(ChatEvent::ToolCall {
                    index,
                    id: owned("id"),
                    name: owned("name"),
                    arguments_delta: input(),
                    server,
                });
                if server {
                    Block::ServerTool
                } else {
                    Block::ClientTool
                }
            }
            k if k.ends_with("_tool_result") => {
                out.push(ChatEvent::ServerToolResult(Box::new(server_result(
                    kind, block,
                ))));
                Block::Other
            }
            _ => Block::Other,
        };
        self.blocks.push((index, role));
    }
}

/// A citation of any location type; only web ones carry a URL.
fn citation(c: &Json) -> Citation {
    let text = |k| c.str_field(k).unwrap_or_default().to_owned();
    Citation {
        url: text("url"),
        title: c
            .str_field("title")
            .or_else(|| c.str_field("document_title"))
            .unwrap_or_default()
            .to_owned(),
        cited_text: text("cited_text"),
    }
}

/// `web_search_tool_result` (a list of results, or `{type: "…_error", error_code}`),
/// `web_fetch_tool_result`, `code_execution_tool_result`, `mcp_tool_result`, ….
fn server_result(kind: &str, block: &Json) -> ServerResult {
    let mut r = ServerResult {
        tool_use_id: block
            .str_field("tool_use_id")
            .unwrap_or_default()
            .to_owned(),
        kind: kind.to_owned(),
        ..ServerResult::default()
    };
    let content = block.get("content");
    let mut source = |item: &Json| {
        if let Some(url) = item.str_field("url") {
            if r.sources.len() < MAX_SOURCES {
                let title = item.str_field("title").unwrap_or(url);
                r.sources.push((url.to_owned(), title.to_owned()));
            }
        }
    };
    match content {
        Some(Json::Arr(items)) => {
            items.iter().for_each(&mut source);
            r.count = Some(items.len() as u64);
        }
        Some(item @ Json::Obj(_)) => {
            if item
                .str_field("type")
                .is_some_and(|t| t.ends_with("_error"))
            {
                let code = item.str_field("error_code").unwrap_or("error");
                r.error = Some(code.to_owned());
            } else {
                source(item);
            }
        }
        _ => {}
    }
    if r.error.is_none() && block.get("is_error").and_then(Json::as_bool) == Some(true) {
        r.error = Some("error".to_owned());
    }
    r
}

/// A non-streaming `message` body, as the events a stream of it would give.
pub fn decode_complete(v: &Json, out: &mut Vec<ChatEvent>) -> Result<(), ChatError> {
    if v.str_field("type") == Some("error") || v.get("error").is_some_and(|e| !e.is_null()) {
        return Err(error_in_stream(v));
    }
    out.push(ChatEvent::Start {
        id: v.str_field("id").unwrap_or_default().to_owned(),
        model: v.str_field("model").unwrap_or_default().to_owned(),
    });
    let blocks = v
        .get("content")
        .and_then(Json::as_array)
        .ok_or_else(|| ChatError::new(ErrorKind::Parse, "the response has no content"))?;
    let mut d = StreamDecoder::default();
    for (i, block) in blocks.iter().enumerate() {
        d.block(i as u64, block, out);
    }
    d.report(v.get("usage"), v.get("meta"), out);
    d.finish(v.str_field("stop_reason").unwrap_or("end_turn"), out);
    Ok(())
}
