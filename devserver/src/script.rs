//! The `script` fault: the last user message is a JSON script of the reply to send, so a test
//! can stream exactly the hostile text, reasoning, tool call or error message it needs through
//! the real wire formats (the XSS corpus and the fault matrix use it).

use crate::model::{tokenize, Answer, Ask, DemoToolCall, Piece};
use serde::Deserialize;

/// `{"text", "reasoning", "tool": {"name", "arguments"}, "error", "status"}`, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub reasoning: String,
    pub tool: Option<ScriptTool>,
    /// With `status`: the HTTP error's message; without: an in-stream error after the text.
    pub error: Option<String>,
    pub status: Option<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptTool {
    pub name: String,
    /// Sent as the arguments text as is (it need not be valid JSON).
    #[serde(default)]
    pub arguments: String,
}

impl Script {
    pub fn parse(ask: &Ask) -> Result<Script, String> {
        serde_json::from_str(&ask.last_user)
            .map_err(|e| format!("the script fault needs a JSON script as the message: {e}"))
    }

    /// The reply as the demo model's answer. After a tool result the script is done: a short
    /// text and no further call, so a client's tool loop ends.
    pub fn answer(&self, ask: &Ask) -> Answer {
        if ask.after_tool.is_some() {
            return Answer {
                pieces: tokenize("The tool round is over.")
                    .into_iter()
                    .map(Piece::Text)
                    .collect(),
                truncated: false,
                tool_call: None,
            };
        }
        let mut pieces: Vec<Piece> = tokenize(&self.reasoning)
            .into_iter()
            .map(Piece::Reasoning)
            .collect();
        pieces.extend(tokenize(&self.text).into_iter().map(Piece::Text));
        Answer {
            pieces,
            truncated: false,
            tool_call: self.tool.as_ref().map(|t| DemoToolCall {
                id: format!("call_script_{}", ask.turns),
                name: t.name.clone(),
                arguments: t.arguments.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{validate, Api};

    fn ask(script: &str) -> Ask {
        let body = serde_json::json!({"model": "gpt-4o", "stream": true,
            "messages": [{"role": "user", "content": script}]});
        validate(Api::Chat, body.to_string().as_bytes()).expect("valid request")
    }

    #[test]
    fn a_script_becomes_the_answer() {
        let a = ask(
            r#"{"text":"<img src=x onerror=alert(1)> hi","reasoning":"r <b>","tool":{"name":"x\"y","arguments":"{\"a\":"}}"#,
        );
        let s = Script::parse(&a).expect("parses");
        let answer = s.answer(&a);
        assert_eq!(answer.text(), "<img src=x onerror=alert(1)> hi");
        assert_eq!(answer.reasoning(), "r <b>");
        let call = answer.tool_call.expect("tool call");
        assert_eq!(
            (call.name.as_str(), call.arguments.as_str()),
            ("x\"y", "{\"a\":")
        );
    }

    #[test]
    fn a_typo_in_a_script_is_an_error() {
        assert!(Script::parse(&ask(r#"{"txt":"a"}"#)).is_err());
        assert!(Script::parse(&ask("not json")).is_err());
    }
}
