//! Our values as JS values and back — the page's plain data as `Json`, `Json` and replies
//! as JS objects, a `ChatError` as a real `Error` — for both `bindings` (the exports) and
//! `widget` (the element), which sit above it (wasm only).

use crate::prelude::*;

use crate::conversation::{Metrics, Reply};
use crate::error::ChatError;
use crate::json::Json;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// Plain data from the page (options, messages) as our JSON value. Functions and other
/// non-JSON members are dropped, exactly as `JSON.stringify` drops them.
pub(crate) fn json_from_js(value: &JsValue) -> Result<Json, ChatError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    let text = js_sys::JSON::stringify(value)
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
        Json::Arr(items) => items.iter().map(js_from_json).collect::<Array>().into(),
        Json::Obj(members) => {
            let obj = Object::new();
            for (k, v) in members {
                let _ = Reflect::set(&obj, &JsValue::from_str(k), &js_from_json(v));
            }
            obj.into()
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
    let e = js_sys::Error::new(&err.message);
    e.set_name("ChatError");
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
        let _ = Reflect::set(&e, &JsValue::from_str(key), &value);
    }
    e.into()
}
