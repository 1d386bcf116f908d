//! Conversation messages in the OpenAI shape the public API uses (`{role, content}`, tool
//! calls on assistant turns, `role: "tool"` results); each codec converts from these.

use crate::prelude::*;

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
    /// What the provider attached to the call and wants back with it (Gemini's
    /// `extra_content.google.thought_signature`; without it Gemini 3 refuses the next turn).
    pub extra: Option<Json>,
}

impl ToolCall {
    /// The OpenAI wire shape, which is also the public one: `{id, type: "function",
    /// function: {name, arguments}, extra_content?}`.
    pub fn to_json(&self) -> Json {
        let function = Json::object(vec![
            ("name", Json::str(&self.name)),
            ("arguments", Json::str(&self.arguments)),
        ]);
        let mut call = Json::object(vec![
            ("id", Json::str(&self.id)),
            ("type", Json::str("function")),
            ("function", function),
        ]);
        if let Some(extra) = &self.extra {
            call.push("extra_content", extra.clone());
        }
        call
    }
}

/// Extended thinking of an assistant turn, kept so it can be sent back: Anthropic requires
/// the thinking blocks, signed or redacted, in the turn that made tool calls.
#[derive(Debug, Clone, PartialEq)]
pub enum ThinkingBlock {
    Signed {
        text: String,
        signature: String,
    },
    /// `redacted_thinking`: encrypted, never shown, returned as it came.
    Redacted(String),
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
    pub thinking: Vec<ThinkingBlock>,
}

impl Message {
    pub fn text(role: Role, text: impl Into<String>) -> Self {
        Message {
            role,
            parts: vec![ContentPart::Text(text.into())],
            tool_calls: Vec::new(),
            tool_call_id: None,
            is_error: false,
            thinking: Vec::new(),
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
                let got = other.map_or("nothing".to_owned(), |r| cat(&["'", r, "'"]));
                return Err(ChatError::config(cat(&[
                    "message role must be 'system', 'user', 'assistant' or 'tool', got ",
                    &got,
                ])));
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
                extra: call.get("extra_content").filter(|e| !e.is_null()).cloned(),
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
            thinking: Vec::new(),
        })
    }

    /// The public OpenAI shape, which `from_json` reads back (what the page passes in
    /// `messages`, and what the element stores): text-only content as a string.
    pub fn to_json(&self) -> Json {
        // Images and tool calls come only with the second module (attachments, `send` with
        // images, tool rounds and restoring are there), which writes them too; without it a
        // message is its text.
        let rich = crate::split::loaded();
        let text_only = self.parts.iter().all(|p| matches!(p, ContentPart::Text(_)));
        let content = if text_only || !rich {
            Json::str(self.joined_text())
        } else {
            parts_json(&self.parts)
        };
        let mut out = Json::object(vec![
            ("role", Json::str(self.role.as_str())),
            ("content", content),
        ]);
        if !self.tool_calls.is_empty() && rich {
            out.push("tool_calls", calls_json(&self.tool_calls));
        }
        if let Some(id) = &self.tool_call_id {
            out.push("tool_call_id", Json::str(id));
            if self.is_error {
                out.push("is_error", Json::Bool(true));
            }
        }
        out
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

impl ContentPart {
    fn to_json(&self) -> Json {
        match self {
            ContentPart::Text(t) => {
                Json::object(vec![("type", Json::str("text")), ("text", Json::str(t))])
            }
            ContentPart::Image(url) => Json::object(vec![
                ("type", Json::str("image_url")),
                ("image_url", Json::Obj(vec![("url".into(), Json::str(url))])),
            ]),
        }
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
        Some(other) => Err(ChatError::config(cat(&[
            "unsupported content part type '",
            other,
            "': use 'text' or 'image_url'",
        ]))),
        None => Err(ChatError::config("a content part needs a 'type'")),
    }
}

/// `data:image/png;base64,AAAA` → (`image/png`, `AAAA`).
pub fn parse_data_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = split_once_byte(rest, b',')?;
    let media_type = meta.strip_suffix(";base64")?;
    Some((media_type, data))
}

/// `image/png` + bytes → `data:image/png;base64,…` (standard alphabet, padded).
pub fn data_url(media_type: &str, bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(media_type.len() + 13 + bytes.len().div_ceil(3) * 4);
    out.push_str("data:");
    out.push_str(media_type);
    out.push_str(";base64,");
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

crate::lazy!("af000000000000000000000000000001" fn parts_json(parts: &[ContentPart]) -> Json {
    Json::Arr(parts.iter().map(ContentPart::to_json).collect())
});

crate::lazy!(
/// Tool calls come only from readers in the second module, so writing them is there too.
"af000000000000000000000000000002" pub(crate) fn calls_json(calls: &[ToolCall]) -> Json {
    Json::Arr(calls.iter().map(ToolCall::to_json).collect())
});

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

    #[test]
    fn data_urls_are_standard_base64() {
        for (bytes, b64) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"\xff\xfe\x00", "//4A"),
        ] {
            assert_eq!(
                data_url("image/png", bytes),
                format!("data:image/png;base64,{b64}")
            );
        }
        assert_eq!(
            parse_data_url(&data_url("image/gif", b"hi")),
            Some(("image/gif", "aGk="))
        );
    }

    #[test]
    fn to_json_reads_back_the_same_message() {
        let with_image = Message {
            parts: vec![
                ContentPart::Text("look".into()),
                ContentPart::Image("data:image/png;base64,AA==".into()),
            ],
            ..Message::text(Role::User, "")
        };
        let tool = Message::tool_result("c1", "boom", true);
        for m in [with_image, tool, Message::text(Role::Assistant, "hi")] {
            assert_eq!(Message::from_json(&m.to_json()).unwrap(), m);
        }
    }
}
