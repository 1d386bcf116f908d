//! The state of a chat as it streams in: the reply being accumulated (what `complete()`
//! returns and what `ChatError.partial` holds), its metrics, and the tool-call loop that
//! turns answered calls into the next request's messages.

use crate::prelude::*;

use crate::json::Json;
use crate::protocol::{
    ChatEvent, Citation, FinishReason, Message, Role, ServerResult, ThinkingBlock, ToolCall, Usage,
};

mod stream;

pub use stream::ReplyStream;

/// One assistant reply, accumulated from its events in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reply {
    pub id: String,
    pub model: String,
    pub text: String,
    pub reasoning: String,
    /// Reasoning since the last thinking block closed (what the next signature signs).
    pub open_thinking: String,
    /// The signed and redacted thinking blocks, sent back with the turn.
    pub thinking: Vec<ThinkingBlock>,
    /// The model declined: OpenAI's refusal text, or empty for Anthropic's
    /// `stop_reason: "refusal"` (which gives no text). `None` when it did not decline.
    pub refusal: Option<String>,
    pub tool_calls: Vec<ToolCall>,
    /// Calls of tools the provider ran itself (Anthropic web search, …): never answered here.
    pub server_calls: Vec<ToolCall>,
    /// What those tools returned, by `tool_use_id`.
    pub server_results: Vec<ServerResult>,
    pub citations: Vec<Citation>,
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
            ChatEvent::Reasoning(d) => {
                self.reasoning.push_str(d);
                self.open_thinking.push_str(d);
            }
            ChatEvent::Refusal(d) => self.refusal.get_or_insert_with(String::new).push_str(d),
            ChatEvent::Usage(u) => self.usage.get_or_insert_with(Usage::default).merge(*u),
            ChatEvent::Finish { reason, raw } => {
                if raw == "refusal" {
                    self.refusal.get_or_insert_with(String::new);
                }
                self.finish = Some((*reason, raw.clone()));
            }
            ChatEvent::ToolResult { .. } => {}
            // Thinking signatures, tool calls, server tools and citations come only from
            // readers in the second module (the Messages codec, the full chunk reading), so
            // it is loaded when one arrives: their bookkeeping is there too.
            _ if crate::split::loaded() => apply_found(self, ev),
            _ => {}
        }
    }

    /// What the provider-run tool with this call id returned, if it has.
    pub fn server_result(&self, id: &str) -> Option<&ServerResult> {
        self.server_results.iter().find(|r| r.tool_use_id == id)
    }

    /// Whether anything at all arrived (an empty partial is reported as `null`).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
            && self.reasoning.is_empty()
            && self.tool_calls.is_empty()
            && self.refusal.as_deref().is_none_or(str::is_empty)
            && self.server_calls.is_empty()
    }

    /// The assistant turn to put in the history for the next request.
    pub fn to_message(&self) -> Message {
        // A declined reply has no text; its refusal is what the model said.
        let text = match (&self.refusal, self.text.is_empty()) {
            (Some(r), true) => r.clone(),
            _ => self.text.clone(),
        };
        // Tool calls and thinking blocks exist only once the second module read them
        // (`apply_found`): copying them is its code too.
        let (tool_calls, thinking) = if self.tool_calls.is_empty() && self.thinking.is_empty() {
            Default::default()
        } else {
            turn_parts(self)
        };
        Message {
            tool_calls,
            thinking,
            ..Message::text(Role::Assistant, text)
        }
    }

    /// The public reply shape: `{ text, reasoning, refusal, toolCalls, serverTools, citations,
    /// finishReason, rawFinishReason, usage }`.
    pub fn to_json(&self) -> Json {
        // Tool calls, server tools and citations come only from readers in the second
        // module (the Messages codec, the full chunk reading) and are drawn by it, so when
        // there are any it is loaded — unless it could not be fetched, and then they were
        // not shown either.
        let found = !(self.tool_calls.is_empty()
            && self.server_calls.is_empty()
            && self.citations.is_empty());
        let (calls, servers, citations) = if found && crate::split::loaded() {
            found_json(self)
        } else {
            Default::default()
        };
        let (reason, raw) = match &self.finish {
            Some((r, raw)) => (Json::str(r.as_str()), Json::str(raw)),
            None => (Json::Null, Json::Null),
        };
        Json::object(vec![
            ("id", Json::str(&self.id)),
            ("model", Json::str(&self.model)),
            ("text", Json::str(&self.text)),
            ("reasoning", Json::str(&self.reasoning)),
            (
                "refusal",
                self.refusal.clone().map_or(Json::Null, Json::Str),
            ),
            ("toolCalls", Json::Arr(calls)),
            ("serverTools", Json::Arr(servers)),
            ("citations", Json::Arr(citations)),
            ("finishReason", reason),
            ("rawFinishReason", raw),
            ("usage", self.usage.map_or(Json::Null, Usage::to_json)),
        ])
    }
}

crate::lazy!("ac000000000000000000000000000002" fn found_json(reply: &Reply) -> (Vec<Json>, Vec<Json>, Vec<Json>) {
    let calls = reply
        .tool_calls
        .iter()
        .map(|c| {
            Json::object(vec![
                ("id", Json::str(&c.id)),
                ("name", Json::str(&c.name)),
                ("arguments", Json::str(&c.arguments)),
            ])
        })
        .collect();
    let servers = reply
        .server_calls
        .iter()
        .map(|t| {
            let result = reply.server_result(&t.id);
            Json::object(vec![
                ("id", Json::str(&t.id)),
                ("name", Json::str(&t.name)),
                ("input", Json::str(&t.arguments)),
                (
                    "result",
                    result.map_or(Json::Null, ServerResult::to_json),
                ),
            ])
        })
        .collect();
    (calls, servers, reply.citations.iter().map(Citation::to_json).collect())
});

crate::lazy!("ac000000000000000000000000000003" fn apply_found(reply: &mut Reply, ev: &ChatEvent) -> () {
    match ev {
        ChatEvent::Signature(s) => reply.thinking.push(ThinkingBlock::Signed {
            text: core::mem::take(&mut reply.open_thinking),
            signature: s.clone(),
        }),
        ChatEvent::RedactedThinking(d) => {
            reply.thinking.push(ThinkingBlock::Redacted(d.clone()))
        }
        ChatEvent::ToolCall {
            index,
            id,
            name,
            arguments_delta,
            server,
        } => {
            let list = match server {
                false => &mut reply.tool_calls,
                true => &mut reply.server_calls,
            };
            let call = call_at(list, *index);
            if let Some(id) = id {
                call.id.clone_from(id);
            }
            if let Some(name) = name {
                call.name.clone_from(name);
            }
            call.arguments.push_str(arguments_delta);
        }
        ChatEvent::ToolCallExtra { index, extra } => {
            call_at(&mut reply.tool_calls, *index).extra = Some(extra.clone());
        }
        ChatEvent::ServerToolResult(r) => reply.server_results.push((**r).clone()),
        ChatEvent::Citation(c) if !reply.citations.contains(&**c) => {
            reply.citations.push((**c).clone())
        }
        _ => {}
    }
});

crate::lazy!("ac000000000000000000000000000005" fn calls_of(reply: &Reply) -> Vec<ToolCall> {
    reply.tool_calls.clone()
});

crate::lazy!("ac000000000000000000000000000004" fn turn_parts(reply: &Reply) -> (Vec<ToolCall>, Vec<ThinkingBlock>) {
    (reply.tool_calls.clone(), reply.thinking.clone())
});

/// The call with this index in `list`, added when it is the first fragment.
fn call_at(list: &mut Vec<ToolCall>, index: u64) -> &mut ToolCall {
    let pos = match list.iter().position(|c| c.index == index) {
        Some(pos) => pos,
        None => {
            list.push(ToolCall {
                index,
                ..Default::default()
            });
            list.len() - 1
        }
    };
    &mut list[pos]
}

/// Timing of one reply, measured by the transport with the page's clock (milliseconds).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Metrics {
    /// Request sent → first text, reasoning or tool-call delta.
    pub ttft_ms: Option<f64>,
    /// Request sent → body finished.
    pub duration_ms: f64,
    pub output_tokens: Option<u64>,
    /// `output_tokens` was estimated from the text (the provider reported no usage).
    pub estimated: bool,
}

impl Metrics {
    /// Output tokens from usage when the provider gave them, else about 4 characters a token.
    pub fn count_output(&mut self, reply: &Reply) {
        match reply
            .usage
            .and_then(|u| u.tokens(crate::protocol::usage::OUTPUT))
        {
            Some(n) => (self.output_tokens, self.estimated) = (Some(n), false),
            None => {
                let mut chars = char_count(&reply.text) + char_count(&reply.reasoning);
                for c in &reply.tool_calls {
                    chars += c.arguments.len();
                }
                (self.output_tokens, self.estimated) = (Some(chars.div_ceil(4) as u64), true);
            }
        }
    }

    /// Output tokens per second of generation (after the first token).
    pub fn tokens_per_second(&self) -> Option<f64> {
        let generating = self.duration_ms - self.ttft_ms?;
        let tokens = self.output_tokens? as f64;
        (generating > 0.0).then_some(tokens * 1000.0 / generating)
    }

    pub fn to_json(&self) -> Json {
        let opt = |v: Option<f64>| {
            v.map_or(Json::Null, |v| {
                Json::Num(crate::json::float::round(v * 10.0) / 10.0)
            })
        };
        Json::object(vec![
            ("ttftMs", opt(self.ttft_ms)),
            ("durationMs", opt(Some(self.duration_ms))),
            (
                "outputTokens",
                self.output_tokens
                    .map_or(Json::Null, |n| Json::Num(n as f64)),
            ),
            ("tokensPerSecond", opt(self.tokens_per_second())),
            ("estimated", Json::Bool(self.estimated)),
        ])
    }
}

/// The tool-call loop: after a reply that asks for tools, the page's handlers answer and the
/// conversation continues, up to a cap on rounds.
#[derive(Debug, Clone)]
pub struct ToolLoop {
    /// The request's messages plus every turn added by the loop.
    pub messages: Vec<Message>,
    /// How many messages the page sent; the rest were added here.
    sent: usize,
    rounds: u32,
    max_rounds: u32,
    /// Usage summed over every round (each round is a separate request).
    pub usage: Option<Usage>,
}

impl ToolLoop {
    pub fn new(messages: Vec<Message>, max_rounds: u32) -> Self {
        ToolLoop {
            sent: messages.len(),
            messages,
            rounds: 0,
            max_rounds,
            usage: None,
        }
    }

    /// The messages the loop was given, without the turns it added.
    pub fn into_sent(self) -> Vec<Message> {
        let mut m = self.messages;
        m.truncate(self.sent);
        m
    }

    /// Records a finished reply. Returns the calls to answer when the loop should continue:
    /// the model asked for tools, every one has a handler, and the cap is not reached.
    pub fn record(
        &mut self,
        reply: &Reply,
        has_handler: impl Fn(&str) -> bool,
    ) -> Option<Vec<ToolCall>> {
        if let Some(u) = reply.usage {
            self.usage.get_or_insert_with(Usage::default).add(u);
        }
        self.messages.push(reply.to_message());
        let wants_tools = matches!(reply.finish, Some((FinishReason::ToolCalls, _)))
            && !reply.tool_calls.is_empty();
        if !wants_tools
            || self.rounds >= self.max_rounds
            || !reply.tool_calls.iter().all(|c| has_handler(&c.name))
        {
            return None;
        }
        self.rounds += 1;
        Some(calls_of(reply))
    }

    /// Appends a handler's answer (or its error, which the model sees as a failed tool).
    pub fn answer(&mut self, call: &ToolCall, content: &str, is_error: bool) {
        self.messages
            .push(Message::tool_result(&call.id, content, is_error));
    }

    /// The turns the loop added after the page's messages, in the public message shape.
    pub fn added_messages(&self) -> Json {
        Json::Arr(
            self.messages[self.sent..]
                .iter()
                .map(Message::to_json)
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::usage;

    fn usage(input: u64, output: u64) -> Usage {
        Usage::of(&[(usage::INPUT, input as f64), (usage::OUTPUT, output as f64)])
    }

    #[test]
    fn tool_calls_are_keyed_by_index_and_usage_merges() {
        let mut r = Reply::default();
        let call = |index, id: Option<&str>, args: &str| ChatEvent::ToolCall {
            index,
            id: id.map(Into::into),
            name: id.map(|_| "read_file".into()),
            arguments_delta: args.into(),
            server: false,
        };
        for ev in [
            ChatEvent::Text("Reading".into()),
            call(1, Some("t1"), ""),
            call(1, None, "{\"path\""),
            call(1, None, ": \"a\"}"),
            ChatEvent::Usage(usage(5, 1)),
            ChatEvent::Usage(Usage::of(&[(usage::OUTPUT, 9.0)])),
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
                arguments: "{\"path\": \"a\"}".into(),
                extra: None,
            }]
        );
        assert_eq!(r.usage, Some(usage(5, 9)));
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
    fn metrics_use_usage_or_an_estimate() {
        let mut m = Metrics {
            ttft_ms: Some(600.0),
            duration_ms: 2600.0,
            ..Metrics::default()
        };
        let mut r = Reply {
            usage: Some(usage(1, 112)),
            ..Reply::default()
        };
        m.count_output(&r);
        assert_eq!((m.tokens_per_second(), m.estimated), (Some(56.0), false));
        r.usage = None;
        r.text = "x".repeat(448);
        m.count_output(&r);
        assert_eq!((m.output_tokens, m.estimated), (Some(112), true));
        assert_eq!(Metrics { ttft_ms: None, ..m }.tokens_per_second(), None);
    }

    #[test]
    fn tool_loop_continues_only_with_handlers_and_under_the_cap() {
        let call = ToolCall {
            index: 0,
            id: "c1".into(),
            name: "get_time".into(),
            arguments: "{}".into(),
            extra: None,
        };
        let asks = Reply {
            tool_calls: vec![call.clone()],
            finish: Some((FinishReason::ToolCalls, "tool_calls".into())),
            usage: Some(usage(10, 5)),
            ..Reply::default()
        };
        let mut lp = ToolLoop::new(vec![Message::text(Role::User, "time?")], 1);
        assert_eq!(
            lp.record(&asks, |_| false),
            None,
            "no handler: the page gets the calls"
        );
        let mut lp = ToolLoop::new(vec![Message::text(Role::User, "time?")], 1);
        assert_eq!(
            lp.record(&asks, |n| n == "get_time"),
            Some(vec![call.clone()])
        );
        lp.answer(&call, "12:00", false);
        assert_eq!(
            lp.record(&asks, |_| true),
            None,
            "the cap of one round holds"
        );
        assert_eq!(
            lp.usage,
            Some(Usage::of(&[
                (usage::INPUT, 20.0),
                (usage::OUTPUT, 10.0),
                (usage::TOTAL, 30.0)
            ]))
        );
        assert_eq!(
            lp.added_messages().to_string(),
            r#"[{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_time","arguments":"{}"}}]},{"role":"tool","content":"12:00","tool_call_id":"c1"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_time","arguments":"{}"}}]}]"#
        );
    }
}
