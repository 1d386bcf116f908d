//! The element's fixed parts, built once: header (title, Clear, Close), the log with its
//! "jump to latest" button, the composer (attachments, textarea, Send/Stop) and the
//! launcher button. Labels come from `Strings` and are re-applied when the page changes them.

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
    pub title: Node,
    pub clear: Node,
    pub close: Node,
    pub log: Node,
    pub empty: Node,
    pub jump: Node,
    /// Announces each finished reply once to screen readers.
    pub live: Node,
    pub previews: Node,
    /// Attachment problems (too large, wrong type), shown above the composer.
    pub note: Node,
    pub attach: Node,
    pub file_input: Node,
    pub input: Node,
    pub button: Node,
    pub launcher: Node,
    pub unread_dot: Node,
    pub follow: Rc<Follow>,
}

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

/// A whole element with only text inside, kept.
fn leaf(e: &mut Edits, tag: &str, class: &str, part: &str) -> Node {
    open(e, tag, class, part);
    let n = e.keep();
    e.close();
    n
}

fn leaf_button(e: &mut Edits, class: &str, part: &str, code: u32) -> Node {
    button(e, class, part, code);
    let n = e.keep();
    e.close();
    n
}

impl Chrome {
    pub fn build(root: Node) -> Chrome {
        dom::with(|e| {
            e.at(root);
            open(e, "div", "frame", "container");
            e.attr("role", "region");
            e.attr("id", "rill-frame");
            let frame = e.keep();

            open(e, "div", "header", "header");
            let title = leaf(e, "span", "title", "title");
            let clear = leaf_button(e, "tool-button clear", "clear", code::CLEAR);
            let close = leaf_button(e, "tool-button close", "close", code::CLOSE);
            e.close();

            open(e, "div", "log-wrap", "log-wrap");
            open(e, "div", "log", "log");
            e.attr("role", "log");
            // Tokens are not read out one by one: the live region announces whole replies.
            e.attr("aria-live", "off");
            // A scrollable region must be reachable by keyboard to be scrolled.
            e.attr("tabindex", "0");
            e.on(code::LOG);
            let log = e.keep();
            e.close();
            button(e, "jump", "jump", code::JUMP);
            e.attr("hidden", "");
            let jump = e.keep();
            e.close();
            // Shown by CSS while the log is empty.
            open(e, "div", "empty", "empty");
            e.attr("aria-hidden", "true");
            let empty = e.keep();
            e.close();
            e.close();

            open(e, "div", "composer", "composer");
            open(e, "div", "note", "note");
            e.attr("role", "alert");
            let note = e.keep();
            e.close();
            let previews = leaf(e, "div", "previews", "previews");
            open(e, "div", "row", "composer-row");
            button(e, "attach", "attach", code::ATTACH);
            e.text("+");
            let attach = e.keep();
            e.close();
            e.open("input");
            e.attr("type", "file");
            e.attr("accept", "image/png,image/jpeg,image/gif,image/webp");
            e.attr("multiple", "");
            e.attr("hidden", "");
            // Only the attach button opens it; it is not a stop on the keyboard path.
            e.attr("tabindex", "-1");
            e.on(code::FILES);
            let file_input = e.keep();
            e.close();
            open(e, "textarea", "input", "input");
            e.attr("rows", "1");
            e.attr("dir", "auto");
            e.on(code::INPUT);
            let input = e.keep();
            e.close();
            let send = leaf_button(e, "send", "send", code::SEND);
            e.close();
            e.close();

            open(e, "div", "sr-only", "live");
            e.attr("aria-live", "polite");
            let live = e.keep();
            e.close();
            e.close();

            button(e, "launcher", "launcher", code::LAUNCHER);
            e.attr("aria-controls", "rill-frame");
            e.attr("aria-expanded", "false");
            let launcher = e.keep();
            chat_icon(e);
            open(e, "span", "dot", "unread");
            e.attr("aria-hidden", "true");
            e.attr("hidden", "");
            let unread_dot = e.keep();
            e.close();
            e.close();
            e.end();
            Chrome {
                follow: Rc::new(Follow::new(log, jump)),
                frame,
                title,
                clear,
                close,
                log,
                empty,
                jump,
                live,
                previews,
                note,
                attach,
                file_input,
                input,
                button: send,
                launcher,
                unread_dot,
            }
        })
    }

    /// The element is gone: its handles are given back.
    pub fn forget(&self, e: &mut Edits) {
        for n in [
            self.frame,
            self.title,
            self.clear,
            self.close,
            self.log,
            self.empty,
            self.jump,
            self.live,
            self.previews,
            self.note,
            self.attach,
            self.file_input,
            self.input,
            self.button,
            self.launcher,
            self.unread_dot,
        ] {
            e.forget(n);
        }
    }

    /// Puts the page's words on every fixed control.
    pub fn label(&self, t: &Strings, busy: bool, unread: bool) {
        dom::with(|e| {
            e.set_attr(self.frame, "aria-label", t.get("title"));
            e.set_attr(self.frame, "data-drop-hint", t.get("dropHint"));
            e.set_text(self.title, t.get("title"));
            e.set_text(self.clear, t.get("clear"));
            e.set_attr(self.clear, "aria-label", t.get("clearLabel"));
            e.set_text(self.close, t.get("close"));
            e.set_attr(self.close, "aria-label", t.get("closeLabel"));
            e.set_attr(self.log, "aria-label", t.get("logLabel"));
            e.set_text(self.jump, t.get("jumpToLatest"));
            e.set_text(self.empty, t.get("empty"));
            e.set_attr(self.attach, "aria-label", t.get("attach"));
            e.set_attr(self.attach, "title", t.get("attach"));
            e.set_attr(self.input, "aria-label", t.get("inputLabel"));
            e.set_attr(self.input, "placeholder", t.get("placeholder"));
            e.set_text(self.button, t.get(if busy { "stop" } else { "send" }));
            let open = if unread { "openChatUnread" } else { "openChat" };
            e.set_attr(self.launcher, "aria-label", t.get(open));
        });
    }
}

/// A speech-bubble icon drawn with SVG elements (no markup strings, no inline styles).
fn chat_icon(e: &mut Edits) {
    e.open_svg("svg");
    e.attr("viewBox", "0 0 24 24");
    e.attr("width", "26");
    e.attr("height", "26");
    e.attr("aria-hidden", "true");
    e.attr("focusable", "false");
    e.open_svg("path");
    e.attr(
        "d",
        "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    );
    e.attr("fill", "currentColor");
    e.close();
    e.close();
}
