//! Block starts: which line opens which block (quotes, headings, fences, tables, setext
//! underlines, thematic breaks, list items, indented code) — the second step of each line.

use crate::prelude::*;

use super::{inlines, is_space_or_tab, BlockParser, Kind, ListData, Start, CODE_INDENT};
use crate::markdown::tree::Align;

impl BlockParser {
    pub(super) fn try_starts(&mut self, container: &mut usize, line: &[u8]) -> Start {
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
                let text = text_of(&rest[hashes..]);
                self.nodes[id].content = atx_content(text);
                self.offset = line.len();
                return Start::Leaf;
            }
            // Fenced code.
            if let Some(ch @ (b'`' | b'~')) = c {
                let len = rest.iter().take_while(|&&b| b == ch).count();
                let info_bytes = &rest[len..];
                if len >= 3 && !(ch == b'`' && in_bytes(info_bytes, b'`')) {
                    self.close_unmatched();
                    let id = self.add_child(Kind::FencedCode);
                    self.nodes[id].fence = (ch, len, self.indent);
                    self.nodes[id].info = inlines::unescape(text_of(info_bytes).trim_ascii());
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
                    let content = core::mem::take(&mut self.nodes[para].content);
                    let trimmed = trim_end_set(&content, b"\n");
                    let (before, header) = match rfind_byte(trimmed, b'\n') {
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
                    if !self.nodes[para].content.trim_ascii().is_empty() {
                        let level = if ch == b'=' { 1 } else { 2 };
                        self.nodes[para].kind = Kind::Heading(level);
                        let text = self.nodes[para].content.trim_ascii().to_owned();
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
        let row = core::str::from_utf8(rest).ok()?.trim_ascii_end();
        let content = trim_end_set(&self.nodes[para].content, b"\n");
        let header = &content[rfind_byte(content, b'\n').map_or(0, |i| i + 1)..];
        if !has_byte(row, b'|') && !has_byte(header, b'|') {
            return None;
        }
        let cells = split_row(row);
        let mut align = Vec::with_capacity(cells.len());
        for cell in &cells {
            let cell = cell.trim_ascii();
            let left = cell.starts_with(":");
            let right = cell.ends_with(":") && cell.len() > 1;
            let dashes = trim_set(cell, b":");
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
                let start: u64 = parse_u64(core::str::from_utf8(&rest[..digits]).ok()?)?;
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
    let t = trim_set(text, b" \t");
    let without = trim_end_set(t, b"#");
    if without.is_empty() {
        return String::new();
    }
    if without.len() < t.len() && !ends_with_any(without, b" \t") {
        return t.to_owned();
    }
    trim_end_set(without, b" \t").to_owned()
}

/// Cells of a table row: split on unescaped `|`, outer pipes dropped, `\|` kept for inlines.
pub(super) fn split_row(row: &str) -> Vec<String> {
    let row = row.trim_ascii();
    let row = row.strip_prefix("|").unwrap_or(row);
    let mut cells = Vec::new();
    let mut cell = String::new();
    // Bytes (both markers are ASCII), copied a run at a time.
    let b = row.as_bytes();
    let (mut from, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'\\' if b.get(i + 1) == Some(&b'|') => {
                cell.push_str(&row[from..i]);
                cell.push('|');
                i += 2;
                from = i;
            }
            b'|' => {
                cell.push_str(&row[from..i]);
                cells.push(core::mem::take(&mut cell));
                i += 1;
                from = i;
            }
            _ => i += 1,
        }
    }
    cell.push_str(&row[from..]);
    if !cell.trim_ascii().is_empty() || cells.is_empty() {
        cells.push(cell);
    }
    cells
}
