//! Conversation messages in the OpenAI shape the public API uses (`{role, content}`, tool
//! calls on assistant turns, `role: "tool"` results); each codec converts from these.

use crate::error::ChatError;
use crate::json::Json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    System,
    User,
    Assistant,
    /// A tool's result, answering the assistant's call with the same id.
    Tool,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ContentPart {
    Text(String),
    /// An image by URL: `https:` or a `data:image/...;base64,` URL.
    Image(String),
}

/// A tool call the model made, accumulated from its deltas.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolCall {
    /// The provider's index; the first call may be 1 (text came first).
    pub index: u64,
    pub id: String,
    pub name: String,
    /// The arguments as JSON text, exactly as the model wrote them.
    pub arguments: String,
}

/// Extended thinking of an assistant turn, kept so it can be sent back: Anthropic requires
/// the signed thinking block in the turn that made tool calls.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thinking {
    pub text: String,
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: Role,
    pub parts: Vec<ContentPart>,
    /// Assistant turns: the calls the model made.
    pub tool_calls: Vec<ToolCall>,
    /// Tool turns: the id of the call this answers.
    pub tool_call_id: Option<String>,
    /// Tool turns: the result is an error message (the handler threw).
    pub is_error: bool,
    pub thinking: Option<Thinking>,
}

impl Message {
    pub fn text(role: Role, text: impl Into<String>) -> Self {
        Message {
            role,
            parts: vec![ContentPart::Text(text.into())],
            tool_calls: Vec::new(),
            tool_call_id: None,
            is_error: false,
            thinking: None,
        }
    }

    pub fn tool_result(call_id: &str, content: impl Into<String>, is_error: bool) -> Self {
        Message {
            tool_call_id: Some(call_id.to_owned()),
            is_error,
            ..Message::text(Role::Tool, content)
        }
    }

    /// Reads `{role, content, tool_calls?, tool_call_id?}` where content is a string, null
    /// (assistant turns with only tool calls) or OpenAI content parts.
    pub fn from_json(v: &Json) -> Result<Message, ChatError> {
        let role = match v.get("role").and_then(Json::as_str) {
            Some("system" | "developer") => Role::System,
            Some("user") => Role::User,
            Some("assistant") => Role::Assistant,
            Some("tool") => Role::Tool,
            other => {
                return Err(ChatError::config(format!(
                    "message role must be 'system', 'user', 'assistant' or 'tool', got {}",
                    other.map_or("nothing".to_owned(), |r| format!("'{r}'"))
                )))
            }
        };
        let parts = match v.get("content") {
            Some(Json::Str(s)) => vec![ContentPart::Text(s.clone())],
            Some(Json::Arr(items)) => items.iter().map(part_from_json).collect::<Result<_, _>>()?,
            None | Some(Json::Null) if role == Role::Assistant => Vec::new(),
            _ => {
                return Err(ChatError::config(
                    "message content must be a string or an array of parts",
                ))
            }
        };
        let mut tool_calls = Vec::new();
        for (i, call) in v
            .get("tool_calls")
            .and_then(Json::as_array)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let function = call.get("function");
            let field = |k: &str| {
                function
                    .and_then(|f| f.get(k))
                    .and_then(Json::as_str)
                    .map(str::to_owned)
            };
            tool_calls.push(ToolCall {
                index: i as u64,
                id: call
                    .str_field("id")
                    .ok_or_else(|| ChatError::config("a tool call needs an 'id'"))?
                    .to_owned(),
                name: field("name")
                    .ok_or_else(|| ChatError::config("a tool call needs function.name"))?,
                arguments: field("arguments").unwrap_or_else(|| "{}".to_owned()),
            });
        }
        let tool_call_id = v.str_field("tool_call_id").map(str::to_owned);
        if role == Role::Tool && tool_call_id.is_none() {
            return Err(ChatError::config("a tool message needs 'tool_call_id'"));
        }
        Ok(Message {
            role,
            parts,
            tool_calls,
            tool_call_id,
            is_error: v.get("is_error").and_then(Json::as_bool).unwrap_or(false),
            thinking: None,
        })
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

/// `data:image/png;base64,AAAA` → (`image/png`, `AAAA`).
pub fn parse_data_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    let media_type = meta.strip_suffix(";base64")?;
    Some((media_type, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tool_turns_in_the_openai_shape() {
        let v = Json::parse(r#"{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_time","arguments":"{}"}}]}"#).unwrap();
        let m = Message::from_json(&v).unwrap();
        assert_eq!(
            (m.parts.len(), m.tool_calls[0].name.as_str()),
            (0, "get_time")
        );
        let v = Json::parse(r#"{"role":"tool","tool_call_id":"c1","content":"12:00"}"#).unwrap();
        assert_eq!(
            Message::from_json(&v).unwrap().tool_call_id.as_deref(),
            Some("c1")
        );
        assert!(
            Message::from_json(&Json::parse(r#"{"role":"tool","content":"x"}"#).unwrap()).is_err()
        );
        assert!(
            Message::from_json(&Json::parse(r#"{"role":"wizard","content":"x"}"#).unwrap())
                .is_err()
        );
    }

    #[test]
    fn data_urls_split() {
        assert_eq!(
            parse_data_url("data:image/png;base64,AA=="),
            Some(("image/png", "AA=="))
        );
        assert_eq!(parse_data_url("https://x/y.png"), None);
    }
}
