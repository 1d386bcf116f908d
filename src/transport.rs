//! The only place that touches the network: `fetch` under an abort signal, the streaming
//! body reader, a timeout for the response head and an idle timeout for the body, retries
//! with backoff before any body byte arrived, and browser failures mapped to `ChatError`.

use crate::prelude::*;

use crate::conversation::{Metrics, Reply, ReplyStream};
use crate::error::{ChatError, ErrorKind};
use crate::jsvalue::{byte_length, copy_out, js_message};
use crate::protocol::{error_from_http, plain_http_error, ChatEvent, HttpRequest, Provider};
use crate::task::{wait, yield_to_page};
use wasm_bindgen::prelude::*;

/// The browser's side of a request (`src/host.js`): our own abort controller with the head
/// timeout, the idle watch and the page's signal wired to it, and the fetch itself. JS
/// values stay opaque here; what they say comes back as numbers and strings.
#[wasm_bindgen(module = "/src/host.js")]
extern "C" {
    /// A watch: aborts after `head_ms` without response headers, or when `signal` aborts.
    fn watch(signal: &JsValue, head_ms: f64) -> JsValue;
    /// The head arrived: from now on only `idle_ms` without a chunk aborts.
    fn streaming(watch: &JsValue, idle_ms: f64);
    fn unwatch(watch: &JsValue);
    /// What aborted the request: 0 nothing, 1 the page, 2 the head timeout, 3 the idle timeout.
    fn cause(watch: &JsValue) -> u32;
    #[wasm_bindgen(catch)]
    fn send(url: &str, headers: &JsValue, body: &str, watch: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = newHeaders)]
    fn new_headers() -> JsValue;
    #[wasm_bindgen(catch, js_name = addHeader)]
    fn add_header(headers: &JsValue, name: &str, value: &str) -> Result<(), JsValue>;
    /// The status, or 0 when `fetch` gave no `Response`.
    fn status(response: &JsValue) -> u16;
    #[wasm_bindgen(js_name = header)]
    fn response_header(response: &JsValue, name: &str) -> Option<String>;
    #[wasm_bindgen(js_name = text)]
    fn response_text(response: &JsValue) -> JsValue;
    /// The body's reader, or null.
    fn reader(response: &JsValue) -> JsValue;
    /// Promise of the next chunk, or null at the end; each chunk restarts the idle clock.
    fn read(reader: &JsValue, watch: &JsValue) -> JsValue;
    fn cancel(reader: &JsValue);
    #[wasm_bindgen(js_name = isAborted)]
    pub(crate) fn is_aborted(signal: &JsValue) -> bool;
    #[wasm_bindgen(js_name = abortController)]
    fn abort_controller() -> JsValue;
    #[wasm_bindgen(js_name = abort)]
    fn abort_js(controller: &JsValue);
    #[wasm_bindgen(js_name = signalOf)]
    fn signal_of(controller: &JsValue) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub(crate) fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = Math)]
    fn random() -> f64;
}

/// A page-side `AbortController`: the element's stop button aborts its reply through it.
#[derive(Clone)]
pub(crate) struct Abort(JsValue);

impl Abort {
    pub(crate) fn new() -> Abort {
        Abort(abort_controller())
    }
    pub(crate) fn abort(&self) {
        abort_js(&self.0);
    }
    pub(crate) fn signal(&self) -> JsValue {
        signal_of(&self.0)
    }
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

impl From<ChatError> for Failure {
    /// A failure before anything arrived. Not inlined: each caller would otherwise build
    /// an empty reply and metrics of its own.
    #[inline(never)]
    fn from(error: ChatError) -> Failure {
        Failure {
            error,
            partial: Reply::default(),
            metrics: Metrics::default(),
        }
    }
}

/// Sends `req` and reads the reply, handing each chunk's events to `on_events` as one batch
/// (which it may take: the list is cleared after).
pub async fn run(
    req: &HttpRequest,
    provider: Provider,
    stream: bool,
    policy: Policy,
    signal: &JsValue,
    on_events: &mut dyn FnMut(&mut Vec<ChatEvent>, &Reply),
) -> Result<(Reply, Metrics), Failure> {
    let started = performance_now();
    let mut metrics = Metrics::default();
    let mut attempt = 0;
    loop {
        let mut session = ReplyStream::new(provider);
        let mut got_bytes = false;
        // Boxed: inlined into this loop (and so into the client's), its states were part of
        // every state of both (−135 B).
        let result: Reading<'_, Result<(), ChatError>> = Box::pin(exchange(
            req,
            stream,
            policy,
            signal,
            &mut session,
            &mut metrics,
            started,
            &mut got_bytes,
            on_events,
        ));
        let result = result.await;
        metrics.duration_ms = performance_now() - started;
        metrics.count_output(session.reply());
        let error = match result {
            Ok(()) => return Ok((session.into_reply(), metrics)),
            Err(e) => e,
        };
        if let Some(ms) = retry_wait(&error, attempt, policy.retries, got_bytes) {
            let _ = crate::task::sleep(ms).await;
            // Nothing is retried once the page aborted meanwhile.
            if !is_aborted(signal) {
                attempt += 1;
                continue;
            }
        }
        return Err(Failure {
            error,
            partial: session.into_reply(),
            metrics,
        });
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
    let jittered = backoff / 2.0 + random() * backoff / 2.0;
    match error.retry_after_ms {
        Some(ms) if ms > MAX_RETRY_WAIT_MS => None,
        Some(ms) => Some((ms as f64).max(jittered.min(ms as f64 + BACKOFF_BASE_MS))),
        None => Some(jittered),
    }
}

/// Why our own controller aborted the request (the page's abort and our timeouts look the
/// same to `fetch`), as `host.js` numbers it.
const PAGE: u32 = 1;
const HEAD_TIMEOUT: u32 = 2;
const IDLE_TIMEOUT: u32 = 3;

/// Unwatches when the exchange ends, whichever way.
struct Watch(JsValue);

impl Drop for Watch {
    fn drop(&mut self) {
        unwatch(&self.0);
    }
}

#[allow(clippy::too_many_arguments)]
async fn exchange(
    req: &HttpRequest,
    stream: bool,
    policy: Policy,
    signal: &JsValue,
    session: &mut ReplyStream,
    metrics: &mut Metrics,
    started: f64,
    got_bytes: &mut bool,
    on_events: &mut dyn FnMut(&mut Vec<ChatEvent>, &Reply),
) -> Result<(), ChatError> {
    if is_aborted(signal) {
        return Err(aborted());
    }
    let watch = Watch(self::watch(signal, policy.timeout_ms as f64));
    let w = &watch.0;
    let fail = |e: JsValue, context: &str| broken(e, cause(w), policy, context);
    let headers = new_headers();
    for (name, value) in &req.headers {
        add_header(&headers, name, value)
            .map_err(|e| config_error(e, &cat(&["invalid header '", name, "'"])))?;
    }
    let pending = send(&req.url, &headers, &req.body, w)
        .map_err(|e| config_error(e, &cat(&["invalid endpoint '", &req.url, "'"])))?;
    let response = wait(&pending)
        .await
        .map_err(|e| fail(e, &cat(&["could not reach ", &req.url])))?;
    let code = status(&response);
    if code == 0 {
        return Err(ChatError::new(
            ErrorKind::Network,
            "fetch did not return a Response",
        ));
    }
    streaming(w, policy.idle_timeout_ms as f64);
    if !(200..300).contains(&code) {
        let header = |name: &str| response_header(&response, name);
        let request_id = header("request-id")
            .or_else(|| header("x-request-id"))
            .or_else(|| header("x-inference-id"));
        // Reading the provider's explanation is in the second module (`split.rs`).
        return Err(match crate::extra::load().await {
            Ok(()) => http_error(&response, code, request_id).await,
            Err(_) => plain_http_error(code, request_id.as_deref()),
        });
    }
    let mut events = Vec::new();
    let mut emit =
        |events: &mut Vec<ChatEvent>, reply: &Reply, metrics: &mut Metrics, force: bool| {
            emit(events, reply, metrics, force, started, on_events)
        };
    if !stream {
        // Reading a whole body is in the second module (`split.rs`).
        crate::extra::load().await?;
        let mut result = whole_body(&response, w, policy, session, &mut events, got_bytes).await;
        emit(&mut events, session.reply(), metrics, false);
        if crate::split::take_wanted() {
            crate::split::give_up(crate::extra::load().await.is_err());
            result = result.and(session.drain(&mut events));
            emit(&mut events, session.reply(), metrics, true);
        }
        return result;
    }
    let reader = self::reader(&response);
    if reader.is_null() {
        return Err(ChatError::new(ErrorKind::Parse, "the response has no body"));
    }
    // Chunks already buffered resolve `read()` as microtasks: without a yield, a burst
    // would be one long task that blocks input and drawing until the end.
    let mut busy_since = performance_now();
    let mut slice_buf = vec![0u8; SLICE_BYTES];
    loop {
        let chunk = wait(&read(&reader, w))
            .await
            .map_err(|e| fail(e, "the connection broke while reading the reply"))?;
        if chunk.is_null() {
            break;
        }
        let len = byte_length(&chunk);
        if len < 0.0 {
            return Err(ChatError::new(
                ErrorKind::Parse,
                "the body reader gave a non-byte chunk",
            ));
        }
        let len = len as u32;
        *got_bytes |= len > 0;
        // A burst can come as one huge chunk: it is decoded in slices, with a return to
        // the event loop whenever a slice ran long. Each slice is copied into one reused
        // buffer, so a chunk of many megabytes is never held in wasm memory as a whole.
        let mut at = 0;
        while at < len {
            if performance_now() - busy_since > YIELD_AFTER_MS {
                let _ = yield_to_page().await;
                busy_since = performance_now();
            }
            let end = len.min(at + SLICE_BYTES as u32);
            let slice = &mut slice_buf[..(end - at) as usize];
            copy_out(&chunk, at, slice);
            at = end;
            let mut result = session.feed(slice, &mut events);
            emit(&mut events, session.reply(), metrics, false);
            if crate::split::take_wanted() {
                // The element held events back for the second module, or the decoder met a
                // chunk only that module reads (`split::want`): the reply waits here,
                // unread, until it is linked; then what waited is decoded, and a batch
                // (empty or not) lets the element draw what it held.
                crate::split::give_up(crate::extra::load().await.is_err());
                result = result.and(session.drain(&mut events));
                emit(&mut events, session.reply(), metrics, true);
            }
            if let Err(e) = result {
                // Stop the download: nothing after a stream error is used.
                cancel(&reader);
                return Err(e);
            }
        }
    }
    session.end()
}

/// A chunk's events to the caller (and the time of the first token, when it is one).
#[inline(never)]
fn emit(
    events: &mut Vec<ChatEvent>,
    reply: &Reply,
    metrics: &mut Metrics,
    force: bool,
    started: f64,
    on_events: &mut dyn FnMut(&mut Vec<ChatEvent>, &Reply),
) {
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
    if !events.is_empty() || force {
        on_events(events, reply);
        events.clear();
    }
}

/// Work between two returns to the event loop while a body streams in.
const YIELD_AFTER_MS: f64 = 10.0;
/// Bytes decoded between two looks at the clock.
const SLICE_BYTES: usize = 8 * 1024;

type Reading<'a, T> = core::pin::Pin<Box<dyn core::future::Future<Output = T> + 'a>>;

crate::lazy!("a7000000000000000000000000000002" fn http_error<'a>(
    response: &'a JsValue,
    code: u16,
    request_id: Option<String>,
) -> Reading<'a, ChatError> {
    Box::pin(async move {
        let body = read_text(response).await.unwrap_or_default();
        let retry_after = response_header(response, "retry-after");
        error_from_http(code, &body, request_id.as_deref(), retry_after.as_deref())
    })
});

crate::lazy!("a7000000000000000000000000000003" fn whole_body<'a>(
    response: &'a JsValue,
    watch: &'a JsValue,
    policy: Policy,
    session: &'a mut ReplyStream,
    events: &'a mut Vec<ChatEvent>,
    got_bytes: &'a mut bool,
) -> Reading<'a, Result<(), ChatError>> {
    Box::pin(async move {
        let body = read_text(response).await.map_err(|e| {
            broken(e, cause(watch), policy, "the connection broke while reading the response")
        })?;
        *got_bytes = true;
        session.complete_body(&body, events)
    })
});

async fn read_text(response: &JsValue) -> Result<String, JsValue> {
    let text = wait(&response_text(response)).await?;
    Ok(text.as_string().unwrap_or_default())
}

fn aborted() -> ChatError {
    ChatError::new(ErrorKind::Aborted, "the request was stopped")
}

/// A rejected fetch or read, classified by who aborted it, if anyone.
fn broken(e: JsValue, cause: u32, policy: Policy, context: &str) -> ChatError {
    // Our own number text: `{}` of an f64 would pull core's float formatting into the wasm.
    let secs = |ms: u64| crate::json::Json::Num(ms as f64 / 1000.0);
    match cause {
        PAGE => aborted(),
        HEAD_TIMEOUT => ChatError::new(
            ErrorKind::Timeout,
            cat(&["no response within ", &secs(policy.timeout_ms).text(), " s"]),
        ),
        IDLE_TIMEOUT => ChatError::new(
            ErrorKind::Timeout,
            cat(&[
                "the reply stalled: no data for ",
                &secs(policy.idle_timeout_ms).text(),
                " s",
            ]),
        ),
        _ => {
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
