//! The options of `new ChatClient({...})`, validated up front so a mistake is a clear
//! `config` error on the page instead of a 400 from the provider after a round trip.

use crate::prelude::*;

use crate::json::decimal;

use super::Provider;
use crate::error::ChatError;
use crate::json::Json;

/// A tool the model may call; the JS `handler` stays in JS.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: String,
    pub description: Option<String>,
    /// JSON Schema of the arguments (`parameters` / `input_schema`), as its JSON text: it is
    /// only ever written into requests (`Json::Raw`).
    pub parameters: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolChoice {
    Auto,
    None,
    /// The model must call some tool (`required` / Anthropic `any`).
    Any,
    Tool(String),
}

/// How tools are written in a chat-completions request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ToolFormat {
    /// `{type: "function", function: {name, description, parameters}}`
    #[default]
    OpenAi,
    /// `{name, description, input_schema}`, which the AI/ML API's Claude schema documents.
    Anthropic,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatOptions {
    pub endpoint: String,
    pub provider: Provider,
    pub api_key: Option<String>,
    pub headers: Vec<(String, String)>,
    pub model: String,
    pub max_tokens: Option<u64>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub top_k: Option<u64>,
    pub stop_sequences: Vec<String>,
    pub frequency_penalty: Option<f64>,
    pub system: Option<String>,
    pub metadata: Option<Json>,
    pub thinking_budget: Option<u64>,
    pub tools: Vec<ToolSpec>,
    pub tool_choice: Option<ToolChoice>,
    pub tool_format: ToolFormat,
    /// Ask chat-completions servers for a usage chunk (`stream_options.include_usage`).
    pub include_usage: bool,
    /// Request sent → response headers.
    pub timeout_ms: u64,
    /// Longest silence while the body streams.
    pub idle_timeout_ms: u64,
    /// Extra attempts for retryable failures before any body byte arrived.
    pub retries: u32,
    /// Rounds of tool calls answered automatically before the reply is returned as is.
    pub max_tool_rounds: u32,
}

/// Headers can arrive before a long thinking phase ends, so the first wait is generous.
pub const DEFAULT_TIMEOUT_MS: u64 = 120_000;
pub const DEFAULT_IDLE_TIMEOUT_MS: u64 = 60_000;
pub const DEFAULT_RETRIES: u32 = 2;
pub const DEFAULT_MAX_TOOL_ROUNDS: u32 = 8;
/// `max_tokens` when thinking is on and the page set none: the budget plus room to answer.
pub const ANSWER_ROOM_TOKENS: u64 = 4096;

/// The options every page may set: read by the first module. Space-separated words rather
/// than a table of `&str`s, whose pointers compress poorly.
const BASIC: &str = concat!(
    "endpoint provider apiKey headers model maxTokens temperature topP topK stopSequences ",
    "frequencyPenalty system includeUsage timeoutMs idleTimeoutMs retries tools",
);

/// The options of extended thinking, how tools are chosen and written, and `metadata`: read
/// by the second module (`split.rs`), fetched before the first request of a page that sets
/// them (`needs_extra`). Thinking brings reasoning, which that module draws anyway; the
/// others are rare. `tools` stays here: a page that offers tools gets plain replies too.
const ADVANCED: &str = "metadata thinking toolChoice toolFormat maxToolRounds";

fn cfg(msg: impl Into<String>) -> ChatError {
    ChatError::config(msg)
}

/// Whether a model id names Claude (temperature 0..1, top-level system, …).
pub fn is_claude(model: &str) -> bool {
    find_str(&model.to_ascii_lowercase(), "claude").is_some()
}

impl ChatOptions {
    /// Reads and checks the camelCase options object.
    pub fn from_json(v: &Json) -> Result<ChatOptions, ChatError> {
        let Json::Obj(members) = v else {
            return Err(cfg("options must be an object"));
        };
        let advanced = Self::sets_advanced(v);
        if advanced {
            if !crate::split::loaded() {
                return Err(ChatError::new(
                    crate::error::ErrorKind::Network,
                    "rill-chat has not loaded the part of itself that reads tools and thinking \
                     (rill_chat_extra.wasm)",
                ));
            }
            unknown_keys(members)?;
        }
        let endpoint = v
            .str_field("endpoint")
            .ok_or_else(|| cfg("'endpoint' is required"))?;
        check_endpoint(endpoint)?;
        let provider = Provider::resolve(v.str_field("provider"), endpoint)?;
        let model = v
            .str_field("model")
            .ok_or_else(|| cfg("'model' is required, e.g. 'anthropic/claude-sonnet-4'"))?
            .to_owned();
        let claude = provider == Provider::Anthropic || is_claude(&model);

        // Built first and filled in: an error on any field then drops one struct, instead of
        // each early return dropping the fields read before it (a cleanup path per field).
        let mut o = ChatOptions {
            endpoint: endpoint.to_owned(),
            provider,
            api_key: v.str_field("apiKey").map(str::to_owned),
            headers: Vec::new(),
            model,
            max_tokens: None,
            temperature: None,
            top_p: None,
            top_k: None,
            stop_sequences: Vec::new(),
            frequency_penalty: None,
            system: v.str_field("system").map(str::to_owned),
            metadata: None,
            thinking_budget: None,
            tools: Vec::new(),
            tool_choice: None,
            tool_format: ToolFormat::OpenAi,
            include_usage: v
                .get("includeUsage")
                .and_then(Json::as_bool)
                .unwrap_or(true),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            idle_timeout_ms: DEFAULT_IDLE_TIMEOUT_MS,
            retries: DEFAULT_RETRIES,
            max_tool_rounds: DEFAULT_MAX_TOOL_ROUNDS,
        };
        o.headers = string_map(v.get("headers"), "headers")?;
        o.max_tokens = integer(v, "maxTokens", 1, u64::MAX)?;
        o.temperature = number(v, "temperature", 0.0, if claude { 1.0 } else { 2.0 })?;
        o.top_p = number(v, "topP", 0.0, 1.0)?;
        o.top_k = integer(v, "topK", 0, u64::MAX)?;
        o.stop_sequences = strings(v.get("stopSequences"))?;
        o.frequency_penalty = number(v, "frequencyPenalty", -2.0, 2.0)?;
        if let Some(n) = integer(v, "timeoutMs", 1, u64::MAX)? {
            o.timeout_ms = n;
        }
        if let Some(n) = integer(v, "idleTimeoutMs", 1, u64::MAX)? {
            o.idle_timeout_ms = n;
        }
        if let Some(n) = integer(v, "retries", 0, 10)? {
            o.retries = n as u32;
        }
        o.tools = tools(v.get("tools"))?;
        if advanced {
            read_advanced(v, &mut o)?;
        }
        Ok(o)
    }

    /// Whether reading `v` needs the second module: it sets an option the first module does
    /// not read, or it is wrong, and the full message (a range, a "did you mean") is written
    /// there.
    pub fn needs_extra(v: &Json) -> bool {
        Self::sets_advanced(v) || Self::from_json(v).is_err()
    }

    /// Whether `v` sets an option the first module does not read (an advanced one, or a name
    /// we do not know, whose "did you mean" is in the second module too).
    fn sets_advanced(v: &Json) -> bool {
        let Json::Obj(members) = v else {
            return false;
        };
        members.iter().any(|(key, value)| {
            let advanced = listed(ADVANCED, key);
            let basic = listed(BASIC, key);
            let unset = advanced && value.is_null();
            !(basic || unset)
        })
    }

    /// Whether an option only the second module reads is set (`ADVANCED`): the request's
    /// fields for them are written there too.
    pub fn has_advanced(&self) -> bool {
        self.metadata.is_some()
            || self.thinking_budget.is_some()
            || self.tool_choice.is_some()
            || self.tool_format != ToolFormat::OpenAi
    }

    /// `max_tokens` to send: the page's, or enough for the thinking budget plus an answer.
    pub fn effective_max_tokens(&self) -> Option<u64> {
        self.max_tokens
            .or(self.thinking_budget.map(|b| b + ANSWER_ROOM_TOKENS))
    }
}

crate::lazy!("a1000000000000000000000000000004" fn unknown_keys(members: &[(String, Json)]) -> Result<(), ChatError> {
    for (key, _) in members {
        if !listed(BASIC, key) && !listed(ADVANCED, key) {
            let plain = replace_byte(key, b'_', "");
            let hint = split_byte(BASIC, b' ')
                .chain(split_byte(ADVANCED, b' '))
                .find(|k| k.eq_ignore_ascii_case(&plain));
            return Err(cfg(match hint {
                Some(h) => cat(&["unknown option '", key, "' (did you mean '", h, "'?)"]),
                None => cat(&["unknown option '", key, "'"]),
            }));
        }
    }
    Ok(())
});

crate::lazy!("a1000000000000000000000000000005" fn read_advanced(v: &Json, o: &mut ChatOptions) -> Result<(), ChatError> {
    o.metadata = match v.get("metadata") {
        None | Some(Json::Null) => None,
        Some(m @ Json::Obj(_)) => Some(m.clone()),
        Some(_) => return Err(cfg("'metadata' must be an object")),
    };
    o.tool_choice = tool_choice(v.get("toolChoice"))?;
    o.tool_format = match v.str_field("toolFormat") {
        None | Some("openai") => ToolFormat::OpenAi,
        Some("anthropic") => ToolFormat::Anthropic,
        Some(other) => {
            return Err(cfg(cat(&[
                "'toolFormat' must be 'openai' or 'anthropic', got '",
                other,
                "'",
            ])))
        }
    };
    if let Some(n) = integer(v, "maxToolRounds", 0, 100)? {
        o.max_tool_rounds = n as u32;
    }
    if let Some(t) = v.get("thinking").filter(|t| !t.is_null()) {
        o.thinking_budget = Some(thinking(t, o)?);
    }
    if let Some(ToolChoice::Tool(name)) = &o.tool_choice {
        if !o.tools.iter().any(|t| &t.name == name) {
            return Err(cfg(cat(&[
                "'toolChoice' names '",
                name,
                "', which is not in 'tools'",
            ])));
        }
    }
    Ok(())
});

/// An absolute http(s) URL or a path on the page's origin; anything else is a typo.
fn check_endpoint(endpoint: &str) -> Result<(), ChatError> {
    let lower = endpoint.to_ascii_lowercase();
    let ok = if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        !rest.is_empty() && !rest.starts_with("/")
    } else {
        endpoint.starts_with("/") || endpoint.starts_with("./") || endpoint.starts_with("../")
    };
    if ok && !endpoint.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        Err(cfg(cat(&[
            "'endpoint' must be an http(s) URL or a path starting with '/', got '",
            endpoint,
            "'",
        ])))
    }
}

fn number(v: &Json, key: &str, min: f64, max: f64) -> Result<Option<f64>, ChatError> {
    match v.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Num(n)) if (min..=max).contains(n) => Ok(Some(*n)),
        // A page's mistake, whose message the second module writes: the element loads it
        // before reading wrong options (`needs_extra`), and the JS API is in it.
        Some(Json::Num(n)) if crate::split::loaded() => Err(out_of_range(key, min, max, *n)),
        Some(Json::Num(_)) => Err(cfg(cat(&["'", key, "' is out of range"]))),
        Some(_) => Err(cfg(cat(&["'", key, "' must be a number"]))),
    }
}

crate::lazy!("a1000000000000000000000000000009" fn out_of_range(key: &str, min: f64, max: f64, n: f64) -> ChatError {
    cfg(cat(&[
        "'",
        key,
        "' must be between ",
        &Json::Num(min).text(),
        " and ",
        &Json::Num(max).text(),
        if key == "temperature" && max == 1.0 {
            " for Claude models"
        } else {
            ""
        },
        ", got ",
        &Json::Num(n).text(),
    ]))
});

fn integer(v: &Json, key: &str, min: u64, max: u64) -> Result<Option<u64>, ChatError> {
    match number(v, key, min as f64, max as f64)? {
        None => Ok(None),
        Some(n) if crate::json::float::fract(n) == 0.0 => Ok(Some(n as u64)),
        Some(_) => Err(cfg(cat(&["'", key, "' must be a whole number"]))),
    }
}

fn strings(v: Option<&Json>) -> Result<Vec<String>, ChatError> {
    match v {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Str(s)) => Ok(vec![s.clone()]),
        Some(Json::Arr(items)) => {
            let mut out = Vec::new();
            for i in items {
                let Some(s) = i.as_str() else {
                    return Err(cfg("'stopSequences' must hold strings"));
                };
                out.push(s.to_owned());
            }
            Ok(out)
        }
        Some(_) => Err(cfg("'stopSequences' must be an array of strings")),
    }
}

fn string_map(v: Option<&Json>, key: &str) -> Result<Vec<(String, String)>, ChatError> {
    match v {
        None | Some(Json::Null) => Ok(Vec::new()),
        // Loops rather than a collect into a `Result`: its adapter is code of its own per use.
        Some(Json::Obj(members)) => {
            let mut out = Vec::new();
            for (k, val) in members {
                let Some(s) = val.as_str() else {
                    return Err(cfg(cat(&["'", key, ".", k, "' must be a string"])));
                };
                out.push((k.clone(), s.to_owned()));
            }
            Ok(out)
        }
        Some(_) => Err(cfg(cat(&["'", key, "' must be an object of strings"]))),
    }
}

fn thinking(t: &Json, o: &ChatOptions) -> Result<u64, ChatError> {
    let budget = t
        .get("budgetTokens")
        .or(t.get("budget_tokens"))
        .and_then(Json::as_f64);
    let budget = match budget {
        Some(b) if crate::json::float::fract(b) == 0.0 && b >= 1024.0 => b as u64,
        _ => {
            return Err(cfg(
                "'thinking.budgetTokens' must be a whole number of at least 1024",
            ))
        }
    };
    if let Some(max) = o.max_tokens {
        if budget >= max {
            return Err(cfg(cat(&[
                "'thinking.budgetTokens' (",
                &decimal(budget),
                ") must be less than 'maxTokens' (",
                &decimal(max),
                ")",
            ])));
        }
    }
    // Anthropic: thinking is incompatible with temperature/top_k changes and forced tool use.
    if o.temperature.is_some_and(|t| t != 1.0) {
        return Err(cfg(
            "with 'thinking', 'temperature' must be left unset (or 1)",
        ));
    }
    if o.top_k.is_some() {
        return Err(cfg("with 'thinking', 'topK' must be left unset"));
    }
    if matches!(o.tool_choice, Some(ToolChoice::Any | ToolChoice::Tool(_))) {
        return Err(cfg(
            "with 'thinking', 'toolChoice' can only be 'auto' or 'none'",
        ));
    }
    Ok(budget)
}

fn tools(v: Option<&Json>) -> Result<Vec<ToolSpec>, ChatError> {
    let items = match v {
        None | Some(Json::Null) => return Ok(Vec::new()),
        Some(Json::Arr(items)) => items,
        Some(_) => return Err(cfg("'tools' must be an array")),
    };
    let mut out: Vec<ToolSpec> = Vec::new();
    for tool in items {
        // Accept our shape, OpenAI's {type:'function', function:{…}} and Anthropic's input_schema.
        let t = tool.get("function").unwrap_or(tool);
        let name = t
            .str_field("name")
            .ok_or_else(|| cfg("every tool needs a 'name'"))?;
        if name.len() > 64
            || !name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            return Err(cfg(cat(&[
                "tool name '",
                name,
                "' must be 1-64 letters, digits, '_' or '-'",
            ])));
        }
        if out.iter().any(|o| o.name == name) {
            return Err(cfg(cat(&["two tools are named '", name, "'"])));
        }
        let parameters = match t.get("parameters").or(t.get("input_schema")) {
            None | Some(Json::Null) => r#"{"type":"object","properties":{}}"#.to_owned(),
            Some(p @ Json::Obj(_)) => p.text(),
            Some(_) => {
                return Err(cfg(cat(&[
                    "tool '",
                    name,
                    "': 'parameters' must be a JSON Schema object",
                ])))
            }
        };
        out.push(ToolSpec {
            name: name.to_owned(),
            description: t.str_field("description").map(str::to_owned),
            parameters,
        });
    }
    Ok(out)
}

fn tool_choice(v: Option<&Json>) -> Result<Option<ToolChoice>, ChatError> {
    Ok(Some(match v {
        None | Some(Json::Null) => return Ok(None),
        Some(Json::Str(s)) => match s.as_str() {
            "auto" => ToolChoice::Auto,
            "none" => ToolChoice::None,
            "required" | "any" => ToolChoice::Any,
            other => {
                return Err(cfg(cat(&[
                    "'toolChoice' must be 'auto', 'none', 'required' or {name}, got '",
                    other,
                    "'",
                ])))
            }
        },
        Some(obj) => {
            let name = obj
                .str_field("name")
                .or_else(|| obj.get("function").and_then(|f| f.str_field("name")));
            ToolChoice::Tool(
                name.ok_or_else(|| cfg("'toolChoice' object needs a tool 'name'"))?
                    .to_owned(),
            )
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(extra: &str) -> Result<ChatOptions, ChatError> {
        let text = format!(
            r#"{{"endpoint":"https://api.aimlapi.com/v1/chat/completions","model":"anthropic/claude-sonnet-4"{extra}}}"#
        );
        ChatOptions::from_json(&Json::parse(&text).unwrap())
    }

    #[test]
    fn defaults_and_a_full_set() {
        let o = opts("").unwrap();
        assert_eq!(
            (o.provider, o.retries, o.include_usage, o.timeout_ms),
            (Provider::OpenAi, 2, true, DEFAULT_TIMEOUT_MS)
        );
        let o = opts(
            r#","maxTokens":4000,"temperature":0.7,"topP":0.9,"stopSequences":["END"],"frequencyPenalty":0.5,"metadata":{"user_id":"u1"},"thinking":{"budgetTokens":2048},"tools":[{"name":"get_time","description":"Now","parameters":{"type":"object"}}],"toolChoice":"auto""#,
        );
        assert_eq!(
            o.unwrap_err().message,
            "with 'thinking', 'temperature' must be left unset (or 1)"
        );
        let o = opts(
            r#","maxTokens":4000,"topP":0.9,"stopSequences":"END","thinking":{"budgetTokens":2048},"tools":[{"type":"function","function":{"name":"get_time"}}],"toolChoice":{"name":"get_time"}"#,
        );
        assert_eq!(
            o.unwrap_err().message,
            "with 'thinking', 'toolChoice' can only be 'auto' or 'none'"
        );
        let o = opts(r#","thinking":{"budgetTokens":2048},"tools":[{"name":"get_time","input_schema":{"type":"object"}}]"#).unwrap();
        assert_eq!(
            (o.thinking_budget, o.effective_max_tokens()),
            (Some(2048), Some(2048 + ANSWER_ROOM_TOKENS))
        );
    }

    #[test]
    fn mistakes_are_config_errors_that_say_what_to_fix() {
        let msg = |extra: &str| opts(extra).unwrap_err().message.clone();
        assert_eq!(
            msg(r#","temperature":1.5"#),
            "'temperature' must be between 0 and 1 for Claude models, got 1.5"
        );
        assert_eq!(
            msg(r#","maxTokens":2048,"thinking":{"budgetTokens":2048}"#),
            "'thinking.budgetTokens' (2048) must be less than 'maxTokens' (2048)"
        );
        assert_eq!(
            msg(r#","thinking":{"budgetTokens":512}"#),
            "'thinking.budgetTokens' must be a whole number of at least 1024"
        );
        assert_eq!(
            msg(r#","max_tokens":5"#),
            "unknown option 'max_tokens' (did you mean 'maxTokens'?)"
        );
        assert_eq!(
            msg(r#","toolChoice":{"name":"nope"}"#),
            "'toolChoice' names 'nope', which is not in 'tools'"
        );
        assert!(msg(r#","tools":[{"name":"bad name"}]"#).contains("must be 1-64"));
        assert!(msg(r#","retries":11"#).contains("'retries' must be between 0 and 10"));
        let bad = ChatOptions::from_json(
            &Json::parse(r#"{"endpoint":"api.aimlapi.com/v1/chat/completions","model":"m"}"#)
                .unwrap(),
        );
        assert!(bad
            .unwrap_err()
            .message
            .starts_with("'endpoint' must be an http(s) URL"));
        let gpt = ChatOptions::from_json(
            &Json::parse(
                r#"{"endpoint":"/v1/chat/completions","model":"gpt-4o","temperature":1.5}"#,
            )
            .unwrap(),
        );
        assert_eq!(
            gpt.unwrap().temperature,
            Some(1.5),
            "non-Claude models allow up to 2"
        );
    }
}
