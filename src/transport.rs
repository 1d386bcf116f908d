//! The only place that touches the network: `fetch` under an abort signal, the streaming
//! body reader, a timeout for the response head and an idle timeout for the body, retries
//! with backoff before any body byte arrived, and browser failures mapped to `ChatError`.

use crate::prelude::*;

use crate::conversation::{Metrics, Reply, ReplyStream};
use crate::error::{ChatError, ErrorKind};
use crate::protocol::{error_from_http, ChatEvent, HttpRequest, Provider};
use alloc::rc::Rc;
use core::cell::Cell;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AbortSignal, Headers, ReadableStreamDefaultReader, Request, RequestInit,
    Response,
};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, so the client also works in workers (no `window`).
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> Promise;
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub(crate) fn performance_now() -> f64;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    #[wasm_bindgen(js_name = setInterval)]
    fn set_interval(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearInterval)]
    fn clear_interval(id: &JsValue);
}

/// Limits of one request, from the client options.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub timeout_ms: u64,
    pub idle_timeout_ms: u64,
    pub retries: u32,
}

/// Longest `Retry-After` we wait out ourselves; beyond it the page gets the 429 and decides.
const MAX_RETRY_WAIT_MS: u64 = 60_000;
const BACKOFF_BASE_MS: f64 = 500.0;

/// A failed request: the error plus whatever had arrived.
pub struct Failure {
    pub error: ChatError,
    pub partial: Reply,
    pub metrics: Metrics,
}

/// Sends `req` and reads the reply, handing each chunk's events to `on_events` as one batch.
pub async fn run(
    req: &HttpRequest,
    provider: Provider,
    stream: bool,
    policy: Policy,
    signal: Option<&AbortSignal>,
    on_events: &mut dyn FnMut(&[ChatEvent], &Reply),
) -> Result<(Reply, Metrics), Failure> {
    let started = performance_now();
    let mut metrics = Metrics::default();
    let mut attempt = 0;
    loop {
        let mut session = ReplyStream::new(provider);
        let mut got_bytes = false;
        let result = exchange(
            req,
            stream,
            policy,
            signal,
            &mut session,
            &mut metrics,
            started,
            &mut got_bytes,
            on_events,
        )
        .await;
        metrics.duration_ms = performance_now() - started;
        metrics.count_output(session.reply());
        let error = match result {
            Ok(()) => return Ok((session.into_reply(), metrics)),
            Err(e) => e,
        };
        let wait = retry_wait(&error, attempt, policy.retries, got_bytes);
        match wait {
            Some(ms) if sleep(ms, signal).await => attempt += 1,
            _ => {
                return Err(Failure {
                    error,
                    partial: session.into_reply(),
                    metrics,
                })
            }
        }
    }
}

/// How long to wait before retrying, or `None` when the failure must reach the page:
/// only before any body byte, only for 408/409/429/5xx and network errors, only while
/// attempts remain, and never past a long `Retry-After`.
fn retry_wait(error: &ChatError, attempt: u32, retries: u32, got_bytes: bool) -> Option<f64> {
    let retryable = match error.kind {
        ErrorKind::Network => true,
        ErrorKind::Http => matches!(error.status, Some(408 | 409 | 429 | 500..=599)),
        _ => false,
    };
    if !retryable || got_bytes || attempt >= retries {
        return None;
    }
    // Exponential backoff with full jitter keeps many tabs from retrying in lockstep.
    let backoff = BACKOFF_BASE_MS * f64::from(1u32 << attempt.min(10));
    let jittered = backoff / 2.0 + js_sys::Math::random() * backoff / 2.0;
    match error.retry_after_ms {
        Some(ms) if ms > MAX_RETRY_WAIT_MS => None,
        Some(ms) => Some((ms as f64).max(jittered.min(ms as f64 + BACKOFF_BASE_MS))),
        None => Some(jittered),
    }
}

/// Why our own controller aborted the request (the page's abort and our timeouts look the
/// same to `fetch`).
#[derive(Clone, Copy, PartialEq)]
enum Cause {
    None,
    Page,
    HeadTimeout,
    IdleTimeout,
}

#[allow(clippy::too_many_arguments)]
async fn exchange(
    req: &HttpRequest,
    stream: bool,
    policy: Policy,
    signal: Option<&AbortSignal>,
    session: &mut ReplyStream,
    metrics: &mut Metrics,
    started: f64,
    got_bytes: &mut bool,
    on_events: &mut dyn FnMut(&[ChatEvent], &Reply),
) -> Result<(), ChatError> {
    let controller =
        AbortController::new().map_err(|e| config_error(e, "AbortController is unavailable"))?;
    let cause = Rc::new(Cell::new(Cause::None));
    let _link = signal.map(|s| SignalLink::new(s, &controller, &cause));
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    let fail = |e: JsValue, context: &str| broken(e, cause.get(), policy, context);
    let request = build(req, &controller.signal())?;
    let head_timer = Timer::abort_after(policy.timeout_ms, &controller, &cause, Cause::HeadTimeout);
    let response = JsFuture::from(global_fetch(&request))
        .await
        .map_err(|e| fail(e, &cat(&["could not reach ", &req.url])))?;
    let response: Response = response
        .dyn_into()
        .map_err(|_| ChatError::new(ErrorKind::Network, "fetch did not return a Response"))?;
    if !response.ok() {
        let body = read_text(&response).await.unwrap_or_default();
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
    drop(head_timer);
    let mut events = Vec::new();
    let mut emit = |events: &mut Vec<ChatEvent>, reply: &Reply, metrics: &mut Metrics| {
        if metrics.ttft_ms.is_none()
            && events.iter().any(|ev| {
                matches!(
                    ev,
                    ChatEvent::Text(_) | ChatEvent::Reasoning(_) | ChatEvent::ToolCall { .. }
                )
            })
        {
            metrics.ttft_ms = Some(performance_now() - started);
        }
        if !events.is_empty() {
            on_events(events, reply);
            events.clear();
        }
    };
    if !stream {
        let _idle = Timer::abort_after(
            policy.idle_timeout_ms,
            &controller,
            &cause,
            Cause::IdleTimeout,
        );
        let body = read_text(&response)
            .await
            .map_err(|e| fail(e, "the connection broke while reading the response"))?;
        *got_bytes = true;
        let result = session.complete_body(&body, &mut events);
        emit(&mut events, session.reply(), metrics);
        return result;
    }
    let body = response
        .body()
        .ok_or_else(|| ChatError::new(ErrorKind::Parse, "the response has no body"))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    // One watch for the whole body; each chunk only moves its clock.
    let idle = IdleWatch::start(policy.idle_timeout_ms, &controller, &cause);
    // Chunks already buffered resolve `read()` as microtasks: without a yield, a burst
    // would be one long task that blocks input and drawing until the end.
    let mut busy_since = performance_now();
    let mut slice_buf = vec![0u8; SLICE_BYTES];
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| fail(e, "the connection broke while reading the reply"))?;
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
        *got_bytes |= bytes.length() > 0;
        idle.touch();
        // A burst can come as one huge chunk: it is decoded in slices, with a return to
        // the event loop whenever a slice ran long. Each slice is copied into one reused
        // buffer, so a chunk of many megabytes is never held in wasm memory as a whole.
        let len = bytes.length();
        let mut at = 0;
        while at < len {
            if performance_now() - busy_since > YIELD_AFTER_MS {
                yield_to_page().await;
                busy_since = performance_now();
            }
            let end = len.min(at + SLICE_BYTES as u32);
            let slice = &mut slice_buf[..(end - at) as usize];
            bytes.subarray(at, end).copy_to(slice);
            at = end;
            let result = session.feed(slice, &mut events);
            emit(&mut events, session.reply(), metrics);
            if let Err(e) = result {
                // Stop the download: nothing after a stream error is used.
                let _ = reader.cancel();
                return Err(e);
            }
        }
    }
    session.end()
}

/// Work between two returns to the event loop while a body streams in.
const YIELD_AFTER_MS: f64 = 10.0;
/// Bytes decoded between two looks at the clock.
const SLICE_BYTES: usize = 8 * 1024;

/// Lets the page run (input, drawing) before the next slice: a message to ourselves is a
/// new task at once, without the 4 ms clamp nested timeouts get. (`scheduler.yield()` is
/// not used: its continuations run ahead of rendering, and frames should be drawn while a
/// burst is decoded.)
pub(crate) async fn yield_to_page() {
    let promise = Promise::new(&mut |resolve, _| {
        let posted = web_sys::MessageChannel::new().and_then(|channel| {
            channel.port1().set_onmessage(Some(&resolve));
            channel.port2().post_message(&JsValue::NULL)?;
            // The channel lives until the message is delivered: port1 holds the callback.
            Ok(())
        });
        if posted.is_err() {
            let _ = set_timeout(&resolve, 0.0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The `Request`; a bad header or URL is the page's mistake (config), never retried.
fn build(req: &HttpRequest, signal: &AbortSignal) -> Result<Request, ChatError> {
    let headers = Headers::new().map_err(|e| config_error(e, "cannot create headers"))?;
    for (name, value) in &req.headers {
        headers
            .append(name, value)
            .map_err(|e| config_error(e, &cat(&["invalid header '", name, "'"])))?;
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&req.body));
    init.set_signal(Some(signal));
    Request::new_with_str_and_init(&req.url, &init)
        .map_err(|e| config_error(e, &cat(&["invalid endpoint '", &req.url, "'"])))
}

async fn read_text(response: &Response) -> Result<String, JsValue> {
    let text = JsFuture::from(response.text()?).await?;
    Ok(text.as_string().unwrap_or_default())
}

/// Waits `ms`; false when the page aborted meanwhile (then nothing is retried).
async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> bool {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
    !signal.is_some_and(AbortSignal::aborted)
}

/// A `setTimeout` that aborts the controller, cleared when dropped.
struct Timer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    fn abort_after(
        ms: u64,
        controller: &AbortController,
        cause: &Rc<Cell<Cause>>,
        why: Cause,
    ) -> Timer {
        let (controller, cause) = (controller.clone(), cause.clone());
        let callback = Closure::<dyn FnMut()>::new(move || {
            if cause.get() == Cause::None {
                cause.set(why);
                controller.abort();
            }
        });
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms as f64);
        Timer {
            id,
            _callback: callback,
        }
    }
}

/// Aborts when no bytes came for `idle_ms`: one `setInterval` checks a clock that each chunk
/// moves, so the per-chunk cost is a clock read, not a new timer and closure.
struct IdleWatch {
    id: JsValue,
    last: Rc<Cell<f64>>,
    _callback: Closure<dyn FnMut()>,
}

impl IdleWatch {
    fn start(idle_ms: u64, controller: &AbortController, cause: &Rc<Cell<Cause>>) -> IdleWatch {
        let last = Rc::new(Cell::new(performance_now()));
        let (controller, cause, seen) = (controller.clone(), cause.clone(), last.clone());
        let limit = idle_ms as f64;
        let callback = Closure::<dyn FnMut()>::new(move || {
            if performance_now() - seen.get() >= limit && cause.get() == Cause::None {
                cause.set(Cause::IdleTimeout);
                controller.abort();
            }
        });
        // Checked often enough to fire within about a quarter of the allowance.
        let period = (limit / 4.0).clamp(25.0, 1000.0);
        let id = set_interval(callback.as_ref().unchecked_ref(), period);
        IdleWatch {
            id,
            last,
            _callback: callback,
        }
    }

    fn touch(&self) {
        self.last.set(performance_now());
    }
}

impl Drop for IdleWatch {
    fn drop(&mut self) {
        clear_interval(&self.id);
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// Forwards the page's abort to our controller for as long as the request runs.
struct SignalLink {
    signal: AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl SignalLink {
    fn new(
        signal: &AbortSignal,
        controller: &AbortController,
        cause: &Rc<Cell<Cause>>,
    ) -> SignalLink {
        let (controller, cause) = (controller.clone(), cause.clone());
        let callback = Closure::<dyn FnMut()>::new(move || {
            if cause.get() == Cause::None {
                cause.set(Cause::Page);
            }
            controller.abort();
        });
        let _ = signal.add_event_listener_with_callback("abort", callback.as_ref().unchecked_ref());
        SignalLink {
            signal: signal.clone(),
            callback,
        }
    }
}

impl Drop for SignalLink {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.callback.as_ref().unchecked_ref());
    }
}

fn aborted() -> ChatError {
    ChatError::new(ErrorKind::Aborted, "the request was stopped")
}

pub(crate) fn js_message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_default()
}

/// A rejected fetch or read, classified by who aborted it, if anyone.
fn broken(e: JsValue, cause: Cause, policy: Policy, context: &str) -> ChatError {
    // Our own number text: `{}` of an f64 would pull core's float formatting into the wasm.
    let secs = |ms: u64| crate::json::Json::Num(ms as f64 / 1000.0);
    match cause {
        Cause::Page => aborted(),
        Cause::HeadTimeout => ChatError::new(
            ErrorKind::Timeout,
            cat(&["no response within ", &secs(policy.timeout_ms).text(), " s"]),
        ),
        Cause::IdleTimeout => ChatError::new(
            ErrorKind::Timeout,
            cat(&[
                "the reply stalled: no data for ",
                &secs(policy.idle_timeout_ms).text(),
                " s",
            ]),
        ),
        Cause::None => {
            let detail = js_message(&e);
            let message = if detail.is_empty() {
                context.to_owned()
            } else {
                cat(&[context, ": ", &detail])
            };
            ChatError::new(ErrorKind::Network, message)
        }
    }
}

fn config_error(e: JsValue, context: &str) -> ChatError {
    ChatError::config(cat(&[context, ": ", &js_message(&e)]))
}
