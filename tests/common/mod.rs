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

/// The events of a batch that `ChatCore.run` handed to its callback as `(n, out)`: read
/// from wasm memory (this test is the same module) as src/js/index.js reads them.
pub fn batch_events(n: u32, out: u32) -> Vec<JsValue> {
    // SAFETY: `out` points at the batch header `[text, text bytes, table]` inside this
    // module's memory, valid during the callback; the table holds the triples it describes.
    let (text, table) = unsafe {
        let h = core::slice::from_raw_parts(out as usize as *const u32, 4);
        let text = core::slice::from_raw_parts(h[0] as usize as *const u8, h[1] as usize);
        let text = core::str::from_utf8(text).expect("batch text is UTF-8");
        let table = core::slice::from_raw_parts(h[2] as usize as *const u32, h[3] as usize);
        (text, table)
    };
    rill_chat::protocol::batch::read_events(text, table, n)
        .iter()
        .map(|e| JSON::parse(&e.text()).expect("event JSON"))
        .collect()
}
