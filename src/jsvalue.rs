//! Our values as JS values and back — the page's plain data as `Json`, `Json` and replies
//! as JS objects, a `ChatError` as a real `Error` — for both `bindings` (the exports) and
//! `widget` (the element), which sit above it (wasm only).

use crate::prelude::*;

use crate::conversation::{Metrics, Reply};
use crate::error::ChatError;
use crate::json::Json;
use wasm_bindgen::prelude::*;

/// The handful of JS operations the wasm needs on plain values (`src/host.js`), declared
/// here instead of through js-sys and web-sys: those crates' describe functions keep a
/// closure shim per typed-array callback in the shipped wasm whether used or not.
#[wasm_bindgen(module = "/src/host.js")]
extern "C" {
    /// `o[key]`, or undefined when `o` is not an object.
    pub(crate) fn get(o: &JsValue, key: &str) -> JsValue;
    #[wasm_bindgen(js_name = put)]
    pub(crate) fn set(o: &JsValue, key: &str, value: &JsValue);
    pub(crate) fn object() -> JsValue;
    pub(crate) fn list() -> JsValue;
    pub(crate) fn push(list: &JsValue, value: &JsValue);
    #[wasm_bindgen(js_name = isList)]
    pub(crate) fn is_list(v: &JsValue) -> bool;
    /// The length of an array or array-like (a FileList), else 0.
    pub(crate) fn count(v: &JsValue) -> u32;
    pub(crate) fn item(v: &JsValue, i: u32) -> JsValue;
    /// `Object.keys(o)`.
    pub(crate) fn keys(o: &JsValue) -> JsValue;
    /// `f.call(this_, a, b)`.
    #[wasm_bindgen(catch)]
    pub(crate) fn call(
        f: &JsValue,
        this_: &JsValue,
        a: &JsValue,
        b: &JsValue,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    pub(crate) fn stringify(v: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    pub(crate) fn parse(text: &str) -> Result<JsValue, JsValue>;
    /// A real `Error` with this name and message.
    fn error(name: &str, message: &str) -> JsValue;
    /// `Promise.reject(v)`.
    pub(crate) fn reject(v: &JsValue) -> JsValue;
    /// Promise of a `File`'s bytes (a Uint8Array).
    #[wasm_bindgen(js_name = fileBytes)]
    pub(crate) fn file_bytes(file: &JsValue) -> JsValue;
    /// A chunk's length in bytes, or -1 when it is not bytes.
    #[wasm_bindgen(js_name = byteLength)]
    pub(crate) fn byte_length(chunk: &JsValue) -> f64;
    /// Copies `into.len()` bytes of `chunk` from `at` into `into`.
    #[wasm_bindgen(js_name = copyOut)]
    pub(crate) fn copy_out(chunk: &JsValue, at: u32, into: &mut [u8]);
    /// An error's `message`, or a thrown string; empty for anything else.
    #[wasm_bindgen(js_name = message)]
    pub(crate) fn js_message(e: &JsValue) -> String;
}

/// A Uint8Array's bytes, copied into the wasm (by `copyOut` into a vector made here: a
/// returned `Vec<u8>` would bring wasm-bindgen's boxed-slice conversion).
pub(crate) fn bytes(array: &JsValue) -> Vec<u8> {
    let mut out = vec![0; byte_length(array).max(0.0) as usize];
    copy_out(array, 0, &mut out);
    out
}

/// The strings of a JS array (anything else: none), e.g. image URLs the element was given.
pub(crate) fn strings(v: &JsValue) -> Vec<String> {
    let mut out = Vec::new();
    if is_list(v) {
        for i in 0..count(v) {
            if let Some(s) = item(v, i).as_string() {
                out.push(s);
            }
        }
    }
    out
}

/// Plain data from the page (options, messages) as our JSON value. Functions and other
/// non-JSON members are dropped, exactly as `JSON.stringify` drops them.
pub(crate) fn json_from_js(value: &JsValue) -> Result<Json, ChatError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    let text = stringify(value)
        .map_err(|_| ChatError::config("options must be plain data (JSON.stringify failed)"))?;
    let text = text.as_string().unwrap_or_default();
    Json::parse(&text)
        .map_err(|e| ChatError::config(cat(&["options are not valid JSON data: ", &e.message()])))
}

/// Builds the JS value directly (no JSON text round trip on the per-event path).
pub(crate) fn js_from_json(value: &Json) -> JsValue {
    match value {
        Json::Null => JsValue::NULL,
        Json::Bool(b) => JsValue::from_bool(*b),
        Json::Num(n) => JsValue::from_f64(*n),
        Json::Str(s) => JsValue::from_str(s),
        Json::Raw(text) => parse(text).unwrap_or(JsValue::NULL),
        Json::Arr(items) => {
            let a = list();
            for v in items {
                push(&a, &js_from_json(v));
            }
            a
        }
        Json::Obj(members) => {
            let obj = object();
            for (k, v) in members {
                set(&obj, k, &js_from_json(v));
            }
            obj
        }
    }
}

/// The reply shape of `complete()`: the reply plus its metrics.
pub(crate) fn reply_js(reply: &Reply, metrics: &Metrics) -> JsValue {
    let mut json = reply.to_json();
    json.push("metrics", metrics.to_json());
    js_from_json(&json)
}

/// A real `Error` (so stack traces and `instanceof Error` work) named `ChatError`.
pub(crate) fn chat_error_js(err: &ChatError, partial: Option<(&Reply, &Metrics)>) -> JsValue {
    let e = error("ChatError", &err.message);
    let num = |n: Option<u64>| n.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64));
    let text = |s: &Option<String>| s.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    let partial = partial
        .filter(|(r, _)| !r.is_empty())
        .map_or(JsValue::NULL, |(r, m)| reply_js(r, m));
    for (key, value) in [
        ("kind", JsValue::from_str(err.kind.as_str())),
        ("status", num(err.status.map(u64::from))),
        ("code", text(&err.code)),
        ("retryAfterMs", num(err.retry_after_ms)),
        ("requestId", text(&err.request_id)),
        ("partial", partial),
    ] {
        set(&e, key, &value);
    }
    e
}
