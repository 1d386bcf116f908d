//! Fetches and links the second module (`split.rs` says what is in it) the first time a
//! feature needs it (wasm only): the JS half is `loadExtra` in `src/host.js`.

use crate::prelude::*;

use crate::error::{ChatError, ErrorKind};
use crate::split;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/host.js")]
extern "C" {
    /// Promise of the second module linked to this one (`exports`: ours); the same promise
    /// for every caller until it fails.
    #[wasm_bindgen(js_name = loadExtra)]
    fn load_extra(exports: &JsValue) -> JsValue;
}

/// Makes the lazy functions callable; resolves at once when they already are.
pub async fn load() -> Result<(), ChatError> {
    if split::loaded() {
        return Ok(());
    }
    match crate::task::wait(&load_extra(&wasm_bindgen::exports())).await {
        Ok(_) => {
            split::set_loaded();
            Ok(())
        }
        Err(e) => Err(ChatError::new(
            ErrorKind::Network,
            cat(&[
                "rill-chat could not load its second module (rill_chat_extra.wasm): ",
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
