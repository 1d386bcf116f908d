//! The DOM edit format: what the widget wants done to the page, written as bytes into one
//! buffer that `interpreter.js` replays in a single call. Pure, so the encoding is tested
//! natively; `dom/mod.rs` owns the buffer and the flush.
//!
//! # Format
//! A buffer is a sequence of ops. Each op is one byte, then its operands in order:
//! `id` is a u32 little-endian node handle (0 = none, 1 = the node an event was delivered to),
//! `str` is a u32 little-endian byte length followed by that many bytes of UTF-8, `num` is an
//! i32 little-endian.
//!
//! Building uses a stack. `AT`, `BEFORE` and `FIRST` push an existing node as the place new
//! nodes go; `OPEN` pushes a new element; `CLOSE` pops it and puts it into the node below
//! (appended, or for the bottom frame of `BEFORE`/`FIRST`, inserted before the reference);
//! `END` pops a place. `ATTR`, `TEXT`, `KEEP`, `ON` act on the top of the stack. Every other op
//! names its node by id. Text is only ever set as text nodes or `textContent`; attribute values
//! the page's code did not choose are judged before they are written (see `markdown::url`).
//!
//! | op | code | operands | effect |
//! |----|------|----------|--------|
//! | OPEN | 1 | str tag | push `createElement(tag)` |
//! | OPEN_SVG | 2 | str tag | push `createElementNS(svg, tag)` |
//! | ATTR | 3 | str name, str value | top.setAttribute |
//! | TEXT | 4 | str text | put a text node in top (before its place's reference, like a closed element) |
//! | CLOSE | 5 | | pop, put into the new top |
//! | KEEP | 6 | id | the top node is `id` from now on |
//! | KEEP_TEXT | 7 | id, str text | the same, known as `id` |
//! | AT | 8 | id | push `id`: new nodes are appended to it |
//! | BEFORE | 9 | id, id ref | push `id`: new nodes go before `ref` |
//! | FIRST | 10 | id | push `id`: new nodes go before its first child |
//! | END | 11 | | pop a place |
//! | SET_TEXT | 12 | id, str | `textContent =` (empty: no children) |
//! | ADD_TEXT | 13 | id, str | `appendData` on a text node |
//! | SET_ATTR | 14 | id, str name, str value | setAttribute |
//! | DEL_ATTR | 15 | id, str name | removeAttribute |
//! | CLASS | 16 | id, str name, num on | classList.toggle(name, on) |
//! | REMOVE | 17 | id | remove the node and forget `id` |
//! | FORGET | 18 | id | forget `id` (the node stays) |
//! | STYLE | 19 | id, str prop, str value | style.setProperty (empty value: removeProperty) |
//! | VALUE | 20 | id, str | `.value =` (form controls) |
//! | FOCUS | 21 | id | focus(), after the buffer is replayed |
//! | CLICK | 22 | id | click(), after the buffer is replayed |
//! | ON | 23 | num code | events inside top are reported with `code` |
//! | SCROLL | 24 | id, num top | `scrollTop =` |
//! | CUT_AFTER | 25 | id | remove every sibling after the node |
//! | MOVE_ALL | 26 | id from, id to | move from's children before to's first child |
//! | DROP_ALL | 27 | id, str selector | remove every match of `querySelectorAll` inside |
//! | OPEN_MATH | 28 | str tag | push `createElementNS(mathml, tag)` (math only: `widget/math.rs`) |
//! | BASE | 29 | num base | from now on `KEEP k` means `id base + k` (0: as written) |
//!
//! A template (`src/widget/*.html`, compiled by `build.rs`) is a run of these ops written
//! once, whose `KEEP`s number its nodes from 0: `Edits::template` puts it between a `BASE`
//! and a `BASE 0`, so one copy of its bytes serves every element that uses it.

use crate::prelude::*;

pub const OPEN: u8 = 1;
pub const OPEN_SVG: u8 = 2;
pub const ATTR: u8 = 3;
pub const TEXT: u8 = 4;
pub const CLOSE: u8 = 5;
pub const KEEP: u8 = 6;
pub const KEEP_TEXT: u8 = 7;
pub const AT: u8 = 8;
pub const BEFORE: u8 = 9;
pub const FIRST: u8 = 10;
pub const END: u8 = 11;
pub const SET_TEXT: u8 = 12;
pub const ADD_TEXT: u8 = 13;
pub const SET_ATTR: u8 = 14;
pub const DEL_ATTR: u8 = 15;
pub const CLASS: u8 = 16;
pub const REMOVE: u8 = 17;
pub const FORGET: u8 = 18;
pub const STYLE: u8 = 19;
pub const VALUE: u8 = 20;
pub const FOCUS: u8 = 21;
pub const CLICK: u8 = 22;
pub const ON: u8 = 23;
pub const SCROLL: u8 = 24;
pub const CUT_AFTER: u8 = 25;
pub const MOVE_ALL: u8 = 26;
pub const DROP_ALL: u8 = 27;
pub const OPEN_MATH: u8 = 28;
pub const BASE: u8 = 29;

/// A handle to a node the interpreter holds for us.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Node(pub u32);

/// The node an event was delivered to, while its handler runs.
pub const TARGET: Node = Node(1);

/// The edit buffer plus the node handles in use. Handles are reused once forgotten.
pub struct Edits {
    pub buf: Vec<u8>,
    next: u32,
    free: Vec<u32>,
}

impl Default for Edits {
    fn default() -> Self {
        Edits::new()
    }
}

impl Edits {
    pub const fn new() -> Edits {
        Edits {
            buf: Vec::new(),
            next: 2,
            free: Vec::new(),
        }
    }

    /// A fresh handle (0 and 1 are reserved).
    pub fn handle(&mut self) -> Node {
        if let Some(id) = self.free.pop() {
            return Node(id);
        }
        self.next += 1;
        Node(self.next - 1)
    }

    fn release(&mut self, n: Node) {
        if n.0 > 1 && !self.free.contains(&n.0) {
            self.free.push(n.0);
        }
    }

    /// Handles in use, for tests that check nothing leaks.
    pub fn live_handles(&self) -> usize {
        (self.next - 2) as usize - self.free.len()
    }

    fn op(&mut self, code: u8) -> &mut Self {
        self.buf.push(code);
        self
    }

    fn u32(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    fn str(&mut self, s: &str) -> &mut Self {
        self.u32(s.len() as u32);
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    pub fn open(&mut self, tag: &str) {
        self.op(OPEN).str(tag);
    }

    pub fn open_svg(&mut self, tag: &str) {
        self.op(OPEN_SVG).str(tag);
    }

    pub fn open_math(&mut self, tag: &str) {
        self.op(OPEN_MATH).str(tag);
    }

    pub fn attr(&mut self, name: &str, value: &str) {
        self.op(ATTR).str(name).str(value);
    }

    pub fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.op(TEXT).str(text);
        }
    }

    pub fn close(&mut self) {
        self.op(CLOSE);
    }

    /// The element being built gets a handle.
    pub fn keep(&mut self) -> Node {
        let n = self.handle();
        self.op(KEEP).u32(n.0);
        n
    }

    /// Builds template `t` (the edits `build.rs` compiled) at the top of the stack; its
    /// `slots` kept nodes get handles `base..base + slots`, and `base` is returned.
    pub fn template(&mut self, t: &[u8], slots: u32) -> u32 {
        let base = self.next;
        self.next += slots;
        self.op(BASE).u32(base);
        self.buf.extend_from_slice(t);
        self.op(BASE).u32(0);
        base
    }

    pub fn keep_text(&mut self, text: &str) -> Node {
        let n = self.handle();
        self.op(KEEP_TEXT).u32(n.0).str(text);
        n
    }

    pub fn at(&mut self, n: Node) {
        self.op(AT).u32(n.0);
    }

    pub fn before(&mut self, parent: Node, reference: Node) {
        self.op(BEFORE).u32(parent.0).u32(reference.0);
    }

    pub fn first(&mut self, parent: Node) {
        self.op(FIRST).u32(parent.0);
    }

    pub fn end(&mut self) {
        self.op(END);
    }

    pub fn set_text(&mut self, n: Node, text: &str) {
        self.op(SET_TEXT).u32(n.0).str(text);
    }

    pub fn add_text(&mut self, n: Node, text: &str) {
        if !text.is_empty() {
            self.op(ADD_TEXT).u32(n.0).str(text);
        }
    }

    pub fn set_attr(&mut self, n: Node, name: &str, value: &str) {
        self.op(SET_ATTR).u32(n.0).str(name).str(value);
    }

    pub fn del_attr(&mut self, n: Node, name: &str) {
        self.op(DEL_ATTR).u32(n.0).str(name);
    }

    /// The boolean attribute `name` present or absent.
    pub fn flag(&mut self, n: Node, name: &str, on: bool) {
        if on {
            self.set_attr(n, name, "");
        } else {
            self.del_attr(n, name);
        }
    }

    pub fn class(&mut self, n: Node, name: &str, on: bool) {
        self.op(CLASS).u32(n.0).str(name).u32(on as u32);
    }

    pub fn remove(&mut self, n: Node) {
        self.op(REMOVE).u32(n.0);
        self.release(n);
    }

    pub fn forget(&mut self, n: Node) {
        self.op(FORGET).u32(n.0);
        self.release(n);
    }

    pub fn style(&mut self, n: Node, prop: &str, value: &str) {
        self.op(STYLE).u32(n.0).str(prop).str(value);
    }

    pub fn value(&mut self, n: Node, value: &str) {
        self.op(VALUE).u32(n.0).str(value);
    }

    pub fn focus(&mut self, n: Node) {
        self.op(FOCUS).u32(n.0);
    }

    pub fn click(&mut self, n: Node) {
        self.op(CLICK).u32(n.0);
    }

    pub fn on(&mut self, code: u32) {
        self.op(ON).u32(code);
    }

    pub fn scroll(&mut self, n: Node, top: i32) {
        self.op(SCROLL).u32(n.0).u32(top as u32);
    }

    pub fn cut_after(&mut self, n: Node) {
        self.op(CUT_AFTER).u32(n.0);
    }

    pub fn move_all(&mut self, from: Node, to: Node) {
        self.op(MOVE_ALL).u32(from.0).u32(to.0);
    }

    pub fn drop_all(&mut self, n: Node, selector: &str) {
        self.op(DROP_ALL).u32(n.0).str(selector);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_are_laid_out_as_documented() {
        let mut e = Edits::new();
        let log = e.handle();
        e.at(log);
        e.open("p");
        e.attr("dir", "auto");
        e.text("hé");
        let p = e.keep();
        e.close();
        e.end();
        e.class(p, "x", true);
        let mut want = vec![AT, 2, 0, 0, 0, OPEN, 1, 0, 0, 0, b'p', ATTR, 3, 0, 0, 0];
        want.extend_from_slice(b"dir");
        want.extend_from_slice(&[4, 0, 0, 0]);
        want.extend_from_slice(b"auto");
        want.extend_from_slice(&[TEXT, 3, 0, 0, 0, b'h', 0xC3, 0xA9, KEEP, 3, 0, 0, 0]);
        want.extend_from_slice(&[CLOSE, END, CLASS, 3, 0, 0, 0, 1, 0, 0, 0, b'x', 1, 0, 0, 0]);
        assert_eq!(e.buf, want);
    }

    #[test]
    fn handles_skip_the_reserved_ones_and_are_reused_once_forgotten() {
        let mut e = Edits::new();
        let a = e.handle();
        let b = e.handle();
        assert_eq!((a, b), (Node(2), Node(3)));
        assert_eq!(e.live_handles(), 2);
        e.remove(a);
        e.forget(b);
        e.forget(b);
        assert_eq!(e.live_handles(), 0);
        let c = e.handle();
        assert!(c == a || c == b);
        e.forget(TARGET);
        assert_eq!(e.live_handles(), 1);
    }

    #[test]
    fn a_template_keeps_its_nodes_as_fresh_handles_between_two_bases() {
        let mut e = Edits::new();
        let before = e.handle();
        let t = [OPEN, 1, 0, 0, 0, b'p', KEEP, 1, 0, 0, 0, CLOSE];
        let base = e.template(&t, 2);
        assert_eq!(base, 3);
        let after = e.handle();
        assert_eq!((before, after), (Node(2), Node(5)));
        assert_eq!(e.live_handles(), 4);
        let mut want = vec![BASE, 3, 0, 0, 0];
        want.extend_from_slice(&t);
        want.extend_from_slice(&[BASE, 0, 0, 0, 0]);
        assert_eq!(e.buf, want);
    }

    #[test]
    fn empty_text_writes_nothing() {
        let mut e = Edits::new();
        e.text("");
        e.add_text(Node(5), "");
        assert!(e.buf.is_empty());
        e.set_text(Node(5), "");
        assert_eq!(e.buf, [SET_TEXT, 5, 0, 0, 0, 0, 0, 0, 0]);
    }
}
