//! Every `#[wasm_bindgen]` export, each the same three steps: JS value in → pure call →
//! JS value out. Failures leave as real `Error` objects named `ChatError` with a `.kind`.

use crate::prelude::*;

use crate::client;
use crate::conversation::{Metrics, Reply, ReplyStream};
use crate::error::{ChatError, ErrorKind};
use crate::json::Json;
use crate::jsvalue::{call, get, list, push};
use crate::jsvalue::{chat_error_js, js_from_json, json_from_js};
use crate::protocol::batch::Batch;
use crate::protocol::{ChatEvent, ChatOptions, Message, Provider};
use crate::sse::SseParser as PureSseParser;
use crate::task::promise;
use crate::widget::Widget;
use wasm_bindgen::prelude::*;

fn config_js(err: ChatError) -> JsValue {
    chat_error_js(&err, None)
}

/// Markdown → safe HTML string, with the renderer the element uses.
#[wasm_bindgen(js_name = renderMarkdown)]
pub fn render_markdown(text: &str) -> Result<String, JsValue> {
    ready()?;
    Ok(render_html(text))
}

// What only the JS API uses is in the second module (`split.rs`), which `ready` loads.
crate::lazy!("a4000000000000000000000000000001" fn render_html(text: &str) -> String {
    crate::markdown::render_html(text)
});

/// Every JS API constructor checks that `ready` has loaded the second module.
fn ready() -> Result<(), JsValue> {
    if crate::split::loaded() {
        Ok(())
    } else {
        Err(crate::extra::not_ready())
    }
}

/// Resolves once the second module is loaded (src/js/index.js: `ready`; the element asks for
/// it before it restores a stored conversation).
#[wasm_bindgen]
pub fn preload() -> JsValue {
    promise(async {
        crate::extra::load()
            .await
            .map(|()| JsValue::UNDEFINED)
            .map_err(config_js)
    })
}

/// The spec-exact SSE parser, for pages that bring their own transport.
#[wasm_bindgen(js_name = SseParser)]
pub struct JsSseParser(PureSseParser);

#[wasm_bindgen(js_class = SseParser)]
impl JsSseParser {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<JsSseParser, JsValue> {
        ready()?;
        Ok(JsSseParser(PureSseParser::new()))
    }

    /// Parses one chunk; returns the events it completed as `[{event, data, id}]`.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<JsValue, JsValue> {
        sse_feed(&mut self.0, chunk)
    }

    /// End of stream: drops an unfinished event.
    pub fn end(&mut self) {
        self.0.end();
    }

    /// The last valid `retry` value in milliseconds, or null.
    #[wasm_bindgen(getter)]
    pub fn retry(&self) -> JsValue {
        self.0
            .retry()
            .map_or(JsValue::NULL, |r| JsValue::from_f64(r as f64))
    }
}

crate::lazy!("a4000000000000000000000000000002" fn sse_feed(parser: &mut PureSseParser, chunk: &[u8]) -> Result<JsValue, JsValue> {
    let mut events = Vec::new();
    parser
        .feed(chunk, &mut events)
        .map_err(|e| config_js(ChatError::new(ErrorKind::Stream, e.message())))?;
    let out = list();
    for ev in &events {
        push(
            &out,
            &js_from_json(&Json::object(vec![
                ("event", Json::str(&ev.event)),
                ("data", Json::str(&ev.data)),
                ("id", Json::str(&ev.id)),
            ])),
        );
    }
    Ok(out)
});

/// A reply stream's bytes → the same events `ChatClient.stream()` yields, for pages that
/// bring their own transport (`'openai'` chat-completions chunks or `'anthropic'` Messages).
/// src/js/index.js wraps it: the page's chunk is copied once into `room()`, `decode()` reads
/// it, and the events come back as one text plus a table (`out()`), not as JS objects built
/// here or a JSON text parsed again.
#[wasm_bindgen(js_name = ReplyCore)]
pub struct ReplyCore {
    stream: ReplyStream,
    events: Vec<ChatEvent>,
    /// Where JS writes each chunk; its length is its capacity.
    bytes: Vec<u8>,
    batch: Out,
    failure: Option<ChatError>,
}

#[wasm_bindgen(js_class = ReplyCore)]
impl ReplyCore {
    #[wasm_bindgen(constructor)]
    pub fn new(provider: &str) -> Result<ReplyCore, JsValue> {
        ready()?;
        let provider = Provider::resolve(Some(provider), "").map_err(config_js)?;
        Ok(ReplyCore {
            stream: ReplyStream::new(provider),
            events: Vec::new(),
            bytes: Vec::new(),
            batch: Out::default(),
            failure: None,
        })
    }

    /// Where chunks of up to `len` bytes go; stays valid until a larger `room()`.
    pub fn room(&mut self, len: usize) -> *mut u8 {
        if self.bytes.len() < len {
            self.bytes.resize(len, 0);
        }
        self.bytes.as_mut_ptr()
    }

    /// Where `decode()` leaves `[text pointer, text length in bytes, table pointer, table
    /// length]` of its batch (the layout is in `protocol/batch.rs`).
    pub fn out(&self) -> *const u32 {
        self.batch.header.as_ptr()
    }

    /// Decodes the `len` bytes written at `room()`; returns how many events they completed,
    /// or `u32::MAX` when the stream is broken: `error()` then gives the ChatError. (A plain
    /// number is the cheapest return: this runs once per network read.)
    pub fn decode(&mut self, len: usize) -> u32 {
        reply_decode(self, len)
    }

    /// The ChatError (`stream`, `parse`) of the last `decode()` that returned `u32::MAX`.
    pub fn error(&mut self) -> JsValue {
        let e = self
            .failure
            .take()
            .unwrap_or_else(|| ChatError::config("no error"));
        chat_error_js(&e, None)
    }

    /// The body ended: returns the whole reply, or throws an `incomplete` ChatError (with
    /// `.partial`) when the provider had not finished it.
    pub fn end(&mut self) -> Result<JsValue, JsValue> {
        reply_end(self)
    }
}

crate::lazy!("a4000000000000000000000000000003" fn reply_decode(core: &mut ReplyCore, len: usize) -> u32 {
    core.events.clear();
    let len = len.min(core.bytes.len());
    match core.stream.feed(&core.bytes[..len], &mut core.events) {
        Ok(()) => core.batch.fill(&core.events),
        Err(e) => {
            core.failure = Some(e);
            u32::MAX
        }
    }
});

crate::lazy!("a4000000000000000000000000000004" fn reply_end(core: &mut ReplyCore) -> Result<JsValue, JsValue> {
    let metrics = Metrics::default();
    match core.stream.end() {
        Ok(()) => Ok(js_from_json(&core.stream.reply().to_json())),
        Err(e) => Err(chat_error_js(&e, Some((core.stream.reply(), &metrics)))),
    }
});

/// A batch (`protocol::batch`) and where JS finds it: `[text pointer, text length in bytes,
/// table pointer, table length in u32]`.
#[derive(Default)]
struct Out {
    batch: Batch,
    header: [u32; 4],
}

impl Out {
    fn fill(&mut self, events: &[ChatEvent]) -> u32 {
        let n = self.batch.fill(events);
        self.locate();
        n
    }

    fn locate(&mut self) {
        self.header = [
            self.batch.text.as_ptr() as u32,
            self.batch.text.len() as u32,
            self.batch.table.as_ptr() as u32,
            self.batch.table.len() as u32,
        ];
    }
}

/// The engine behind `ChatClient` (src/js/index.js adds the async iterator around it).
#[wasm_bindgen]
pub struct ChatCore {
    options: ChatOptions,
    handlers: JsValue,
}

#[wasm_bindgen]
impl ChatCore {
    /// Validates the options at once; tool `handler`s stay JS functions.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ChatCore, JsValue> {
        ready()?;
        let json = json_from_js(&options).map_err(config_js)?;
        let options_parsed = ChatOptions::from_json(&json).map_err(config_js)?;
        Ok(ChatCore {
            options: options_parsed,
            handlers: client::handlers_from(&options),
        })
    }

    /// `{messages, signal?, stream?}` → Promise of the reply. `onEvents(n, out)` is called
    /// once per body chunk that completed events: `n` of them, laid out at `out` as
    /// `ReplyCore.out()` describes (read them before returning).
    pub fn run(&self, request: JsValue, on_events: JsValue) -> JsValue {
        run(self, request, on_events)
    }
}

crate::lazy!("a4000000000000000000000000000005" fn run(core: &ChatCore, request: JsValue, on_events: JsValue) -> JsValue {
        let (options, handlers) = (core.options.clone(), core.handlers.clone());
        promise(async move {
            let signal = get(&request, "signal");
            let (messages, stream) = read_request(&request).map_err(config_js)?;
            let mut batch = Out::default();
            let send = |batch: &Out, n: u32| {
                if on_events.is_function() && n > 0 {
                    let out = JsValue::from(batch.header.as_ptr() as u32);
                    let _ = call(&on_events, &JsValue::NULL, &JsValue::from(n), &out);
                }
            };
            let mut forward = |events: &[ChatEvent], _: &Reply| {
                let n = batch.fill(events);
                send(&batch, n);
            };
            match client::converse(&options, messages, stream, &signal, &handlers, &mut forward)
                .await
            {
                Ok(outcome) => {
                    let ev = Json::object(vec![
                        ("type", Json::str("metrics")),
                        ("metrics", outcome.metrics.to_json()),
                    ]);
                    let mut last = Out::default();
                    last.batch.push_json(&ev);
                    last.locate();
                    send(&last, 1);
                    let mut json = outcome.reply.to_json();
                    json.push("metrics", outcome.metrics.to_json());
                    json.push("messages", outcome.tool_loop.added_messages());
                    Ok(js_from_json(&json))
                }
                Err(f) => Err(chat_error_js(&f.error, Some((&f.partial, &f.metrics)))),
            }
        })
});

pub(crate) fn read_messages(json: &Json) -> Result<Vec<Message>, ChatError> {
    json.get("messages")
        .and_then(Json::as_array)
        .ok_or_else(|| ChatError::config("'messages' must be an array"))?
        .iter()
        .map(Message::from_json)
        .collect()
}

fn read_request(request: &JsValue) -> Result<(Vec<Message>, bool), ChatError> {
    let json = json_from_js(request)?;
    Ok((
        read_messages(&json)?,
        json.get("stream").and_then(Json::as_bool).unwrap_or(true),
    ))
}

/// The inside of one `<rill-chat>` element; src/js/index.js owns the custom element class.
#[wasm_bindgen]
pub struct RillWidget(Widget);

#[wasm_bindgen]
impl RillWidget {
    /// `getOptions()` is called at each send and returns the current client options.
    #[wasm_bindgen(constructor)]
    pub fn new(host: JsValue, get_options: JsValue) -> Result<RillWidget, JsValue> {
        Widget::new(host, get_options).map(RillWidget)
    }

    /// Sends `text` (and image URLs) as the user; resolves with the finished reply, rejects
    /// with a ChatError.
    pub fn send(&self, text: String, images: Option<Vec<String>>) -> JsValue {
        self.0.send(text, images.unwrap_or_default())
    }

    /// Asks again for the last reply; resolves with the new one.
    pub fn regenerate(&self) -> JsValue {
        self.0.regenerate()
    }

    pub fn stop(&self) {
        self.0.stop();
    }

    pub fn clear(&self) {
        self.0.clear();
    }

    /// Re-reads the host's `strings`; throws a ChatError for an unknown key.
    #[wasm_bindgen(js_name = refreshStrings)]
    pub fn refresh_strings(&self) -> Result<(), JsValue> {
        self.0.refresh_strings()
    }

    /// The host's `open` attribute changed (launcher mode).
    #[wasm_bindgen(js_name = syncOpen)]
    pub fn sync_open(&self) {
        self.0.sync_open();
    }
}
