//! Every word the element shows, with English defaults; a page translates or rewords any of
//! them through the element's `strings` property (`{ send: 'Senden', … }`).

use crate::prelude::*;

use crate::jsvalue::{count, get, item, keys};
use wasm_bindgen::JsValue;

/// (key, default). `{name}`-style holes are filled by `Strings::fill`.
const DEFAULTS: &[(&str, &str)] = &[
    ("title", "Chat"),
    ("send", "Send"),
    ("stop", "Stop"),
    ("placeholder", "Type a message…"),
    ("inputLabel", "Message"),
    ("logLabel", "Conversation"),
    ("reasoning", "Reasoning"),
    ("copy", "Copy"),
    ("copied", "Copied"),
    ("copyFailed", "Copy failed"),
    ("copyCode", "Copy code"),
    ("copyReply", "Copy reply"),
    ("regenerate", "Regenerate"),
    ("regenerateLabel", "Regenerate reply"),
    ("edit", "Edit"),
    ("editLabel", "Edit message"),
    ("retry", "Retry"),
    ("stopped", "Stopped"),
    ("cutOff", "Cut at the max tokens limit"),
    ("continue", "Continue"),
    (
        "continuePrompt",
        "Please continue exactly where you stopped.",
    ),
    ("tokens", "{n} tokens"),
    ("firstToken", "first token {s} s"),
    ("tokensPerSecond", "{n} tokens/s"),
    ("jumpToLatest", "Jump to latest"),
    (
        "empty",
        "Ask anything. Enter sends, Shift+Enter adds a line.",
    ),
    ("clear", "Clear"),
    ("clearLabel", "Clear conversation"),
    ("close", "Close"),
    ("closeLabel", "Close chat"),
    ("openChat", "Open chat"),
    ("openChatUnread", "Open chat (new reply)"),
    ("attach", "Attach image"),
    ("removeImage", "Remove {name}"),
    ("imageTooLarge", "{name} is larger than {max}."),
    ("imageType", "{name} is not a PNG, JPEG, GIF or WebP image."),
    ("imageUnreadable", "{name} could not be read."),
    ("tooManyImages", "At most {max} images per message."),
    ("dropHint", "Drop images to attach them"),
    ("toolRunning", "running…"),
    ("toolDone", "done"),
    ("toolFailed", "failed"),
    ("toolArguments", "Arguments"),
    ("toolResult", "Result"),
    ("image", "Image"),
    ("declined", "Declined"),
    ("declinedEmpty", "The model declined to answer."),
    ("filtered", "Stopped by the content filter"),
    ("sources", "Sources"),
    ("results", "{n} results"),
    ("webSearch", "Web search"),
    ("webFetch", "Web fetch"),
    ("codeExecution", "Code execution"),
    ("cost", "${usd}"),
    ("credits", "{n} credits"),
];

#[derive(Clone)]
pub struct Strings {
    values: Vec<String>,
}

impl Strings {
    /// The defaults with the page's overrides (`strings` on the host) on top. Unknown keys
    /// are reported so a typo does not silently keep the English word.
    pub fn from_js(overrides: &JsValue) -> (Strings, Vec<String>) {
        let mut values: Vec<String> = DEFAULTS.iter().map(|(_, v)| (*v).to_owned()).collect();
        let mut unknown = Vec::new();
        if overrides.is_object() {
            let names = keys(overrides);
            for i in 0..count(&names) {
                let Some(key) = item(&names, i).as_string() else {
                    continue;
                };
                match DEFAULTS.iter().position(|(k, _)| *k == key) {
                    Some(i) => {
                        if let Some(v) = get(overrides, &key).as_string() {
                            values[i] = v;
                        }
                    }
                    None => unknown.push(key),
                }
            }
        }
        (Strings { values }, unknown)
    }

    pub fn get(&self, key: &str) -> &str {
        match DEFAULTS.iter().position(|(k, _)| *k == key) {
            Some(i) => &self.values[i],
            None => {
                debug_assert!(false, "no UI string named {key}");
                ""
            }
        }
    }

    /// The string with `{name}` holes filled.
    pub fn fill(&self, key: &str, holes: &[(&str, &str)]) -> String {
        let mut out = self.get(key).to_owned();
        for (name, value) in holes {
            out = replace_str(&out, &cat(&["{", name, "}"]), value);
        }
        out
    }
}
