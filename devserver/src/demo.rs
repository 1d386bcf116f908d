//! The `/v1/chat/completions` and `/v1/messages` handlers of the offline demo model: request
//! validation, fault selection, and a body paced like a real model (time to first token,
//! tokens per second), with the requested faults applied to the bytes on the wire.

use crate::faults::{error_body, Faults, LineEnding};
use crate::model::{self, Api};
use crate::script::Script;
use crate::wire::{self, Event, Stage};
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How fast the demo model "thinks" and "types".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub ttft: Duration,
    pub per_token: Duration,
}

impl Pace {
    /// Claude 3.5 Sonnet as measured by Artificial Analysis: ~0.6 s to first token, ~56 tokens/s.
    pub const REAL: Pace = Pace {
        ttft: Duration::from_millis(600),
        per_token: Duration::from_micros(17_857),
    };
    pub const INSTANT: Pace = Pace {
        ttft: Duration::ZERO,
        per_token: Duration::ZERO,
    };

    pub fn new(ttft_ms: u64, tokens_per_sec: f64) -> Pace {
        let per_token = if tokens_per_sec > 0.0 {
            Duration::from_secs_f64(1.0 / tokens_per_sec)
        } else {
            Duration::ZERO
        };
        Pace {
            ttft: Duration::from_millis(ttft_ms),
            per_token,
        }
    }

    /// `x-rill-pace: instant` or `ttft=200,tps=120` overrides the server's pace per request.
    fn from_header(value: &str, default: Pace) -> Result<Pace, String> {
        if value.trim() == "instant" {
            return Ok(Pace::INSTANT);
        }
        let mut ttft_ms = default.ttft.as_millis() as u64;
        let mut tps = if default.per_token.is_zero() {
            0.0
        } else {
            1.0 / default.per_token.as_secs_f64()
        };
        for item in value.split(',').map(str::trim) {
            match item.split_once('=') {
                Some(("ttft", v)) => {
                    ttft_ms = v
                        .parse()
                        .map_err(|_| format!("bad ttft in x-rill-pace: '{v}'"))?
                }
                Some(("tps", v)) => {
                    tps = v
                        .parse()
                        .map_err(|_| format!("bad tps in x-rill-pace: '{v}'"))?
                }
                _ => {
                    return Err(format!(
                        "bad x-rill-pace item '{item}': use 'instant' or 'ttft=MS,tps=N'"
                    ))
                }
            }
        }
        Ok(Pace::new(ttft_ms, tps))
    }
}

pub async fn handle(state: &AppState, api: Api, headers: &HeaderMap, body: Bytes) -> Response {
    let n = state.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let request_id = format!("req_demo_{n:06}");
    let path = match api {
        Api::Chat => "/v1/chat/completions",
        Api::Messages => "/v1/messages",
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let pace = match header("x-rill-pace")
        .map(|v| Pace::from_header(v, state.pace))
        .transpose()
    {
        Ok(p) => p.unwrap_or(state.pace),
        Err(msg) => return invalid(api, path, &request_id, &msg),
    };
    // The reserved model name `rill-fault/<spec>` selects faults as well as the header.
    let model_fault = serde_json::from_slice::<Value>(&body).ok().and_then(|v| {
        v.get("model")
            .and_then(Value::as_str)
            .and_then(|m| m.strip_prefix("rill-fault/"))
            .map(str::to_owned)
    });
    let spec = [header("x-rill-fault").map(str::to_owned), model_fault]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(",");
    let faults = match Faults::parse(&spec) {
        Ok(f) => f,
        Err(msg) => return invalid(api, path, &request_id, &msg),
    };
    if let Some(secs) = faults.slow_head_secs {
        tokio::time::sleep(Duration::from_secs(secs)).await;
    }
    let first_time = faults.once.as_ref().is_none_or(|token| {
        state
            .once_seen
            .lock()
            .map(|mut seen| seen.insert(token.clone()))
            .unwrap_or(true)
    });
    if let Some((status, shape)) = faults.http.filter(|_| first_time) {
        let mut resp = json_response(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            &error_body(status, shape, api, path, &request_id),
            &request_id,
        );
        if status == 429 || status == 529 || status == 503 {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        return resp;
    }
    if let Some(name) = &faults.fixture {
        return fixture(state, name, &faults, pace, &request_id).await;
    }
    let ask = match model::validate(api, &body) {
        Ok(ask) => ask,
        Err(model::Invalid(msg)) => return invalid(api, path, &request_id, &msg),
    };
    let (answer, script_error) = if faults.script {
        let script = match Script::parse(&ask) {
            Ok(s) => s,
            Err(msg) => return invalid(api, path, &request_id, &msg),
        };
        if let Some(status) = script.status {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = script.error.as_deref().unwrap_or("scripted error");
            return json_response(status, &scripted_error_body(api, message), &request_id);
        }
        (script.answer(&ask), script.error)
    } else {
        (model::answer(&ask), None)
    };
    let created = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let id = match api {
        Api::Chat if wire::aimlapi_flavour(&ask) => format!("msg_demo{n:06}"),
        Api::Chat => format!("chatcmpl-demo{n:06}"),
        Api::Messages => format!("msg_demo{n:06}"),
    };
    if !ask.stream {
        tokio::time::sleep(pace.ttft + pace.per_token * answer.pieces.len() as u32).await;
        return json_response(
            StatusCode::OK,
            &wire::complete_body(api, &ask, &answer, &id, created),
            &request_id,
        );
    }
    let mut events = apply_stream_faults(
        wire::stream_events(api, &ask, &answer, &id, created),
        api,
        &faults,
    );
    if let Some(message) = script_error {
        // The error takes the place of the provider's end marker.
        events.retain(|e| e.stage != Stage::Tail);
        events.push(wire::stream_error(api, &message));
    }
    let mut frames = Vec::new();
    if let Some(mib) = faults.giant_line_mib {
        let mut line = b"data: ".to_vec();
        line.resize(6 + (mib as usize) * 1024 * 1024, b'x');
        line.extend_from_slice(b"\n\n");
        frames.extend(
            Bytes::from(line)
                .chunks(64 * 1024)
                .map(|c| (Duration::ZERO, Bytes::copy_from_slice(c))),
        );
    }
    frames.extend(pace_events(
        &events,
        pace,
        faults.stall_secs,
        faults.line_ending,
    ));
    sse_response(frames, faults.one_byte, &request_id)
}

/// Cut, error and malformed faults act on the event list before pacing.
fn apply_stream_faults(mut events: Vec<Event>, api: Api, faults: &Faults) -> Vec<Event> {
    let content: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.stage == Stage::Content)
        .map(|(i, _)| i)
        .collect();
    if faults.malformed {
        if let Some(&i) = content.get(content.len() / 3) {
            let text = events[i].text.trim_end().to_owned();
            // Drop the closing braces: valid SSE framing, broken JSON.
            events[i].text = format!("{}\n\n", text.trim_end_matches('}'));
        }
    }
    if faults.cut || faults.stream_error {
        let keep = content
            .get(content.len() / 2)
            .copied()
            .unwrap_or(events.len());
        events.truncate(keep);
        if faults.stream_error {
            events.push(wire::stream_error(api, "Overloaded"));
        }
    }
    events
}

/// Events → (delay before, bytes) frames: first token after `ttft`, then one per `per_token`.
fn pace_events(
    events: &[Event],
    pace: Pace,
    stall_secs: Option<u64>,
    ending: LineEnding,
) -> Vec<(Duration, Bytes)> {
    let mut frames = Vec::with_capacity(events.len());
    let mut content_seen = 0;
    for ev in events {
        let mut delay = Duration::ZERO;
        if ev.stage == Stage::Content {
            delay = if content_seen == 0 {
                pace.ttft
            } else {
                pace.per_token
            };
            if content_seen == 3 {
                delay += Duration::from_secs(stall_secs.unwrap_or(0));
            }
            content_seen += 1;
        } else if ev.stage == Stage::Tail && content_seen == 0 {
            delay = pace.ttft;
            content_seen = 1;
        }
        let text = match ending {
            LineEnding::Lf => ev.text.clone(),
            LineEnding::CrLf => ev.text.replace('\n', "\r\n"),
            LineEnding::Cr => ev.text.replace('\n', "\r"),
        };
        frames.push((delay, Bytes::from(text)));
    }
    frames
}

async fn fixture(
    state: &AppState,
    name: &str,
    faults: &Faults,
    pace: Pace,
    request_id: &str,
) -> Response {
    let path = state
        .fixtures
        .iter()
        .map(|dir| dir.join(format!("{name}.sse")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(format!("{name}.sse")));
    let bytes = match tokio::fs::read(&path).await {
        Ok(b) => b,
        Err(e) => {
            let body = json!({"error": {"message": format!("fixture '{name}' not readable at {}: {e}", path.display()), "type": "not_found_error", "param": null, "code": "404"}});
            return json_response(StatusCode::NOT_FOUND, &body, request_id);
        }
    };
    // A fixture whose metadata says it is a JSON body (a server that ignores `stream: true`)
    // is sent whole, as that server would.
    let meta = tokio::fs::read_to_string(path.with_extension("json")).await;
    let content_type = meta
        .ok()
        .and_then(|m| serde_json::from_str::<Value>(&m).ok())
        .and_then(|m| m.get("content_type")?.as_str().map(str::to_owned));
    if content_type.as_deref() == Some("application/json") {
        let mut resp = (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            bytes,
        )
            .into_response();
        set_request_id(&mut resp, request_id);
        return resp;
    }
    // Pace the recorded events one by one; the bytes are served exactly as recorded
    // unless a line-ending fault asks for CRLF or CR.
    let mut frames = Vec::new();
    let mut start = 0;
    let mut first = true;
    let ending = |b: &[u8]| -> Bytes {
        match faults.line_ending {
            LineEnding::Lf => Bytes::copy_from_slice(b),
            LineEnding::CrLf => Bytes::from(
                b.iter()
                    .flat_map(|&c| {
                        if c == b'\n' {
                            vec![b'\r', b'\n']
                        } else {
                            vec![c]
                        }
                    })
                    .collect::<Vec<u8>>(),
            ),
            LineEnding::Cr => Bytes::from(
                b.iter()
                    .map(|&c| if c == b'\n' { b'\r' } else { c })
                    .collect::<Vec<u8>>(),
            ),
        }
    };
    for i in 0..bytes.len() {
        if bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n') {
            let delay = if first { pace.ttft } else { pace.per_token };
            first = false;
            frames.push((delay, ending(&bytes[start..i + 2])));
            start = i + 2;
        }
    }
    if start < bytes.len() {
        frames.push((pace.per_token, ending(&bytes[start..])));
    }
    sse_response(frames, faults.one_byte, request_id)
}

fn sse_response(frames: Vec<(Duration, Bytes)>, one_byte: bool, request_id: &str) -> Response {
    let frames: Vec<(Duration, Bytes)> = if one_byte {
        frames
            .into_iter()
            .flat_map(|(delay, b)| {
                (0..b.len()).map(move |i| {
                    (
                        if i == 0 { delay } else { Duration::ZERO },
                        b.slice(i..i + 1),
                    )
                })
            })
            .collect()
    } else {
        frames
    };
    let stream = futures_util::stream::unfold(frames.into_iter(), move |mut it| async move {
        let (delay, bytes) = it.next()?;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        } else if one_byte {
            // Giving way between bytes makes hyper flush each one as its own write
            // (TCP_NODELAY is on), instead of coalescing the ready bytes.
            tokio::task::yield_now().await;
        }
        Some((Ok::<_, Infallible>(bytes), it))
    });
    let mut resp = Response::new(Body::from_stream(stream));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    set_request_id(&mut resp, request_id);
    resp
}

/// 400 with the body shape of the API that was called.
fn invalid(api: Api, path: &str, request_id: &str, message: &str) -> Response {
    let body = match api {
        Api::Chat => {
            json!({"message": message, "path": path, "requestId": request_id, "statusCode": 400,
                            "timestamp": error_body(400, None, api, path, request_id)["timestamp"]})
        }
        Api::Messages => {
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": message}, "request_id": request_id})
        }
    };
    json_response(StatusCode::BAD_REQUEST, &body, request_id)
}

/// A scripted HTTP error in the API's own body shape.
fn scripted_error_body(api: Api, message: &str) -> Value {
    match api {
        Api::Chat => {
            json!({"error": {"message": message, "type": "invalid_request_error", "param": null, "code": null}})
        }
        Api::Messages => {
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": message}})
        }
    }
}

fn json_response(status: StatusCode, body: &Value, request_id: &str) -> Response {
    let mut resp = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response();
    set_request_id(&mut resp, request_id);
    resp
}

fn set_request_id(resp: &mut Response, request_id: &str) {
    if let Ok(v) = HeaderValue::from_str(request_id) {
        resp.headers_mut().insert("x-request-id", v.clone());
        resp.headers_mut().insert("request-id", v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_header_parses() {
        assert_eq!(Pace::from_header("instant", Pace::REAL), Ok(Pace::INSTANT));
        let p = Pace::from_header("ttft=100,tps=200", Pace::REAL).unwrap();
        assert_eq!(
            (p.ttft, p.per_token),
            (Duration::from_millis(100), Duration::from_millis(5))
        );
        assert!(Pace::from_header("fast", Pace::REAL).is_err());
    }

    #[test]
    fn cut_and_error_truncate_before_the_end_marker() {
        let ev = |stage, text: &str| Event {
            text: text.into(),
            stage,
        };
        let events = vec![
            ev(Stage::Head, "h"),
            ev(Stage::Content, "a"),
            ev(Stage::Content, "b"),
            ev(Stage::Content, "c"),
            ev(Stage::Tail, "end"),
        ];
        let cut = apply_stream_faults(
            events.clone(),
            Api::Chat,
            &Faults {
                cut: true,
                ..Default::default()
            },
        );
        assert_eq!(
            cut.iter().map(|e| e.text.as_str()).collect::<String>(),
            "ha"
        );
        let err = apply_stream_faults(
            events,
            Api::Messages,
            &Faults {
                stream_error: true,
                ..Default::default()
            },
        );
        assert!(err.last().unwrap().text.starts_with("event: error\n"));
    }
}
