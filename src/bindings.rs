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

/// Every JS API call checks that `ready` has loaded the second module.
fn ready() -> Result<(), JsValue> {
    if crate::split::loaded() {
        Ok(())
    } else {
        Err(crate::extra::not_ready())
    }
}

/// The JS API's calls (pkg/api.js: `ChatClient`, `ReplyDecoder`, `SseParser`,
/// `renderMarkdown`) through one export, so the first module holds one shim for all of them
/// and their bodies are in the second module, which `ready` loads before any can be made.
/// `op` is one of `Op`; `handle` the object a `…New` call returned (0 for none).
#[wasm_bindgen]
pub fn api(op: u32, handle: u32, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
    ready()?;
    api_call(op, handle, a, b)
}

/// The JS API's objects as JS holds them: a pointer to one of these, made by `hold` and
/// given back to `Op::Free` once (pkg/api.js forgets it then; wasm-bindgen's classes trust
/// their pointer the same way).
// Each is boxed whole (`hold`), so the variants' sizes only set that one allocation's.
#[allow(clippy::large_enum_variant)]
enum Held {
    Sse(PureSseParser),
    Reply(ReplyCore),
    Chat(ChatCore),
}

fn hold(h: Held) -> JsValue {
    JsValue::from(Box::into_raw(Box::new(h)) as usize as u32)
}

fn held<'a>(handle: u32) -> Option<&'a mut Held> {
    // SAFETY: a non-zero handle is a pointer `hold` made and `Op::Free` has not taken back
    // (pkg/api.js zeroes its copy when it frees, and passes only its own handles); no call
    // keeps the reference past its return.
    unsafe { (handle as usize as *mut Held).as_mut() }
}

fn freed() -> JsValue {
    config_js(ChatError::config("this rill-chat object was freed"))
}

/// The calls `api` takes (their numbers are pkg/api.js's `OP`).
#[derive(Clone, Copy)]
enum Op {
    SseNew,
    SseFeed,
    SseEnd,
    SseRetry,
    ReplyNew,
    ReplyError,
    ReplyEnd,
    ChatNew,
    ChatRun,
    Free,
    Render,
}

const OPS: [Op; 11] = [
    Op::SseNew,
    Op::SseFeed,
    Op::SseEnd,
    Op::SseRetry,
    Op::ReplyNew,
    Op::ReplyError,
    Op::ReplyEnd,
    Op::ChatNew,
    Op::ChatRun,
    Op::Free,
    Op::Render,
];

crate::lazy!("a4000000000000000000000000000001" fn api_call(op: u32, handle: u32, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
    let Some(&op) = OPS.get(op as usize) else {
        return Err(config_js(ChatError::config("unknown rill-chat call")));
    };
    match op {
        Op::SseNew => return Ok(hold(Held::Sse(PureSseParser::new()))),
        Op::ReplyNew => {
            let provider = a.as_string().unwrap_or_default();
            let provider = Provider::resolve(Some(&provider), "").map_err(config_js)?;
            return Ok(hold(Held::Reply(ReplyCore::new(provider))));
        }
        Op::ChatNew => return Ok(hold(Held::Chat(ChatCore::new(a)?))),
        Op::Render => {
            return Ok(JsValue::from(crate::markdown::render_html(
                &a.as_string().unwrap_or_default(),
            )))
        }
        Op::Free => {
            if handle != 0 {
                // SAFETY: as in `held`; this is the handle's one `Free`.
                drop(unsafe { Box::from_raw(handle as usize as *mut Held) });
            }
            return Ok(JsValue::UNDEFINED);
        }
        _ => {}
    }
    match (op, held(handle)) {
        (Op::SseFeed, Some(Held::Sse(p))) => sse_feed(p, &crate::jsvalue::bytes(&a)),
        (Op::SseEnd, Some(Held::Sse(p))) => {
            p.end();
            Ok(JsValue::UNDEFINED)
        }
        (Op::SseRetry, Some(Held::Sse(p))) => Ok(p
            .retry()
            .map_or(JsValue::NULL, |r| JsValue::from_f64(r as f64))),
        (Op::ReplyError, Some(Held::Reply(core))) => Ok(core.error()),
        (Op::ReplyEnd, Some(Held::Reply(core))) => core.end(),
        (Op::ChatRun, Some(Held::Chat(core))) => Ok(core.run(a, b)),
        _ => Err(freed()),
    }
});

/// `ReplyDecoder`'s three calls per chunk, each an export of its own with plain numbers
/// (one call into the wasm each, no JS value made): where the chunk goes (`len` bytes at
/// most; valid until a larger one), where the batch's header is, and the decoding of the
/// `len` bytes written there (`u32::MAX`: broken, `Op::ReplyError` says why). A handle that
/// is not a live ReplyDecoder's gives 0 (pkg/api.js never passes one); a live one means the
/// second module is loaded (`api` made it), so the lazy bodies can be called.
#[wasm_bindgen(js_name = replyRoom)]
pub fn reply_room(handle: u32, len: usize) -> *mut u8 {
    reply_at(handle).map_or(core::ptr::null_mut(), |c| room(c, len))
}

#[wasm_bindgen(js_name = replyOut)]
pub fn reply_out(handle: u32) -> *const u32 {
    reply_at(handle).map_or(core::ptr::null(), |c| c.batch.header.as_ptr())
}

#[wasm_bindgen(js_name = replyDecode)]
pub fn reply_decode_at(handle: u32, len: usize) -> u32 {
    reply_at(handle).map_or(u32::MAX, |c| reply_decode(c, len))
}

fn reply_at<'a>(handle: u32) -> Option<&'a mut ReplyCore> {
    match held(handle) {
        Some(Held::Reply(c)) => Some(c),
        _ => None,
    }
}

crate::lazy!("a4000000000000000000000000000006" fn room(core: &mut ReplyCore, len: usize) -> *mut u8 {
    if core.bytes.len() < len {
        core.bytes.resize(len, 0);
    }
    core.bytes.as_mut_ptr()
});

/// JS answers an await of the executor here (`src/task.rs`, `src/host.js`): a settled
/// promise, a timeout, a yield, a frame (`slot` 0: run the ready tasks).
/// Numbers only: JS calls the raw export, which takes a JS value as an externref or as an
/// index into the glue's own table depending on how the wasm was built; the value is read
/// through an import instead (`held`), which the glue converts either way.
#[wasm_bindgen]
pub fn rill_settled(slot: u32, ok: u32) {
    crate::task::settled(slot, ok);
}

/// A delegated listener's event (`src/dom/interpreter.js`) for the root `root`'s handler;
/// whether to prevent the default. Numbers only, as `rill_settled`: JS calls the raw export.
#[wasm_bindgen]
pub fn rill_event(root: u32, kind: u32, code: u32) -> bool {
    crate::dom::event(root, kind, code)
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

/// Parses one chunk; returns the events it completed as `[{event, data, id}]`.
fn sse_feed(parser: &mut PureSseParser, chunk: &[u8]) -> Result<JsValue, JsValue> {
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
}

/// A reply stream's bytes → the same events `ChatClient.stream()` yields, for pages that
/// bring their own transport (`'openai'` chat-completions chunks or `'anthropic'` Messages).
/// pkg/api.js's `ReplyDecoder` wraps it: the page's chunk is copied once into `replyRoom`,
/// `replyDecode` reads it, and the events come back as one text plus a table (`replyOut`),
/// not as JS objects built here or a JSON text parsed again.
pub struct ReplyCore {
    stream: ReplyStream,
    events: Vec<ChatEvent>,
    /// Where JS writes each chunk; its length is its capacity.
    bytes: Vec<u8>,
    batch: Out,
    failure: Option<ChatError>,
}

impl ReplyCore {
    fn new(provider: Provider) -> ReplyCore {
        ReplyCore {
            stream: ReplyStream::new(provider),
            events: Vec::new(),
            bytes: Vec::new(),
            batch: Out::default(),
            failure: None,
        }
    }

    /// The ChatError (`stream`, `parse`) of the last decoding that returned `u32::MAX`.
    fn error(&mut self) -> JsValue {
        let e = self
            .failure
            .take()
            .unwrap_or_else(|| ChatError::config("no error"));
        chat_error_js(&e, None)
    }

    /// The body ended: returns the whole reply, or throws an `incomplete` ChatError (with
    /// `.partial`) when the provider had not finished it.
    fn end(&mut self) -> Result<JsValue, JsValue> {
        let metrics = Metrics::default();
        match self.stream.end() {
            Ok(()) => Ok(js_from_json(&self.stream.reply().to_json())),
            Err(e) => Err(chat_error_js(&e, Some((self.stream.reply(), &metrics)))),
        }
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

/// The engine behind `ChatClient` (pkg/api.js adds the async iterator around it).
pub struct ChatCore {
    options: ChatOptions,
    handlers: JsValue,
}

impl ChatCore {
    /// Validates the options at once; tool `handler`s stay JS functions.
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
    /// `replyOut` describes (read them before returning).
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
            let mut forward = |events: &mut Vec<ChatEvent>, _: &Reply| {
                let n = batch.fill(events);
                send(&batch, n);
            };
            let mut messages = messages;
            match client::converse(&options, &mut messages, stream, &signal, &handlers, &mut forward)
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

/// The inside of one `<rill-chat>` element; src/js/index.js owns the custom element class
/// and calls it through `widget`.
pub struct RillWidget(Widget);

impl RillWidget {
    /// `getOptions()` is called at each send and returns the current client options.
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
    pub fn refresh_strings(&self) -> Result<(), JsValue> {
        self.0.refresh_strings()
    }

    /// The host's `open` attribute changed (launcher mode).
    pub fn sync_open(&self) {
        self.0.sync_open();
    }
}

/// The element's calls (src/js/index.js's `W`), through one export like the JS API's: `op` 0
/// makes a widget for the host `a` with the options getter `b` and returns its handle;
/// then 1 send (`a` the text, `b` image URLs or undefined), 2 regenerate, 3 stop, 4 clear,
/// 5 refresh the strings, 6 sync `open`, 7 free. The handle is a pointer the element gives
/// back once, on 7 (it forgets it then), as wasm-bindgen's classes trust theirs.
#[wasm_bindgen]
pub fn widget(op: u32, handle: u32, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
    if op == 0 {
        let w = RillWidget::new(a, b)?;
        return Ok(JsValue::from(Box::into_raw(Box::new(w)) as usize as u32));
    }
    if handle == 0 {
        return Err(freed());
    }
    let ptr = handle as usize as *mut RillWidget;
    if op == 7 {
        // SAFETY: a handle op 0 made, given back once (index.js drops its copy).
        drop(unsafe { Box::from_raw(ptr) });
        return Ok(JsValue::UNDEFINED);
    }
    // SAFETY: as above, not yet freed; every method takes `&self` (the widget's state is
    // behind its own RefCell), so a call made from page code during another is sound.
    let w = unsafe { &*ptr };
    Ok(match op {
        1 => {
            let images = crate::jsvalue::strings(&b);
            w.send(a.as_string().unwrap_or_default(), Some(images))
        }
        2 => w.regenerate(),
        3 => {
            w.stop();
            JsValue::UNDEFINED
        }
        4 => {
            w.clear();
            JsValue::UNDEFINED
        }
        5 => {
            w.refresh_strings()?;
            JsValue::UNDEFINED
        }
        _ => {
            w.sync_open();
            JsValue::UNDEFINED
        }
    })
}
