//! The state of a reply as it streams in: what `complete()` returns, what `ChatError.partial`
//! holds when a stream breaks, and what the widget shows, all built from the same events.

use crate::json::Json;
use crate::protocol::{ChatEvent, FinishReason, Usage};

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
            ChatEvent::ToolCall { index, id, name, arguments_delta } => {
                let pos = match self.tool_calls.iter().position(|c| c.index == *index) {
                    Some(pos) => pos,
                    None => {
                        self.tool_calls.push(ToolCall { index: *index, ..Default::default() });
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
            ("usage".into(), self.usage.map_or(Json::Null, Usage::to_json)),
        ])
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
            ChatEvent::Usage(Usage { input_tokens: Some(5), output_tokens: Some(1), total_tokens: None }),
            ChatEvent::Usage(Usage { input_tokens: None, output_tokens: Some(9), total_tokens: None }),
            ChatEvent::Finish { reason: FinishReason::ToolCalls, raw: "tool_use".into() },
        ] {
            r.apply(&ev);
        }
        assert_eq!(r.tool_calls, [ToolCall { index: 1, id: "t1".into(), name: "read_file".into(), arguments: "{\"path\": \"a\"}".into() }]);
        assert_eq!(r.usage, Some(Usage { input_tokens: Some(5), output_tokens: Some(9), total_tokens: None }));
        assert_eq!(r.to_json().get("usage").unwrap().get("totalTokens").unwrap().as_u64(), Some(14));
    }
}
