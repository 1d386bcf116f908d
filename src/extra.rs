//! Fetches and links a split module (`split.rs` says what is in each) the first time a
//! feature needs it (wasm only): the JS half is `loadExtra` in `src/host.js`.

use crate::prelude::*;

use crate::error::{ChatError, ErrorKind};
use crate::split::{self, Module};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/host.js")]
extern "C" {
    /// Promise of the split module `file` linked to this one (`exports`: ours); the same
    /// promise for every caller until it fails.
    #[wasm_bindgen(js_name = loadExtra)]
    fn load_extra(exports: &JsValue, file: &str) -> JsValue;
}

/// Makes the second module's lazy functions callable; resolves at once when they already are.
/// `load_module`'s own future, not an `async fn` around it: one state machine less in each
/// of the dozen places that await it (−55 B; boxing it instead was +119 B).
pub fn load() -> impl core::future::Future<Output = Result<(), ChatError>> {
    load_module(Module::Extra)
}

/// Makes `m`'s lazy functions callable.
pub async fn load_module(m: Module) -> Result<(), ChatError> {
    if split::is_loaded(m) {
        return Ok(());
    }
    match crate::task::wait(&load_extra(&wasm_bindgen::exports(), m.file())).await {
        Ok(_) => {
            split::set_loaded(m);
            Ok(())
        }
        Err(e) => Err(ChatError::new(
            ErrorKind::Network,
            cat(&[
                "rill-chat could not load a part of itself (",
                m.file(),
                "): ",
                &crate::jsvalue::js_message(&e),
            ]),
        )),
    }
}

/// The error of a JS API call made before `await ready`.
pub fn not_ready() -> JsValue {
    crate::jsvalue::chat_error_js(
        &ChatError::config("rill-chat is not ready: `await ready` before using the JS API"),
        None,
    )
}
