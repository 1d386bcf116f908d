//! The offline demo model: validates a request the way the real APIs do and writes a
//! realistic markdown answer about the user's message, split into tokens for pacing.

use serde_json::Value;

/// Which wire format the request came in (and the answer goes out) in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `/v1/chat/completions`, as the AI/ML API and OpenAI serve it.
    Chat,
    /// `/v1/messages`, Anthropic.
    Messages,
}

/// What the model needs to know from a valid request.
#[derive(Debug, Clone)]
pub struct Ask {
    pub model: String,
    pub stream: bool,
    pub include_usage: bool,
    pub thinking: bool,
    pub max_tokens: Option<u64>,
    pub last_user: String,
    pub images: usize,
    pub turns: usize,
    pub input_tokens: u64,
    /// Tools the request offers: (name, JSON Schema of the arguments).
    pub tools: Vec<(String, Value)>,
    /// The last message answers a tool call with this content.
    pub after_tool: Option<String>,
    /// The last message is the assistant's own unfinished text: go on from there.
    pub prefill: Option<String>,
    /// `tool_choice` requires a call (`required`/`any`/a named tool).
    pub tool_forced: bool,
}

/// A request the real API would reject: status, message (the body shape is the caller's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

pub fn validate(api: Api, body: &[u8]) -> Result<Ask, Invalid> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        Invalid(format!(
            "Body validation error! The body is not valid JSON: {e}"
        ))
    })?;
    let model = match v.get("model") {
        Some(Value::String(m)) if !m.is_empty() => m.clone(),
        Some(_) => {
            return Err(Invalid(
                "Body validation error! model: Expected string".into(),
            ))
        }
        None => return Err(Invalid("Body validation error! model: Required".into())),
    };
    let messages = match v.get("messages") {
        Some(Value::Array(m)) if !m.is_empty() => m,
        Some(Value::Array(_)) => {
            return Err(Invalid(
                "Body validation error! messages: Array must contain at least 1 element(s)".into(),
            ))
        }
        Some(_) => {
            return Err(Invalid(
                "Body validation error! messages: Expected array".into(),
            ))
        }
        None => return Err(Invalid("Body validation error! messages: Required".into())),
    };
    let max_tokens =
        match v.get("max_tokens") {
            None | Some(Value::Null) if api == Api::Messages => {
                return Err(Invalid("max_tokens: Field required".into()))
            }
            None | Some(Value::Null) => None,
            Some(n) => match n.as_u64() {
                Some(n) if n >= 1 => Some(n),
                _ => return Err(Invalid(
                    "Body validation error! max_tokens: Number must be greater than or equal to 1"
                        .into(),
                )),
            },
        };
    if let Some(t) = v.get("temperature").and_then(Value::as_f64) {
        let limit = if model.contains("claude") { 1.0 } else { 2.0 };
        if !(0.0..=limit).contains(&t) {
            return Err(Invalid(format!(
                "Body validation error! temperature: Number must be less than or equal to {limit}"
            )));
        }
    }
    let thinking = match v.get("thinking") {
        Some(t) if t.get("type").and_then(Value::as_str) == Some("enabled") => {
            let budget = t.get("budget_tokens").and_then(Value::as_u64).unwrap_or(0);
            if budget < 1024 {
                return Err(Invalid("Body validation error! thinking.budget_tokens: Number must be greater than or equal to 1024".into()));
            }
            if max_tokens.is_some_and(|m| m <= budget) {
                return Err(Invalid(
                    "`max_tokens` must be greater than `thinking.budget_tokens`".into(),
                ));
            }
            true
        }
        _ => false,
    };
    let tools = offered_tools(v.get("tools"));
    let after_tool = messages.last().and_then(tool_result_text);
    let prefill = messages
        .last()
        .filter(|m| m.get("role").and_then(Value::as_str) == Some("assistant"))
        .map(|m| content_text(m.get("content")).0)
        .filter(|t| !t.is_empty());
    if api == Api::Messages
        && prefill
            .as_ref()
            .is_some_and(|p| p.ends_with(char::is_whitespace))
    {
        return Err(Invalid(
            "messages: final assistant content cannot end with trailing whitespace".into(),
        ));
    }
    let mut last_user = String::new();
    let mut images = 0;
    let mut chars = v.get("system").map_or(0, |s| s.to_string().len());
    for (i, m) in messages.iter().enumerate() {
        let role = m.get("role").and_then(Value::as_str).unwrap_or("");
        let allowed: &[&str] = match api {
            Api::Chat => &["system", "user", "assistant", "tool", "developer"],
            Api::Messages => &["user", "assistant"],
        };
        if !allowed.contains(&role) {
            return Err(Invalid(format!("Body validation error! messages[{i}].role: Invalid enum value. Expected {}, received '{role}'", allowed.iter().map(|r| format!("'{r}'")).collect::<Vec<_>>().join(" | "))));
        }
        let (text, imgs) = content_text(m.get("content"));
        chars += text.len() + 16;
        if role == "user" && !text.is_empty() {
            last_user = text;
            images = imgs;
        }
    }
    Ok(Ask {
        model,
        stream: v.get("stream").and_then(Value::as_bool).unwrap_or(false),
        include_usage: v
            .pointer("/stream_options/include_usage")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        thinking,
        max_tokens,
        last_user,
        images,
        // A continuation answers the same turn as the reply it continues.
        turns: messages.len() - usize::from(prefill.is_some()),
        input_tokens: (chars as u64).div_ceil(4).max(1),
        tools,
        after_tool,
        prefill,
        tool_forced: match v.get("tool_choice") {
            Some(Value::String(c)) => c == "required",
            Some(c) => matches!(
                c.get("type").and_then(Value::as_str),
                Some("any" | "tool" | "function")
            ),
            None => false,
        },
    })
}

/// Tools in the OpenAI (`{type, function: {name, parameters}}`) or Anthropic
/// (`{name, input_schema}`) format.
fn offered_tools(tools: Option<&Value>) -> Vec<(String, Value)> {
    let Some(Value::Array(items)) = tools else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|t| {
            let f = t.get("function").unwrap_or(t);
            let name = f.get("name")?.as_str()?.to_owned();
            let schema = f
                .get("parameters")
                .or(f.get("input_schema"))
                .cloned()
                .unwrap_or(Value::Null);
            Some((name, schema))
        })
        .collect()
}

/// The content of a tool result, if `m` is one (`role: "tool"`, or a user turn of
/// Anthropic `tool_result` blocks).
fn tool_result_text(m: &Value) -> Option<String> {
    if m.get("role").and_then(Value::as_str) == Some("tool") {
        return Some(content_text(m.get("content")).0);
    }
    let blocks = m.get("content")?.as_array()?;
    let results: Vec<String> = blocks
        .iter()
        .filter(|b| b.get("type").and_then(Value::as_str) == Some("tool_result"))
        .map(|b| match b.get("content") {
            Some(Value::String(s)) => s.clone(),
            other => content_text(other).0,
        })
        .collect();
    (!results.is_empty()).then(|| results.join("\n"))
}

/// The text of a message's content (string or parts) and how many images it has.
fn content_text(content: Option<&Value>) -> (String, usize) {
    match content {
        Some(Value::String(s)) => (s.clone(), 0),
        Some(Value::Array(parts)) => {
            let mut text = String::new();
            let mut images = 0;
            for p in parts {
                match p.get("type").and_then(Value::as_str) {
                    Some("text") => {
                        text.push_str(p.get("text").and_then(Value::as_str).unwrap_or(""))
                    }
                    Some("image" | "image_url") => images += 1,
                    _ => {}
                }
            }
            (text, images)
        }
        _ => (String::new(), 0),
    }
}

/// One streamed unit: roughly a model token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Reasoning(String),
    Text(String),
}

/// A tool call the demo model makes when the request offers tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoToolCall {
    pub id: String,
    pub name: String,
    /// JSON text of the arguments.
    pub arguments: String,
}

/// The answer, already split into tokens, and whether `max_tokens` cut it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub pieces: Vec<Piece>,
    pub truncated: bool,
    /// When set, the reply ends by calling this tool (finish reason `tool_calls`).
    pub tool_call: Option<DemoToolCall>,
}

impl Answer {
    pub fn text(&self) -> String {
        self.pieces
            .iter()
            .filter_map(|p| {
                if let Piece::Text(t) = p {
                    Some(t.as_str())
                } else {
                    None
                }
            })
            .collect()
    }

    pub fn reasoning(&self) -> String {
        self.pieces
            .iter()
            .filter_map(|p| {
                if let Piece::Reasoning(t) = p {
                    Some(t.as_str())
                } else {
                    None
                }
            })
            .collect()
    }

    pub fn output_tokens(&self) -> u64 {
        self.pieces.len() as u64
    }
}

pub fn answer(ask: &Ask) -> Answer {
    let mut pieces = Vec::new();
    if ask.thinking {
        pieces.extend(
            tokenize(&reasoning_text(ask))
                .into_iter()
                .map(Piece::Reasoning),
        );
    }
    let (text, tool_call) = match (&ask.after_tool, ask.tools.first()) {
        (Some(result), _) => (tool_answer_text(result), None),
        (None, Some(_)) if ask.prefill.is_none() && wants_tool(ask) => {
            let (name, schema) = pick_tool(ask);
            let call = DemoToolCall {
                id: format!("call_demo_{}", ask.turns),
                name: name.clone(),
                arguments: demo_arguments(schema, ask).to_string(),
            };
            (format!("Let me call `{name}` for that."), Some(call))
        }
        (None, _) => (answer_text(ask), None),
    };
    // Continuing its own cut reply, the model writes what came after it.
    let text = match &ask.prefill {
        Some(prefix) => match text.strip_prefix(prefix.as_str()) {
            Some(rest) => rest.to_owned(),
            None => " …and that is where the earlier reply ended.".to_owned(),
        },
        None => text,
    };
    pieces.extend(tokenize(&text).into_iter().map(Piece::Text));
    let limit = ask.max_tokens.map_or(usize::MAX, |m| m as usize);
    let truncated = pieces.len() > limit;
    pieces.truncate(limit);
    Answer {
        pieces,
        truncated,
        tool_call: if truncated { None } else { tool_call },
    }
}

/// Like a real model, the demo calls a tool only when the message is about one (names it,
/// or a word of its name: "time" for `get_time`) or the request insists.
fn wants_tool(ask: &Ask) -> bool {
    let lower = ask.last_user.to_lowercase();
    ask.tool_forced
        || ask.tools.iter().any(|(name, _)| {
            let name = name.to_lowercase();
            lower.contains(&name)
                || name
                    .split(['_', '-', '.'])
                    .filter(|w| w.len() >= 4)
                    .any(|w| lower.contains(w))
        })
}

/// The tool named in the user's message, else the first one offered.
fn pick_tool(ask: &Ask) -> &(String, Value) {
    let lower = ask.last_user.to_lowercase();
    ask.tools
        .iter()
        .find(|(n, _)| {
            lower.contains(&n.to_lowercase()) || lower.contains(&n.to_lowercase().replace('_', " "))
        })
        .unwrap_or(&ask.tools[0])
}

/// Plausible arguments for a JSON Schema: every property gets a value of its type.
fn demo_arguments(schema: &Value, ask: &Ask) -> Value {
    let mut args = serde_json::Map::new();
    if let Some(Value::Object(props)) = schema.get("properties") {
        for (key, prop) in props {
            let value = match prop.get("type").and_then(Value::as_str) {
                Some("number" | "integer") => Value::from(1),
                Some("boolean") => Value::Bool(true),
                Some("array") => Value::Array(Vec::new()),
                Some("object") => Value::Object(serde_json::Map::new()),
                _ if key.contains("zone") => Value::from("UTC"),
                _ => Value::from(quote(&ask.last_user)),
            };
            args.insert(key.clone(), value);
        }
    }
    Value::Object(args)
}

fn tool_answer_text(result: &str) -> String {
    let shown: String = result.chars().take(200).collect();
    format!("The tool answered: **{}**.\n\nThat is all the offline demo model knows; a real model would build its answer on it.", quote(&shown))
}

/// Splits text into token-sized pieces (a word with its leading space, long words in
/// 4-character slices), so pacing at N tokens/s looks like a real model.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let boundary =
            (c == ' ' || c == '\n') && !current.trim().is_empty() || current.chars().count() >= 6;
        if boundary {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A short quote of the user's words, safe to place inside emphasis and a table.
fn quote(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean: String = one_line
        .chars()
        .filter(|c| !matches!(c, '*' | '`' | '|' | '[' | ']' | '<' | '>' | '\\'))
        .collect();
    let mut q: String = clean.chars().take(80).collect();
    if clean.chars().count() > 80 {
        q.push('…');
    }
    if q.is_empty() {
        q.push_str("(an empty message)");
    }
    q
}

fn reasoning_text(ask: &Ask) -> String {
    format!(
        "The user wrote \"{}\". This is the offline demo model, so I should show what the widget can render: \
         a heading, a short list, a table with a few facts about the message, a fenced code block and a link. \
         Keep it friendly and mention that a real model answers once a key or proxy is configured.",
        quote(&ask.last_user)
    )
}

fn answer_text(ask: &Ask) -> String {
    let q = quote(&ask.last_user);
    let words = ask.last_user.split_whitespace().count();
    let greeting = matches!(
        q.to_lowercase().trim_end_matches(['!', '.', '?']),
        "hello" | "hi" | "hey" | "hello there"
    );
    let opening = if greeting {
        "Hello! I'm the **rill-chat demo model**, running offline inside the devserver. Nice to meet you.".to_owned()
    } else {
        format!("You asked: *{q}*. I'm the **rill-chat demo model**, so here is a demo answer that shows how a reply streams in.")
    };
    let images = match ask.images {
        0 => String::new(),
        1 => "\n\nYou also attached **one image**; a real vision model would describe it here."
            .to_owned(),
        n => format!(
            "\n\nYou also attached **{n} images**; a real vision model would describe them here."
        ),
    };
    format!(
        "## About \"{q}\"\n\n{opening}{images}\n\n\
         ### What happens when you send a message\n\n\
         1. The element builds a request for `{model}` and sends it with `fetch`.\n\
         2. The reply arrives as **server-sent events**, a few characters at a time.\n\
         3. Each event is parsed in WebAssembly and appended to this bubble.\n\n\
         - Press **Esc** to stop a reply.\n\
         - Use `Shift+Enter` for a new line.\n\n\
         | Your message | Value |\n\
         |---|---:|\n\
         | Words | {words} |\n\
         | Characters | {chars} |\n\
         | Turns so far | {turns} |\n\n\
         ```js\n\
         const client = new ChatClient({{ endpoint: '/v1/chat/completions', model: '{model}' }});\n\
         const reply = await client.complete({{ messages: [{{ role: 'user', content: 'hello' }}] }});\n\
         ```\n\n\
         To talk to a real model, start the devserver with `AIMLAPI_KEY` set; read the [AI/ML API docs](https://docs.aimlapi.com/) \
         or the [CommonMark spec](https://spec.commonmark.org/) to see what else can be rendered.",
        model = ask.model,
        chars = ask.last_user.chars().count(),
        turns = ask.turns,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_matches_the_real_apis() {
        assert_eq!(
            validate(Api::Chat, b"{}").unwrap_err().0,
            "Body validation error! model: Required"
        );
        assert_eq!(
            validate(Api::Chat, br#"{"model":"m"}"#).unwrap_err().0,
            "Body validation error! messages: Required"
        );
        assert!(validate(
            Api::Messages,
            br#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#
        )
        .is_err());
        assert!(validate(Api::Chat, br#"{"model":"claude-x","temperature":1.5,"messages":[{"role":"user","content":"hi"}]}"#).is_err());
        assert!(validate(Api::Chat, br#"{"model":"m","max_tokens":1500,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[{"role":"user","content":"hi"}]}"#).is_err());
        let ask = validate(Api::Chat, br#"{"model":"m","stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"hello"},{"type":"image_url","image_url":{"url":"data:x"}}]}]}"#).unwrap();
        assert_eq!(
            (ask.last_user.as_str(), ask.images, ask.stream),
            ("hello", 1, true)
        );
    }

    #[test]
    fn answer_refers_to_the_message_and_tokens_rejoin() {
        let ask = validate(
            Api::Chat,
            br#"{"model":"m","messages":[{"role":"user","content":"How do *tides* work?"}]}"#,
        )
        .unwrap();
        let a = answer(&ask);
        let text = a.text();
        assert!(text.contains("How do tides work?"), "{text}");
        assert!(
            text.contains("|---|---:|") && text.contains("```js") && text.contains("](https://")
        );
        assert!(a.output_tokens() > 100);
        assert_eq!(tokenize(&text).concat(), text);
    }

    #[test]
    fn max_tokens_truncates_and_thinking_adds_reasoning() {
        let ask = validate(Api::Chat, br#"{"model":"m","max_tokens":5000,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}]}"#).unwrap();
        let a = answer(&ask);
        assert!(!a.reasoning().is_empty() && !a.truncated);
        let ask = Ask {
            max_tokens: Some(10),
            ..ask
        };
        let a = answer(&ask);
        assert!(a.truncated && a.output_tokens() == 10);
    }

    #[test]
    fn a_prefilled_reply_is_continued_where_it_was_cut() {
        let whole = answer(
            &validate(
                Api::Messages,
                br#"{"model":"m","max_tokens":4000,"messages":[{"role":"user","content":"hi"}]}"#,
            )
            .unwrap(),
        )
        .text();
        let cut: String = whole.chars().take(200).collect();
        let cut = cut.trim_end();
        let body = serde_json::json!({"model":"m","max_tokens":4000,"messages":[
            {"role":"user","content":"hi"},{"role":"assistant","content":cut}]});
        let ask = validate(Api::Messages, body.to_string().as_bytes()).unwrap();
        assert_eq!(format!("{cut}{}", answer(&ask).text()), whole);
        let trailing = serde_json::json!({"model":"m","max_tokens":4000,"messages":[
            {"role":"user","content":"hi"},{"role":"assistant","content":"Hello "}]});
        let err = validate(Api::Messages, trailing.to_string().as_bytes()).unwrap_err();
        assert!(err.0.contains("trailing whitespace"), "{err:?}");
    }
}
