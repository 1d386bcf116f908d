//! Every word the element shows, with English defaults; a page translates or rewords any of
//! them through the element's `strings` property (`{ send: 'Senden', … }`).

use crate::prelude::*;

use crate::jsvalue::{count, get, item, keys};
use wasm_bindgen::JsValue;

/// Every key, space-separated, in the order of `VALUES`: one string each rather than a table
/// of (key, value) pairs, whose pointers compress poorly (−1 KB of the wasm's data).
const KEYS: &str = concat!(
    "title send stop placeholder inputLabel logLabel reasoning copy copied ",
    "copyFailed copyCode copyReply regenerate regenerateLabel edit editLabel retry ",
    "stopped cutOff continue continuePrompt tokens firstToken tokensPerSecond ",
    "jumpToLatest empty clear clearLabel close closeLabel openChat openChatUnread ",
    "attach removeImage imageTooLarge imageType imageUnreadable tooManyImages ",
    "dropHint toolRunning toolDone toolFailed toolArguments toolResult image ",
    "declined declinedEmpty filtered sources results webSearch webFetch ",
    "codeExecution cost credits",
);

/// The English defaults, one per line. `{name}`-style holes are filled by `Strings::fill`.
const VALUES: &str = concat!(
    "Chat\nSend\nStop\nType a message…\nMessage\nConversation\nReasoning\nCopy\nCopied\n",
    "Copy failed\nCopy code\nCopy reply\nRegenerate\nRegenerate reply\nEdit\nEdit message\n",
    "Retry\nStopped\nCut at the max tokens limit\nContinue\n",
    "Please continue exactly where you stopped.\n{n} tokens\nfirst token {s} s\n",
    "{n} tokens/s\nJump to latest\nAsk anything. Enter sends, Shift+Enter adds a line.\n",
    "Clear\nClear conversation\nClose\nClose chat\nOpen chat\nOpen chat (new reply)\n",
    "Attach image\nRemove {name}\n{name} is larger than {max}.\n",
    "{name} is not a PNG, JPEG, GIF or WebP image.\n{name} could not be read.\n",
    "At most {max} images per message.\nDrop images to attach them\nrunning…\ndone\n",
    "failed\nArguments\nResult\nImage\nDeclined\nThe model declined to answer.\n",
    "Stopped by the content filter\nSources\n{n} results\nWeb search\nWeb fetch\n",
    "Code execution\n${usd}\n{n} credits",
);

const fn separators(s: &str, sep: u8) -> usize {
    let (b, mut i, mut n) = (s.as_bytes(), 0, 0);
    while i < b.len() {
        n += (b[i] == sep) as usize;
        i += 1;
    }
    n
}
// As many values as keys, checked when compiling.
const _: () = assert!(separators(KEYS, b' ') == separators(VALUES, b'\n'));

fn index(key: &str) -> Option<usize> {
    split_byte(KEYS, b' ').position(|k| k == key)
}

#[derive(Clone)]
pub struct Strings {
    values: Vec<String>,
}

impl Strings {
    /// The defaults with the page's overrides (`strings` on the host) on top. Unknown keys
    /// are reported so a typo does not silently keep the English word.
    pub fn from_js(overrides: &JsValue) -> (Strings, Vec<String>) {
        let mut values = Vec::new();
        for v in split_byte(VALUES, b'\n') {
            values.push(v.to_owned());
        }
        let mut unknown = Vec::new();
        if overrides.is_object() {
            let names = keys(overrides);
            for i in 0..count(&names) {
                let Some(key) = item(&names, i).as_string() else {
                    continue;
                };
                match index(&key) {
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
        match index(key) {
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
