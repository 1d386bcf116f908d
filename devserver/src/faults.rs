//! Fault injection, chosen per request with the `x-rill-fault` header or a reserved model
//! name `rill-fault/<spec>`, so every client test can ask for exactly the failure it needs.
//! A spec is a comma-separated list, e.g. `http-429`, `cut`, `crlf,one-byte`, `stall-5`,
//! `slow-head-3`, `fixture-anthropic-text`, `script`.

use crate::model::Api;
use serde_json::{json, Value};

/// HTTP statuses the fault `http-<status>` can answer with.
pub const STATUSES: [u16; 10] = [400, 401, 403, 404, 429, 500, 502, 503, 504, 529];

/// Which error body shape an HTTP fault uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `{message, path, requestId, statusCode, timestamp}`
    AimlApi,
    /// `{error: {message, type, param, code}}` (OpenAI, LiteLLM)
    OpenAi,
    /// `{type: "error", error: {type, message}, request_id}`
    Anthropic,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    pub http: Option<(u16, Option<Shape>)>,
    /// End the body after half the content, before the provider's end marker.
    pub cut: bool,
    /// Send the provider's in-stream error after half the content.
    pub stream_error: bool,
    /// Corrupt the JSON of one content chunk.
    pub malformed: bool,
    /// Hold the response head back this many seconds.
    pub slow_head_secs: Option<u64>,
    /// Send nothing for this many seconds after the first few tokens.
    pub stall_secs: Option<u64>,
    pub line_ending: LineEnding,
    /// Write the body one byte per chunk.
    pub one_byte: bool,
    /// Send one `data:` line of this many MiB before the answer.
    pub giant_line_mib: Option<u64>,
    /// Serve `<fixtures>/<name>.sse` as the body.
    pub fixture: Option<String>,
    /// The last user message is a JSON script of the reply (see `script.rs`).
    pub script: bool,
    /// `once-<token>`: the HTTP fault applies only to the first request carrying the token
    /// (a retry then succeeds).
    pub once: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LineEnding {
    #[default]
    Lf,
    CrLf,
    Cr,
}

impl Faults {
    /// Parses a fault spec; unknown names are an error so a typo never silently passes.
    pub fn parse(spec: &str) -> Result<Faults, String> {
        let mut f = Faults::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let number = |prefix: &str| {
                item.strip_prefix(prefix)
                    .and_then(|n| n.parse::<u64>().ok())
            };
            match item {
                "cut" => f.cut = true,
                "stream-error" => f.stream_error = true,
                "malformed" => f.malformed = true,
                "script" => f.script = true,
                "stall" => f.stall_secs = Some(30),
                "crlf" => f.line_ending = LineEnding::CrLf,
                "cr" => f.line_ending = LineEnding::Cr,
                "one-byte" => f.one_byte = true,
                "giant-line" => f.giant_line_mib = Some(16),
                _ if item.starts_with("http-") => f.http = Some(parse_http(item)?),
                _ if number("stall-").is_some() => f.stall_secs = number("stall-"),
                _ if number("slow-head-").is_some() => f.slow_head_secs = number("slow-head-"),
                _ if number("giant-line-").is_some() => {
                    f.giant_line_mib = number("giant-line-").map(|n| n.clamp(1, 512))
                }
                _ if item.starts_with("once-") && item.len() > 5 => {
                    f.once = Some(item[5..].to_owned())
                }
                _ if item.starts_with("fixture-") => {
                    let name = &item["fixture-".len()..];
                    if name.is_empty()
                        || !name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
                        || name.contains("..")
                    {
                        return Err(format!("bad fixture name '{name}'"));
                    }
                    f.fixture = Some(name.trim_end_matches(".sse").to_owned());
                }
                _ => return Err(format!("unknown fault '{item}'")),
            }
        }
        Ok(f)
    }
}

/// `http-429`, `http-429-openai`, `http-529-anthropic`, `http-403-aimlapi`.
fn parse_http(item: &str) -> Result<(u16, Option<Shape>), String> {
    let mut parts = item["http-".len()..].splitn(2, '-');
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad fault '{item}'"))?;
    if !STATUSES.contains(&status) {
        return Err(format!(
            "fault '{item}': status must be one of {STATUSES:?}"
        ));
    }
    let shape = match parts.next() {
        None => None,
        Some("aimlapi") => Some(Shape::AimlApi),
        Some("openai") => Some(Shape::OpenAi),
        Some("anthropic") => Some(Shape::Anthropic),
        Some(other) => return Err(format!("fault '{item}': unknown body shape '{other}'")),
    };
    Ok((status, shape))
}

/// The body each API sends for `status`, in the wording its docs list.
pub fn error_body(
    status: u16,
    shape: Option<Shape>,
    api: Api,
    path: &str,
    request_id: &str,
) -> Value {
    let shape = shape.unwrap_or(match api {
        Api::Chat => Shape::AimlApi,
        Api::Messages => Shape::Anthropic,
    });
    let (aiml_message, openai_type, anthropic_type, anthropic_message) = match status {
        400 => ("Body validation error!", "invalid_request_error", "invalid_request_error", "messages: Field required"),
        401 => ("This request requires a valid API key. You can create a new API key on the Billing page: https://aimlapi.com/app/keys", "authentication_error", "authentication_error", "invalid x-api-key"),
        403 => ("You've run out of credits. Please top up your balance or update your payment method to continue: https://aimlapi.com/app/billing/", "permission_error", "permission_error", "Your API key does not have permission to use the specified resource."),
        404 => ("Not Found", "not_found_error", "not_found_error", "The requested resource could not be found."),
        429 => ("Too Many Requests", "throttling_error", "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit."),
        500 => ("Internal server error", "api_error", "api_error", "Internal server error"),
        502 => ("Bad Gateway", "api_error", "api_error", "Bad Gateway"),
        503 => ("Service unavailable", "api_error", "api_error", "Service unavailable"),
        504 => ("Generation timeout", "timeout_error", "timeout_error", "Generation timeout"),
        _ => ("Overloaded", "overloaded_error", "overloaded_error", "Overloaded"),
    };
    match shape {
        Shape::AimlApi => json!({"message": aiml_message, "path": path, "requestId": request_id,
                                 "statusCode": status, "timestamp": timestamp()}),
        Shape::OpenAi => {
            json!({"error": {"message": format!("{aiml_message} (demo fault http-{status})"),
                                          "type": openai_type, "param": null, "code": status.to_string()}})
        }
        Shape::Anthropic => {
            json!({"type": "error", "error": {"type": anthropic_type, "message": anthropic_message},
                                   "request_id": request_id})
        }
    }
}

/// RFC 3339 UTC time, as the AI/ML API stamps its errors (no date crate needed).
fn timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_typos_fail() {
        assert_eq!(
            Faults::parse("http-429,once-t1").unwrap().once.as_deref(),
            Some("t1")
        );
        let f = Faults::parse("crlf, one-byte,stall-3").unwrap();
        assert_eq!(
            (f.line_ending, f.one_byte, f.stall_secs),
            (LineEnding::CrLf, true, Some(3))
        );
        assert_eq!(
            Faults::parse("http-429-openai").unwrap().http,
            Some((429, Some(Shape::OpenAi)))
        );
        assert_eq!(
            Faults::parse("fixture-anthropic-text.sse")
                .unwrap()
                .fixture
                .as_deref(),
            Some("anthropic-text")
        );
        for bad in [
            "http-418",
            "http-429-xml",
            "cutt",
            "fixture-../x",
            "fixture-a/b",
        ] {
            assert!(Faults::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bodies_have_the_documented_shapes() {
        let b = error_body(429, None, Api::Chat, "/v1/chat/completions", "r1");
        assert_eq!(
            (b["message"].as_str(), b["statusCode"].as_u64()),
            (Some("Too Many Requests"), Some(429))
        );
        assert!(b["timestamp"].as_str().unwrap().ends_with('Z'));
        let b = error_body(529, None, Api::Messages, "/v1/messages", "r1");
        assert_eq!(b["error"]["type"], "overloaded_error");
        let b = error_body(401, Some(Shape::OpenAi), Api::Chat, "/", "r1");
        assert_eq!(b["error"]["code"], "401");
    }
}
