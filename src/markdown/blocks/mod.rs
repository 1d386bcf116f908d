//! Block structure, line by line, in the CommonMark way (the strategy of the spec's
//! appendix and of commonmark.js): each line first continues the open containers it can,
//! then may start new blocks, else extends the open paragraph (laziness) or starts one.
//! Lines are only ever appended, so the parser is naturally incremental: a block that is
//! closed is final.

use crate::prelude::*;

mod output;
pub use output::code_language;
mod starts;

use super::inlines::{self, RefMap};
use super::tree::{Align, Block};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Document,
    BlockQuote,
    List,
    Item,
    Paragraph,
    Heading(u8),
    ThematicBreak,
    FencedCode,
    IndentedCode,
    Table,
}

#[derive(Debug, Clone, Default)]
struct ListData {
    ordered: bool,
    /// The bullet character or the ordered delimiter (`.` / `)`).
    marker: u8,
    start: u64,
    marker_offset: usize,
    padding: usize,
}

#[derive(Debug, Clone)]
struct Node {
    kind: Kind,
    parent: usize,
    children: Vec<usize>,
    open: bool,
    start_line: usize,
    end_line: usize,
    content: String,
    list: ListData,
    fence: (u8, usize, usize),
    info: String,
    align: Vec<Align>,
    rows: Vec<String>,
}

/// The block parser: feed complete lines, then `finish`.
#[derive(Debug, Clone)]
pub struct BlockParser {
    nodes: Vec<Node>,
    tip: usize,
    old_tip: usize,
    line_number: usize,
    offset: usize,
    column: usize,
    next_nonspace: usize,
    next_nonspace_column: usize,
    indent: usize,
    indented: bool,
    blank: bool,
    partially_consumed_tab: bool,
    all_closed: bool,
    last_matched: usize,
    /// The opening line of a fence or a table was consumed by its start.
    line_consumed: bool,
    pub refs: RefMap,
}

const CODE_INDENT: usize = 4;

fn is_space_or_tab(b: Option<&u8>) -> bool {
    matches!(b, Some(b' ' | b'\t'))
}

impl Default for BlockParser {
    fn default() -> Self {
        Self::new()
    }
}

impl BlockParser {
    pub fn new() -> Self {
        let doc = Node::new(Kind::Document, 0, 0);
        BlockParser {
            nodes: vec![doc],
            tip: 0,
            old_tip: 0,
            line_number: 0,
            offset: 0,
            column: 0,
            next_nonspace: 0,
            next_nonspace_column: 0,
            indent: 0,
            indented: false,
            blank: false,
            partially_consumed_tab: false,
            all_closed: true,
            last_matched: 0,
            line_consumed: false,
            refs: RefMap::default(),
        }
    }

    /// Parses a whole document.
    pub fn parse(text: &str) -> (Vec<Block>, RefMap) {
        BlockParser::fed(RefMap::default(), text).finish()
    }

    /// A parser that knows the definitions `refs` and has read every line of `text`. Not
    /// inlined: the stream starts its parses of the tail in four places.
    #[inline(never)]
    pub fn fed(refs: RefMap, text: &str) -> BlockParser {
        let mut p = BlockParser::new();
        p.refs = refs;
        for line in lines(text) {
            p.add_line_text(line);
        }
        p
    }

    /// Ends the document: closes every open block and builds the tree.
    pub fn finish(mut self) -> (Vec<Block>, RefMap) {
        while self.tip != 0 {
            let tip = self.tip;
            self.finalize(tip, self.line_number);
        }
        self.finalize(0, self.line_number);
        let blocks = self.children_blocks(0);
        (blocks, self.refs)
    }

    /// How many leading top-level blocks are closed for good and can be cut off: the tail
    /// after them must parse the same on its own, so a block is only cut where a blank line
    /// separates it from the next (a table header line or a paragraph's continuation means
    /// something else at the start of a document).
    pub fn closed_top_level(&self) -> usize {
        let kids = &self.nodes[0].children;
        let closed = kids.iter().take_while(|&&c| !self.nodes[c].open).count();
        (0..=closed)
            .rev()
            .find(|&n| {
                n == 0
                    || kids.get(n).is_none_or(|&next| {
                        self.nodes[next].start_line > self.nodes[kids[n - 1]].end_line + 1
                    })
            })
            .unwrap_or(0)
    }

    /// One line without its line ending.
    pub fn add_line_text(&mut self, raw: &str) {
        // NUL is replaced for security (spec §2.3).
        let owned;
        let line = if has_byte(raw, 0) {
            owned = replace_byte(raw, 0, "\u{FFFD}");
            owned.as_str()
        } else {
            raw
        };
        self.incorporate(line);
    }

    fn incorporate(&mut self, line: &str) {
        let bytes = line.as_bytes();
        let mut container = 0;
        self.old_tip = self.tip;
        self.offset = 0;
        self.column = 0;
        self.blank = false;
        self.partially_consumed_tab = false;
        self.line_consumed = false;
        self.line_number += 1;

        while let Some(&last) = self.nodes[container].children.last() {
            if !self.nodes[last].open {
                break;
            }
            container = last;
            self.find_next_nonspace(bytes);
            match self.continues(container, bytes) {
                Continue::Matched => {}
                Continue::Failed => {
                    container = self.nodes[container].parent;
                    break;
                }
                Continue::LineDone => return,
            }
        }
        self.all_closed = container == self.old_tip;
        self.last_matched = container;

        let mut matched_leaf = matches!(
            self.nodes[container].kind,
            Kind::FencedCode | Kind::IndentedCode
        );
        while !matched_leaf {
            self.find_next_nonspace(bytes);
            let c = bytes.get(self.next_nonspace).copied().unwrap_or(b'\n');
            if !self.indented && !in_bytes(b"#`~*+_=<>-|:0123456789", c) {
                self.advance_next_nonspace();
                break;
            }
            match self.try_starts(&mut container, bytes) {
                Start::None => {
                    self.advance_next_nonspace();
                    break;
                }
                Start::Container => container = self.tip,
                Start::Leaf => {
                    container = self.tip;
                    matched_leaf = true;
                }
            }
        }

        let tip_kind = self.nodes[self.tip].kind;
        if !self.all_closed && !self.blank && tip_kind == Kind::Paragraph {
            // Lazy continuation line.
            self.add_line(bytes);
            return;
        }
        self.close_unmatched();
        if self.line_consumed {
            return;
        }
        match self.nodes[container].kind {
            Kind::FencedCode | Kind::IndentedCode => self.add_line(bytes),
            Kind::Paragraph => self.add_line(bytes),
            Kind::Table if !self.blank => {
                let row = line[self.offset..].to_owned();
                self.nodes[container].rows.push(row);
            }
            Kind::Heading(_) | Kind::ThematicBreak | Kind::Table => {}
            _ if !self.blank => {
                self.add_child(Kind::Paragraph);
                self.add_line(bytes);
            }
            _ => {}
        }
    }

    fn find_next_nonspace(&mut self, line: &[u8]) {
        let mut i = self.offset;
        let mut cols = self.column;
        while let Some(&c) = line.get(i) {
            match c {
                b' ' => cols += 1,
                b'\t' => cols += 4 - cols % 4,
                _ => break,
            }
            i += 1;
        }
        self.blank = i >= line.len();
        self.next_nonspace = i;
        self.next_nonspace_column = cols;
        self.indent = cols - self.column;
        self.indented = self.indent >= CODE_INDENT;
    }

    fn advance_next_nonspace(&mut self) {
        self.offset = self.next_nonspace;
        self.column = self.next_nonspace_column;
        self.partially_consumed_tab = false;
    }

    /// Advances by `count` columns (`columns`) or characters, splitting tabs when needed.
    fn advance_offset(&mut self, line: &[u8], mut count: usize, columns: bool) {
        while count > 0 {
            let Some(&c) = line.get(self.offset) else {
                break;
            };
            if c == b'\t' {
                let to_tab = 4 - self.column % 4;
                if columns {
                    self.partially_consumed_tab = to_tab > count;
                    let adv = to_tab.min(count);
                    self.column += adv;
                    if !self.partially_consumed_tab {
                        self.offset += 1;
                    }
                    count -= adv;
                } else {
                    self.partially_consumed_tab = false;
                    self.column += to_tab;
                    self.offset += 1;
                    count -= 1;
                }
            } else {
                self.partially_consumed_tab = false;
                self.offset += 1;
                // Continuation bytes of a UTF-8 character take no column.
                while line.get(self.offset).is_some_and(|b| b & 0xC0 == 0x80) {
                    self.offset += 1;
                }
                self.column += 1;
                count -= 1;
            }
        }
    }

    fn add_line(&mut self, line: &[u8]) {
        let tip = self.tip;
        if self.partially_consumed_tab {
            self.offset += 1;
            let to_tab = 4 - self.column % 4;
            push_n(&mut self.nodes[tip].content, ' ', to_tab);
        }
        let rest = text_of(&line[self.offset.min(line.len())..]);
        self.nodes[tip].content.push_str(rest);
        self.nodes[tip].content.push('\n');
    }

    fn add_child(&mut self, kind: Kind) -> usize {
        while !can_contain(self.nodes[self.tip].kind, kind) {
            let tip = self.tip;
            self.finalize(tip, self.line_number - 1);
        }
        let id = self.nodes.len();
        self.nodes.push(Node::new(kind, self.tip, self.line_number));
        self.nodes[self.tip].children.push(id);
        self.tip = id;
        id
    }

    fn close_unmatched(&mut self) {
        if !self.all_closed {
            while self.old_tip != self.last_matched {
                let parent = self.nodes[self.old_tip].parent;
                let old = self.old_tip;
                self.finalize(old, self.line_number - 1);
                self.old_tip = parent;
            }
            self.all_closed = true;
        }
    }

    fn continues(&mut self, id: usize, line: &[u8]) -> Continue {
        match self.nodes[id].kind {
            Kind::BlockQuote => {
                if !self.indented && line.get(self.next_nonspace) == Some(&b'>') {
                    self.advance_next_nonspace();
                    self.advance_offset(line, 1, false);
                    if is_space_or_tab(line.get(self.offset)) {
                        self.advance_offset(line, 1, true);
                    }
                    Continue::Matched
                } else {
                    Continue::Failed
                }
            }
            Kind::Item => {
                let data = &self.nodes[id].list;
                let need = data.marker_offset + data.padding;
                if self.blank {
                    if self.nodes[id].children.is_empty() {
                        return Continue::Failed;
                    }
                    self.advance_next_nonspace();
                } else if self.indent >= need {
                    self.advance_offset(line, need, true);
                } else {
                    return Continue::Failed;
                }
                Continue::Matched
            }
            Kind::FencedCode => {
                let (ch, len, fence_offset) = self.nodes[id].fence;
                let rest = &line[self.next_nonspace.min(line.len())..];
                let run = rest.iter().take_while(|&&b| b == ch).count();
                if self.indent <= 3
                    && run >= len
                    && rest[run..].iter().all(|&b| b == b' ' || b == b'\t')
                {
                    self.finalize(id, self.line_number);
                    return Continue::LineDone;
                }
                let mut i = fence_offset;
                while i > 0 && is_space_or_tab(line.get(self.offset)) {
                    self.advance_offset(line, 1, true);
                    i -= 1;
                }
                Continue::Matched
            }
            Kind::IndentedCode => {
                if self.indent >= CODE_INDENT {
                    self.advance_offset(line, CODE_INDENT, true);
                } else if self.blank {
                    self.advance_next_nonspace();
                } else {
                    return Continue::Failed;
                }
                Continue::Matched
            }
            Kind::Paragraph | Kind::Table => {
                if self.blank {
                    Continue::Failed
                } else {
                    Continue::Matched
                }
            }
            Kind::Heading(_) | Kind::ThematicBreak => Continue::Failed,
            Kind::Document | Kind::List => Continue::Matched,
        }
    }

    fn extract_refs(&mut self, para: usize) {
        // A definition is `[label]:`, read by the second module (`markdown::rare_ready`).
        let c = &self.nodes[para].content;
        if !c.starts_with("[") || find_str(c, "]:").is_none() || !super::rare_ready() {
            return;
        }
        let content = core::mem::take(&mut self.nodes[para].content);
        let rest = inlines::extract_reference_definitions(&content, &mut self.refs);
        self.nodes[para].content = rest.to_owned();
    }

    fn finalize(&mut self, id: usize, line: usize) {
        let parent = self.nodes[id].parent;
        self.nodes[id].open = false;
        self.nodes[id].end_line = line;
        match self.nodes[id].kind {
            Kind::Paragraph => {
                self.extract_refs(id);
                if self.nodes[id].content.trim_ascii().is_empty() {
                    self.nodes[parent].children.retain(|&c| c != id);
                }
            }
            Kind::IndentedCode => {
                let c = &mut self.nodes[id].content;
                let trimmed = trim_end_set(c, b"\n \t").len();
                // Keep whole lines: cut after the last line holding non-blank text.
                let end = find_byte(&c[trimmed..], b'\n').map_or(c.len(), |i| trimmed + i + 1);
                c.truncate(end);
            }
            Kind::Item | Kind::List => {
                let last = self.nodes[id].children.last().copied();
                self.nodes[id].end_line =
                    last.map_or(self.nodes[id].start_line, |l| self.nodes[l].end_line);
            }
            _ => {}
        }
        if self.tip == id {
            self.tip = parent;
        }
    }
}

enum Continue {
    Matched,
    Failed,
    LineDone,
}

enum Start {
    None,
    Container,
    Leaf,
}

impl Node {
    fn new(kind: Kind, parent: usize, line: usize) -> Node {
        Node {
            kind,
            parent,
            children: Vec::new(),
            open: true,
            start_line: line,
            end_line: line,
            content: String::new(),
            list: ListData::default(),
            fence: (0, 0, 0),
            info: String::new(),
            align: Vec::new(),
            rows: Vec::new(),
        }
    }
}

fn can_contain(parent: Kind, child: Kind) -> bool {
    match parent {
        Kind::Document | Kind::BlockQuote | Kind::Item => child != Kind::Item,
        Kind::List => child == Kind::Item,
        _ => false,
    }
}

/// Lines of a text, split on LF, CRLF or CR, without their endings.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = rest
            .bytes()
            .position(|b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let line = &rest[..end];
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            usize::from(end < rest.len())
        };
        rest = &rest[end + skip..];
        Some(line)
    })
}
