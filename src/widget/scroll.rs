//! Following the end of the log: new text keeps the reader at the bottom only while they
//! are there; a reader who scrolled up is left alone and offered "Jump to latest".
//! Following is the reader's intent, read from their scrolling — not the geometry at draw
//! time, which content growing above (an image decoding) would get wrong.

use super::chrome;
use core::cell::Cell;
use web_sys::Element;

pub(crate) struct Follow {
    log: Element,
    jump: Element,
    on: Cell<bool>,
    /// Where our own last scroll put the log; a scroll above it was the reader's.
    auto_top: Cell<i32>,
}

impl Follow {
    pub fn new(log: Element, jump: Element) -> Follow {
        Follow {
            log,
            jump,
            on: Cell::new(true),
            auto_top: Cell::new(0),
        }
    }

    /// The reader asked to see the end (sent a message, pressed Jump): go and stay there.
    pub fn to_end(&self) {
        self.on.set(true);
        self.scroll_down();
        chrome::set_hidden(&self.jump, true);
    }

    /// After the log grew: follow, or offer the way back.
    pub fn after_growth(&self) {
        if self.on.get() {
            self.scroll_down();
        } else if !self.at_bottom() {
            chrome::set_hidden(&self.jump, false);
        }
    }

    /// A scroll event, ours or the reader's.
    pub fn on_scroll(&self) {
        if self.at_bottom() {
            self.on.set(true);
            chrome::set_hidden(&self.jump, true);
        } else if self.log.scroll_top() < self.auto_top.get() - 1 {
            self.on.set(false);
        }
    }

    fn scroll_down(&self) {
        self.log.set_scroll_top(self.log.scroll_height());
        self.auto_top.set(self.log.scroll_top());
    }

    /// At the end of the log, with a few pixels of slack for rounding.
    fn at_bottom(&self) -> bool {
        self.log.scroll_height() - self.log.scroll_top() - self.log.client_height() <= 24
    }
}
