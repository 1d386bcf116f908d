//! Error objects of every shape seen in the wild (OpenAI, AI/ML API, Anthropic, TGI's string,
//! vLLM's unwrapped one) become one `ChatError` that carries the provider's own message, so
//! the user reads "You've run out of credits…" instead of "HTTP 403" — whether the object
//! came as an HTTP error body or inside the stream.

use crate::prelude::*;

use crate::json::decimal;

use crate::error::{ChatError, ErrorKind, Failure};
use crate::json::Json;

/// Longest piece of a non-JSON error body shown to the user (HTML error pages are long).
const MAX_RAW_MESSAGE: usize = 300;

crate::lazy!(
/// An HTTP error response as the provider explained it. In the second module (`split.rs`):
/// no first reply needs it, and the transport falls back to `plain_http_error`.
"a6000000000000000000000000000001" pub fn error_from_http(
    status: u16,
    body: &str,
    request_id: Option<&str>,
    retry_after: Option<&str>,
) -> ChatError {
    let parsed = Json::parse(body).ok();
    let (message, code, body_request_id) = match &parsed {
        Some(v) => from_json(v),
        None => (None, None, None),
    };
    let message = message.unwrap_or_else(|| {
        let raw = body.trim_ascii();
        if raw.is_empty() || parsed.is_some() {
            cat(&["HTTP ", &decimal(status.into()), " ", reason_phrase(status)])
        } else {
            cat(&["HTTP ", &decimal(status.into()), ": ", clip(raw, MAX_RAW_MESSAGE)])
        }
    });
    ChatError::from(Failure {
        kind: ErrorKind::Http,
        message,
        status: Some(status),
        code,
        retry_after_ms: retry_after.and_then(parse_retry_after),
        request_id: body_request_id.or_else(|| request_id.map(str::to_owned)),
    })
});

/// What `error_from_http` says when the second module cannot be fetched: the status alone.
pub fn plain_http_error(status: u16, request_id: Option<&str>) -> ChatError {
    ChatError::from(Failure {
        kind: ErrorKind::Http,
        message: cat(&["HTTP ", &decimal(status.into()), " ", reason_phrase(status)]),
        status: Some(status),
        code: None,
        retry_after_ms: None,
        request_id: request_id.map(str::to_owned),
    })
}

/// An error the provider sent inside a stream (or as the JSON body of a 200).
pub fn error_in_stream(v: &Json) -> ChatError {
    let (message, code, request_id) = from_json(v);
    let message = message.unwrap_or_else(|| "the provider reported an error in the stream".into());
    let mut err = ChatError::new(ErrorKind::Stream, message).with_code(code);
    err.request_id = request_id;
    err
}

/// (message, code, request id) from whichever shape the body has.
fn from_json(v: &Json) -> (Option<String>, Option<String>, Option<String>) {
    let text = |j: Option<&Json>, k: &str| j.and_then(|j| j.str_field(k)).map(str::to_owned);
    let request_id = text(Some(v), "request_id").or_else(|| text(Some(v), "requestId"));
    match v.get("error") {
        // OpenAI and Anthropic nest the details under `error`.
        Some(err @ Json::Obj(_)) => {
            let code = err.get("code").and_then(|c| {
                c.as_str()
                    .map(str::to_owned)
                    .or_else(|| c.as_u64().map(decimal))
            });
            (
                text(Some(err), "message"),
                code.or_else(|| text(Some(err), "type")),
                request_id,
            )
        }
        Some(Json::Str(s)) if !s.is_empty() => (Some(s.clone()), None, request_id),
        // The AI/ML API puts `message` at the top level next to `statusCode`; vLLM before
        // 0.7 sent its ErrorResponse unwrapped, with `code`.
        _ => {
            let code = v
                .get("statusCode")
                .or_else(|| v.get("code"))
                .and_then(Json::as_u64)
                .map(decimal);
            (text(Some(v), "message"), code, request_id)
        }
    }
}

/// `Retry-After` as delay-seconds; an HTTP-date is not used (the clock may be off).
fn parse_retry_after(value: &str) -> Option<u64> {
    // Read as JSON number text: our own parser, not core's float parser (wasm size).
    let secs = Json::parse(value.trim_ascii()).ok()?.as_f64()?;
    (secs.is_finite() && secs >= 0.0).then_some((secs * 1000.0) as u64)
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        529 => "Overloaded",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_three_shapes() {
        let e = error_from_http(
            429,
            r#"{"error":{"message":"slow down","type":"throttling_error","param":null,"code":"429"}}"#,
            Some("r1"),
            Some("3"),
        );
        assert_eq!(
            (
                e.message.as_str(),
                e.code.as_deref(),
                e.retry_after_ms,
                e.request_id.as_deref()
            ),
            ("slow down", Some("429"), Some(3000), Some("r1"))
        );
        let e = error_from_http(
            403,
            r#"{"message":"You've run out of credits.","path":"/v1/chat/completions","requestId":"798b","statusCode":"403","timestamp":"x"}"#,
            None,
            None,
        );
        assert_eq!(
            (
                e.message.as_str(),
                e.code.as_deref(),
                e.request_id.as_deref()
            ),
            ("You've run out of credits.", Some("403"), Some("798b"))
        );
        let e = error_from_http(
            529,
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#,
            None,
            None,
        );
        assert_eq!(
            (
                e.message.as_str(),
                e.code.as_deref(),
                e.request_id.as_deref()
            ),
            ("Overloaded", Some("overloaded_error"), Some("req_1"))
        );
    }

    #[test]
    fn non_json_bodies_still_read_well() {
        assert_eq!(
            error_from_http(502, "", None, None).message,
            "HTTP 502 Bad Gateway"
        );
        assert_eq!(
            error_from_http(500, "Internal Server Error", None, None).message,
            "HTTP 500: Internal Server Error"
        );
        assert_eq!(
            error_from_http(404, "{}", None, None).message,
            "HTTP 404 Not Found"
        );
    }
}
