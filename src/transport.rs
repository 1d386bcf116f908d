//! The only place that touches the network: `fetch` with the page's abort signal, the
//! streaming body reader, and the mapping of browser failures to `ChatError` kinds.

use crate::conversation::{Metrics, Reply, ReplyStream};
use crate::error::{ChatError, ErrorKind};
use crate::protocol::{error_from_http, ChatEvent, HttpRequest, Provider};
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, Request, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, so the client also works in workers (no `window`).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> Promise;
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// A failed request: the error plus whatever had arrived.
pub struct Failure {
    pub error: ChatError,
    pub partial: Reply,
    pub metrics: Metrics,
}

/// Sends `req` and reads the reply, calling `on_event` for every chat event as it arrives.
pub async fn run(
    req: &HttpRequest,
    provider: Provider,
    stream: bool,
    signal: Option<&AbortSignal>,
    on_event: &mut dyn FnMut(&ChatEvent, &Reply),
) -> Result<(Reply, Metrics), Failure> {
    let started = performance_now();
    let mut metrics = Metrics::default();
    let mut session = ReplyStream::new(provider);
    let result = exchange(
        req,
        stream,
        signal,
        &mut session,
        &mut metrics,
        started,
        on_event,
    )
    .await;
    metrics.duration_ms = performance_now() - started;
    metrics.output_tokens = session.reply().usage.and_then(|u| u.output_tokens);
    match result {
        Ok(()) => Ok((session.into_reply(), metrics)),
        Err(error) => Err(Failure {
            error,
            partial: session.into_reply(),
            metrics,
        }),
    }
}

async fn exchange(
    req: &HttpRequest,
    stream: bool,
    signal: Option<&AbortSignal>,
    session: &mut ReplyStream,
    metrics: &mut Metrics,
    started: f64,
    on_event: &mut dyn FnMut(&ChatEvent, &Reply),
) -> Result<(), ChatError> {
    let response = send(req, signal).await?;
    if !response.ok() {
        let body = read_text(&response, signal).await.unwrap_or_default();
        let header = |name: &str| response.headers().get(name).ok().flatten();
        let request_id = header("request-id")
            .or_else(|| header("x-request-id"))
            .or_else(|| header("x-inference-id"));
        return Err(error_from_http(
            response.status(),
            &body,
            request_id.as_deref(),
            header("retry-after").as_deref(),
        ));
    }
    let mut events = Vec::new();
    let mut emit = |events: &mut Vec<ChatEvent>, reply: &Reply, metrics: &mut Metrics| {
        for ev in events.drain(..) {
            if metrics.ttft_ms.is_none()
                && matches!(
                    ev,
                    ChatEvent::Text(_) | ChatEvent::Reasoning(_) | ChatEvent::ToolCall { .. }
                )
            {
                metrics.ttft_ms = Some(performance_now() - started);
            }
            on_event(&ev, reply);
        }
    };
    if !stream {
        let body = read_text(&response, signal).await?;
        let result = session.complete_body(&body, &mut events);
        emit(&mut events, session.reply(), metrics);
        return result;
    }
    let body = response
        .body()
        .ok_or_else(|| ChatError::new(ErrorKind::Parse, "the response has no body"))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| broken(e, signal, "the connection broke while reading the reply"))?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let value = Reflect::get(&chunk, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        let bytes = value.dyn_into::<Uint8Array>().map_err(|_| {
            ChatError::new(ErrorKind::Parse, "the body reader gave a non-byte chunk")
        })?;
        let result = session.feed(&bytes.to_vec(), &mut events);
        emit(&mut events, session.reply(), metrics);
        if let Err(e) = result {
            // Stop the download: nothing after a stream error is used.
            let _ = reader.cancel();
            return Err(e);
        }
    }
    session.end()
}

async fn send(req: &HttpRequest, signal: Option<&AbortSignal>) -> Result<Response, ChatError> {
    let headers =
        Headers::new().map_err(|e| config_error(e, "could not create request headers"))?;
    for (name, value) in &req.headers {
        headers
            .append(name, value)
            .map_err(|e| config_error(e, &format!("invalid header '{name}'")))?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&req.body));
    init.set_signal(signal);
    let request = Request::new_with_str_and_init(&req.url, &init)
        .map_err(|e| config_error(e, &format!("invalid endpoint '{}'", req.url)))?;
    let response = JsFuture::from(global_fetch(&request))
        .await
        .map_err(|e| broken(e, signal, &format!("could not reach {}", req.url)))?;
    response
        .dyn_into::<Response>()
        .map_err(|_| ChatError::new(ErrorKind::Network, "fetch did not return a Response"))
}

async fn read_text(response: &Response, signal: Option<&AbortSignal>) -> Result<String, ChatError> {
    let promise = response
        .text()
        .map_err(|e| broken(e, signal, "could not read the response"))?;
    let text = JsFuture::from(promise)
        .await
        .map_err(|e| broken(e, signal, "the connection broke while reading the response"))?;
    Ok(text.as_string().unwrap_or_default())
}

fn js_message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_default()
}

/// A rejected fetch or read: the page's abort, or a network failure with the browser's words.
fn broken(e: JsValue, signal: Option<&AbortSignal>, context: &str) -> ChatError {
    if signal.is_some_and(|s| s.aborted()) {
        return ChatError::new(ErrorKind::Aborted, "the request was stopped");
    }
    let detail = js_message(&e);
    let message = if detail.is_empty() {
        context.to_owned()
    } else {
        format!("{context}: {detail}")
    };
    ChatError::new(ErrorKind::Network, message)
}

fn config_error(e: JsValue, context: &str) -> ChatError {
    ChatError::config(format!("{context}: {}", js_message(&e)))
}
