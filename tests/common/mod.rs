//! Helpers shared by the browser test files (each `tests/*.rs` is its own crate).
#![allow(dead_code)]

use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;

/// The devserver that scripts/test-wasm.sh started, baked in at compile time.
// Without the URL the browser tests cannot run at all, so failing loudly is right.
#[allow(clippy::option_env_unwrap)]
pub fn devserver() -> &'static str {
    option_env!("RILL_DEVSERVER")
        .expect("build with RILL_DEVSERVER=http://127.0.0.1:PORT (scripts/test-wasm.sh does)")
}

pub fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON")
}

pub fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn text_of(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}
