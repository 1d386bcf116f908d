//! The element's fixed parts, built once: header (title, Clear, Close), the log with its
//! "jump to latest" button, the composer (attachments, textarea, Send/Stop) and the
//! launcher button. Labels come from `Strings` and are re-applied when the page changes them.

use crate::prelude::*;

use super::scroll::Follow;
use super::strings::Strings;
use crate::dom::{self, Edits, Node};
use alloc::rc::Rc;

/// What a control's events are reported with (`dom::listen`); per-item controls (Edit, an
/// attachment's ×) carry the item's handle above the low byte.
pub(crate) mod code {
    pub const SEND: u32 = 1;
    pub const INPUT: u32 = 2;
    pub const LOG: u32 = 3;
    pub const JUMP: u32 = 4;
    pub const CLEAR: u32 = 5;
    pub const CLOSE: u32 = 6;
    pub const LAUNCHER: u32 = 7;
    pub const ATTACH: u32 = 8;
    pub const FILES: u32 = 9;
    pub const COPY_CODE: u32 = 10;
    pub const COPY_REPLY: u32 = 11;
    pub const REGENERATE: u32 = 12;
    pub const CONTINUE: u32 = 13;
    pub const RETRY: u32 = 14;
    pub const EDIT: u32 = 15;
    pub const REMOVE_IMAGE: u32 = 16;
}

pub(crate) struct Chrome {
    pub frame: Node,
    pub log: Node,
    /// Announces each finished reply once to screen readers.
    pub live: Node,
    pub previews: Node,
    /// Attachment problems (too large, wrong type), shown above the composer.
    pub note: Node,
    pub file_input: Node,
    pub input: Node,
    pub button: Node,
    pub launcher: Node,
    pub unread_dot: Node,
    pub follow: Rc<Follow>,
}

mod tpl {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}
use tpl::chrome_slot as slot;
// The first kept node is the frame: its handle is the template's base (`forget`, `label`).
const _: () = assert!(slot::FRAME == 0);

/// Opens `<tag class=… part=…>` on the edit stack.
pub(crate) fn open(e: &mut Edits, tag: &str, class: &str, part: &str) {
    e.open(tag);
    e.attr("class", class);
    e.attr("part", part);
}

/// Opens a `type=button` button reported with `code`.
pub(crate) fn button(e: &mut Edits, class: &str, part: &str, code: u32) {
    open(e, "button", class, part);
    e.attr("type", "button");
    e.on(code);
}

impl Chrome {
    /// Builds `chrome.html` in `root`.
    pub fn build(root: Node) -> Chrome {
        dom::with(|e| {
            e.at(root);
            let base = e.template(tpl::CHROME, tpl::CHROME_SLOTS);
            e.end();
            let n = |slot: u32| Node(base + slot);
            Chrome {
                follow: Rc::new(Follow::new(n(slot::LOG), n(slot::JUMP))),
                frame: n(slot::FRAME),
                log: n(slot::LOG),
                live: n(slot::LIVE),
                previews: n(slot::PREVIEWS),
                note: n(slot::NOTE),
                file_input: n(slot::FILE_INPUT),
                input: n(slot::INPUT),
                button: n(slot::SEND),
                launcher: n(slot::LAUNCHER),
                unread_dot: n(slot::UNREAD_DOT),
            }
        })
    }

    /// The element is gone: its handles are given back.
    pub fn forget(&self, e: &mut Edits) {
        self.follow.forget();
        for i in 0..tpl::CHROME_SLOTS {
            e.forget(Node(self.frame.0 + i));
        }
    }

    /// Puts the page's words on every fixed control.
    pub fn label(&self, t: &Strings, busy: bool, unread: bool) {
        dom::with(|e| {
            // The words chrome.html names, as `{slot}{attribute}={key}` lines (build.rs).
            for line in split_byte(tpl::CHROME_LABELS, b'\n') {
                // (A template without words has one empty line.)
                let Some(&slot) = line.as_bytes().first() else {
                    continue;
                };
                let n = Node(self.frame.0 + u32::from(slot.wrapping_sub(b'a')));
                if let Some((name, key)) = split_once_byte(&line[1..], b'=') {
                    if name.is_empty() {
                        e.set_text(n, t.get(key));
                    } else {
                        e.set_attr(n, name, t.get(key));
                    }
                }
            }
            e.set_text(self.button, t.get(if busy { "stop" } else { "send" }));
            let open = if unread { "openChatUnread" } else { "openChat" };
            e.set_attr(self.launcher, "aria-label", t.get(open));
        });
    }
}
