//! Following the end of the log: new text keeps the reader at the bottom only while they
//! are there; a reader who scrolled up is left alone and offered "Jump to latest".
//! Following is the reader's intent, read from their scrolling — not the geometry at draw
//! time, which content growing above (an image decoding) would get wrong.

use crate::dom::{self, Measure, Node};
use core::cell::Cell;

pub(crate) struct Follow {
    log: Node,
    jump: Node,
    on: Cell<bool>,
    /// Where our own last scroll put the log; a scroll above it was the reader's.
    auto_top: Cell<i32>,
    /// The element is gone and its nodes forgotten; a reply still ending draws nowhere.
    gone: Cell<bool>,
}

impl Follow {
    pub fn new(log: Node, jump: Node) -> Follow {
        Follow {
            log,
            jump,
            on: Cell::new(true),
            auto_top: Cell::new(0),
            gone: Cell::new(false),
        }
    }

    /// Its nodes are forgotten (`Chrome::forget`): nothing more is scrolled or shown.
    pub fn forget(&self) {
        self.gone.set(true);
    }

    /// The reader asked to see the end (sent a message, pressed Jump): go and stay there.
    pub fn to_end(&self) {
        self.on.set(true);
        self.scroll_down();
        dom::with(|e| e.flag(self.jump, "hidden", true));
    }

    /// After the log grew: follow, or offer the way back.
    pub fn after_growth(&self) {
        if self.gone.get() {
            return;
        }
        if self.on.get() {
            self.scroll_down();
        } else if !self.at_bottom() {
            dom::with(|e| e.flag(self.jump, "hidden", false));
        }
    }

    /// A scroll event, ours or the reader's.
    pub fn on_scroll(&self) {
        if self.at_bottom() {
            self.on.set(true);
            dom::with(|e| e.flag(self.jump, "hidden", true));
        } else if dom::number(self.log, Measure::ScrollTop) < self.auto_top.get() - 1 {
            self.on.set(false);
        }
    }

    fn scroll_down(&self) {
        let height = dom::number(self.log, Measure::ScrollHeight);
        dom::with(|e| e.scroll(self.log, height));
        self.auto_top.set(dom::number(self.log, Measure::ScrollTop));
    }

    /// At the end of the log, with a few pixels of slack for rounding.
    fn at_bottom(&self) -> bool {
        let (height, top, client) = (
            dom::number(self.log, Measure::ScrollHeight),
            dom::number(self.log, Measure::ScrollTop),
            dom::number(self.log, Measure::ClientHeight),
        );
        height - top - client <= 24
    }
}
