//! Block structure, line by line, in the CommonMark way (the strategy of the spec's
//! appendix and of commonmark.js): each line first continues the open containers it can,
//! then may start new blocks, else extends the open paragraph (laziness) or starts one.
//! Lines are only ever appended, so the parser is naturally incremental: a block that is
//! closed is final.

use super::inlines::{self, RefMap};
use super::tree::{Align, Block, ListItem};

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
        let mut p = BlockParser::new();
        for line in lines(text) {
            p.add_line_text(line);
        }
        p.finish()
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

    /// The first `count` top-level blocks (all closed) as final blocks, with their byte
    /// ranges given the offsets where each line started (`starts[k]` = line k + 1, plus the
    /// end), and the definitions known so far.
    pub fn take_closed(
        self,
        count: usize,
        starts: &[usize],
    ) -> (Vec<std::ops::Range<usize>>, Vec<Block>, RefMap) {
        let kids = &self.nodes[0].children;
        let mut ranges = Vec::with_capacity(count);
        let mut blocks = Vec::with_capacity(count);
        for (i, &id) in kids.iter().take(count).enumerate() {
            let n = &self.nodes[id];
            let start = starts[n.start_line.saturating_sub(1).min(starts.len() - 1)];
            let end = match kids.get(i + 1) {
                Some(&next) => {
                    starts[self.nodes[next]
                        .start_line
                        .saturating_sub(1)
                        .min(starts.len() - 1)]
                }
                None => starts[n.end_line.min(starts.len() - 1)],
            };
            ranges.push(start..end);
            blocks.extend(self.to_block(id));
        }
        (ranges, blocks, self.refs)
    }

    /// One line without its line ending.
    pub fn add_line_text(&mut self, raw: &str) {
        // NUL is replaced for security (spec §2.3).
        let owned;
        let line = if raw.contains('\0') {
            owned = raw.replace('\0', "\u{FFFD}");
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
            if !self.indented && !b"#`~*+_=<>-|:0123456789".contains(&c) {
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
            self.nodes[tip]
                .content
                .extend(std::iter::repeat_n(' ', to_tab));
        }
        let rest = String::from_utf8_lossy(&line[self.offset.min(line.len())..]);
        self.nodes[tip].content.push_str(&rest);
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

    fn try_starts(&mut self, container: &mut usize, line: &[u8]) -> Start {
        let nn = self.next_nonspace;
        let rest = &line[nn.min(line.len())..];
        let c = rest.first().copied();
        let ckind = self.nodes[*container].kind;
        if !self.indented {
            // Block quote.
            if c == Some(b'>') {
                self.advance_next_nonspace();
                self.advance_offset(line, 1, false);
                if is_space_or_tab(line.get(self.offset)) {
                    self.advance_offset(line, 1, true);
                }
                self.close_unmatched();
                self.add_child(Kind::BlockQuote);
                return Start::Container;
            }
            // ATX heading.
            let hashes = rest.iter().take_while(|&&b| b == b'#').count();
            if (1..=6).contains(&hashes)
                && (rest.len() == hashes || is_space_or_tab(rest.get(hashes)))
            {
                self.advance_next_nonspace();
                self.close_unmatched();
                let id = self.add_child(Kind::Heading(hashes as u8));
                let text = String::from_utf8_lossy(&rest[hashes..]);
                self.nodes[id].content = atx_content(&text);
                self.offset = line.len();
                return Start::Leaf;
            }
            // Fenced code.
            if let Some(ch @ (b'`' | b'~')) = c {
                let len = rest.iter().take_while(|&&b| b == ch).count();
                let info_bytes = &rest[len..];
                if len >= 3 && !(ch == b'`' && info_bytes.contains(&b'`')) {
                    self.close_unmatched();
                    let id = self.add_child(Kind::FencedCode);
                    self.nodes[id].fence = (ch, len, self.indent);
                    self.nodes[id].info =
                        inlines::unescape(String::from_utf8_lossy(info_bytes).trim());
                    self.offset = line.len();
                    self.line_consumed = true;
                    return Start::Leaf;
                }
            }
            // GFM table: a delimiter row under a one-line header inside a paragraph.
            if ckind == Kind::Paragraph {
                if let Some(align) = self.table_start(*container, rest) {
                    self.close_unmatched();
                    let para = *container;
                    let content = std::mem::take(&mut self.nodes[para].content);
                    let trimmed = content.trim_end_matches('\n');
                    let (before, header) = match trimmed.rfind('\n') {
                        Some(i) => (&trimmed[..=i], &trimmed[i + 1..]),
                        None => ("", trimmed),
                    };
                    let header = header.to_owned();
                    self.nodes[para].content = before.to_owned();
                    // The header line belongs to the table, not to the paragraph.
                    self.finalize(para, self.line_number.saturating_sub(2));
                    let id = self.add_child(Kind::Table);
                    self.nodes[id].start_line = self.line_number - 1;
                    self.nodes[id].align = align;
                    self.nodes[id].rows.push(header);
                    self.offset = line.len();
                    self.line_consumed = true;
                    return Start::Leaf;
                }
            }
            // Setext heading underline.
            if ckind == Kind::Paragraph && matches!(c, Some(b'=' | b'-')) {
                let ch = c.unwrap_or(b'=');
                let run = rest.iter().take_while(|&&b| b == ch).count();
                if rest[run..].iter().all(|&b| b == b' ' || b == b'\t') {
                    self.close_unmatched();
                    let para = *container;
                    self.extract_refs(para);
                    if !self.nodes[para].content.trim().is_empty() {
                        let level = if ch == b'=' { 1 } else { 2 };
                        self.nodes[para].kind = Kind::Heading(level);
                        let text = self.nodes[para].content.trim().to_owned();
                        self.nodes[para].content = text;
                        self.offset = line.len();
                        return Start::Leaf;
                    }
                }
            }
            // Thematic break.
            if is_thematic_break(rest) {
                self.close_unmatched();
                self.add_child(Kind::ThematicBreak);
                self.offset = line.len();
                return Start::Leaf;
            }
        }
        // List item.
        if !self.indented || ckind == Kind::List {
            if let Some(data) = self.parse_list_marker(*container, line) {
                self.close_unmatched();
                let tip_kind = self.nodes[self.tip].kind;
                let continues_list = tip_kind == Kind::List && {
                    let l = &self.nodes[self.tip].list;
                    l.ordered == data.ordered && l.marker == data.marker
                };
                if !continues_list {
                    let id = self.add_child(Kind::List);
                    self.nodes[id].list = data.clone();
                }
                let id = self.add_child(Kind::Item);
                self.nodes[id].list = data;
                return Start::Container;
            }
        }
        // Indented code.
        if self.indented && self.nodes[self.tip].kind != Kind::Paragraph && !self.blank {
            self.advance_offset(line, CODE_INDENT, true);
            self.close_unmatched();
            self.add_child(Kind::IndentedCode);
            return Start::Leaf;
        }
        Start::None
    }

    /// The alignments if `rest` is a delimiter row matching the paragraph's last line.
    fn table_start(&self, para: usize, rest: &[u8]) -> Option<Vec<Align>> {
        let row = std::str::from_utf8(rest).ok()?.trim_end();
        let content = self.nodes[para].content.trim_end_matches('\n');
        let header = content.rsplit('\n').next()?;
        if !row.contains('|') && !header.contains('|') {
            return None;
        }
        let cells = split_row(row);
        let mut align = Vec::with_capacity(cells.len());
        for cell in &cells {
            let cell = cell.trim();
            let left = cell.starts_with(':');
            let right = cell.ends_with(':') && cell.len() > 1;
            let dashes = cell.trim_start_matches(':').trim_end_matches(':');
            if dashes.is_empty() || !dashes.bytes().all(|b| b == b'-') {
                return None;
            }
            align.push(match (left, right) {
                (true, true) => Align::Center,
                (true, false) => Align::Left,
                (false, true) => Align::Right,
                (false, false) => Align::None,
            });
        }
        (split_row(header).len() == align.len()).then_some(align)
    }

    fn parse_list_marker(&mut self, container: usize, line: &[u8]) -> Option<ListData> {
        if self.indent >= CODE_INDENT {
            return None;
        }
        let rest = &line[self.next_nonspace.min(line.len())..];
        let interrupting = self.nodes[container].kind == Kind::Paragraph;
        let (data, marker_len) = match rest.first()? {
            b @ (b'*' | b'+' | b'-') => (
                ListData {
                    ordered: false,
                    marker: *b,
                    start: 1,
                    ..ListData::default()
                },
                1,
            ),
            b'0'..=b'9' => {
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                let delim = *rest.get(digits)?;
                if digits > 9 || !(delim == b'.' || delim == b')') {
                    return None;
                }
                let start: u64 = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
                if interrupting && start != 1 {
                    return None;
                }
                (
                    ListData {
                        ordered: true,
                        marker: delim,
                        start,
                        ..ListData::default()
                    },
                    digits + 1,
                )
            }
            _ => return None,
        };
        let after = rest.get(marker_len);
        if !(after.is_none() || is_space_or_tab(after)) {
            return None;
        }
        if interrupting && rest[marker_len..].iter().all(|&b| b == b' ' || b == b'\t') {
            return None;
        }
        let mut data = data;
        self.advance_next_nonspace();
        self.advance_offset(line, marker_len, true);
        let (spaces_start_col, spaces_start_offset) = (self.column, self.offset);
        loop {
            self.advance_offset(line, 1, true);
            let next = line.get(self.offset);
            if !(self.column - spaces_start_col < 5 && is_space_or_tab(next)) {
                break;
            }
        }
        let blank_item = self.offset >= line.len();
        let spaces_after = self.column - spaces_start_col;
        if !(1..5).contains(&spaces_after) || blank_item {
            data.padding = marker_len + 1;
            self.column = spaces_start_col;
            self.offset = spaces_start_offset;
            if is_space_or_tab(line.get(self.offset)) {
                self.advance_offset(line, 1, true);
            }
        } else {
            data.padding = marker_len + spaces_after;
        }
        data.marker_offset = self.indent;
        Some(data)
    }

    fn extract_refs(&mut self, para: usize) {
        if !self.nodes[para].content.starts_with('[') {
            return;
        }
        let content = std::mem::take(&mut self.nodes[para].content);
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
                if self.nodes[id].content.trim().is_empty() {
                    self.nodes[parent].children.retain(|&c| c != id);
                }
            }
            Kind::IndentedCode => {
                let c = &mut self.nodes[id].content;
                let trimmed = c.trim_end_matches(['\n', ' ', '\t']).len();
                // Keep whole lines: cut after the last line holding non-blank text.
                let end = c[trimmed..].find('\n').map_or(c.len(), |i| trimmed + i + 1);
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

    fn ends_with_blank_line(&self, siblings: &[usize], i: usize) -> bool {
        siblings.get(i + 1).is_some_and(|&next| {
            self.nodes[siblings[i]].end_line + 1 != self.nodes[next].start_line
        })
    }

    fn children_blocks(&self, id: usize) -> Vec<Block> {
        self.nodes[id]
            .children
            .iter()
            .filter_map(|&c| self.to_block(c))
            .collect()
    }

    fn to_block(&self, id: usize) -> Option<Block> {
        let n = &self.nodes[id];
        Some(match n.kind {
            Kind::Paragraph => Block::Paragraph(inlines::parse(n.content.trim(), &self.refs)),
            Kind::Heading(level) => Block::Heading {
                level,
                content: inlines::parse(n.content.trim(), &self.refs),
            },
            Kind::ThematicBreak => Block::ThematicBreak,
            Kind::FencedCode | Kind::IndentedCode => {
                let language = n
                    .info
                    .split_whitespace()
                    .next()
                    .map(sanitize_language)
                    .filter(|l| !l.is_empty());
                Block::CodeBlock {
                    info: n.info.clone(),
                    language,
                    literal: n.content.clone(),
                }
            }
            Kind::BlockQuote => Block::BlockQuote(self.children_blocks(id)),
            Kind::List => {
                let mut tight = true;
                for (i, &item) in n.children.iter().enumerate() {
                    let kids = &self.nodes[item].children;
                    if self.ends_with_blank_line(&n.children, i)
                        || (0..kids.len()).any(|k| self.ends_with_blank_line(kids, k))
                    {
                        tight = false;
                    }
                }
                let items = n.children.iter().map(|&item| self.to_item(item)).collect();
                Block::List {
                    ordered: n.list.ordered,
                    start: n.list.start,
                    tight,
                    items,
                }
            }
            Kind::Table => {
                let width = n.align.len();
                let mut rows = n.rows.iter().map(|r| {
                    let mut cells: Vec<_> = split_row(r)
                        .iter()
                        .take(width)
                        .map(|c| inlines::parse(c.trim(), &self.refs))
                        .collect();
                    cells.resize(width, Vec::new());
                    cells
                });
                let head = rows.next().unwrap_or_default();
                Block::Table {
                    align: n.align.clone(),
                    head,
                    rows: rows.collect(),
                }
            }
            Kind::Item | Kind::Document => return None,
        })
    }

    fn to_item(&self, id: usize) -> ListItem {
        let mut task = None;
        let mut blocks = Vec::new();
        for (i, &c) in self.nodes[id].children.iter().enumerate() {
            let n = &self.nodes[c];
            if i == 0 && n.kind == Kind::Paragraph {
                let text = n.content.trim_start();
                let mark = text.get(..3).and_then(|m| match m {
                    "[ ]" => Some(false),
                    "[x]" | "[X]" => Some(true),
                    _ => None,
                });
                if let Some(checked) = mark.filter(|_| text[3..].starts_with([' ', '\t'])) {
                    task = Some(checked);
                    blocks.push(Block::Paragraph(inlines::parse(
                        text[3..].trim(),
                        &self.refs,
                    )));
                    continue;
                }
            }
            blocks.extend(self.to_block(c));
        }
        ListItem { task, blocks }
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
    std::iter::from_fn(move || {
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

fn is_thematic_break(rest: &[u8]) -> bool {
    let Some(&ch @ (b'*' | b'-' | b'_')) = rest.first() else {
        return false;
    };
    let mut count = 0;
    for &b in rest {
        if b == ch {
            count += 1;
        } else if b != b' ' && b != b'\t' {
            return false;
        }
    }
    count >= 3
}

/// ATX heading text without the optional closing `#` sequence.
fn atx_content(text: &str) -> String {
    let t = text.trim_matches([' ', '\t']);
    let without = t.trim_end_matches('#');
    if without.is_empty() {
        return String::new();
    }
    if without.len() < t.len() && !without.ends_with([' ', '\t']) {
        return t.to_owned();
    }
    without.trim_end_matches([' ', '\t']).to_owned()
}

/// Cells of a table row: split on unescaped `|`, outer pipes dropped, `\|` kept for inlines.
fn split_row(row: &str) -> Vec<String> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    if !cell.trim().is_empty() || cells.is_empty() {
        cells.push(cell);
    }
    cells
}

/// A fenced code language becomes a CSS class, so only `[A-Za-z0-9_+#.-]` survive.
fn sanitize_language(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_+#.-".contains(*c))
        .take(32)
        .collect()
}
