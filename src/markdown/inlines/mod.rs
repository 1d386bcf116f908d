//! Inline syntax of one block's text: code spans, emphasis with the delimiter-run rules,
//! links and images (inline and reference), autolinks, escapes, entities, breaks, and the
//! GFM strikethrough and extended autolinks. Parsing yields a flat token list (delimiter
//! runs record the tags they open and close, as markdown-it does) that becomes the block's
//! flat `Inline` list at the end, so no node is ever moved while parsing.

use crate::prelude::*;

mod build;
mod links;

pub use links::{extract_reference_definitions, unescape, RefMap};
use links::{link_destination, link_title, skip_ws};

use super::entities;
use super::tree::Inline;
use super::url;

#[derive(Debug)]
enum Tok {
    Text(String),
    /// `[` or `![` waiting for its `]`; text if it never becomes a link.
    Bracket(&'static str),
    Code(String),
    Math {
        tex: String,
        display: bool,
    },
    Soft,
    Hard,
    /// A link or image whose `]` matched (`Inline::Link` or `Inline::Image`); `None` when
    /// its destination was refused: its text is shown, unlinked.
    Open(Option<Inline>),
    Close,
    /// A delimiter run: what is left of it is literal text, between the tags it closes
    /// and the tags it opens (`Emph`, `Strong`, `Strike`; innermost first).
    Run {
        ch: char,
        left: usize,
        closes: usize,
        opens: Vec<Inline>,
    },
}

struct Delim {
    tok: usize,
    ch: char,
    orig: usize,
    can_open: bool,
    can_close: bool,
    removed: bool,
}

struct Bracket {
    tok: usize,
    image: bool,
    active: bool,
    /// Delimiters at or above this index belong to the link text.
    delim_bottom: usize,
    /// Byte offset just after `[`.
    text_start: usize,
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    toks: Vec<Tok>,
    delims: Vec<Delim>,
    brackets: Vec<Bracket>,
    refs: &'a RefMap,
}

pub fn parse(text: &str, refs: &RefMap) -> Vec<Inline> {
    let mut p = Parser {
        s: text,
        pos: 0,
        toks: Vec::new(),
        delims: Vec::new(),
        brackets: Vec::new(),
        refs,
    };
    while p.pos < p.s.len() {
        p.step();
    }
    p.process_emphasis(0);
    build::build(p.toks)
}

/// Bytes that can start inline syntax (all ASCII, so a byte scan finds them).
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let bytes = b"\n\\`*_~[]!<&$";
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32, 0xA1..=0xBF | 0x2010..=0x2027 | 0x2030..=0x205E | 0x20A0..=0x20C0 | 0x2190..=0x23FF | 0x2E00..=0x2E7F | 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20)
}

fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    #[inline(never)]
    fn text(&mut self, t: &str) {
        if let Some(Tok::Text(prev)) = self.toks.last_mut() {
            prev.push_str(t);
        } else {
            self.toks.push(Tok::Text(t.to_owned()));
        }
    }

    fn step(&mut self) {
        let rest = &self.s[self.pos..];
        let Some(c) = rest.chars().next() else { return };
        match c {
            '\n' => self.newline(),
            '\\' => self.backslash(),
            '`' => self.code_span(),
            '$' => {
                if !self.math() {
                    self.pos += 1;
                    self.text("$");
                }
            }
            '*' | '_' | '~' => self.run(c),
            '[' => {
                self.brackets.push(Bracket {
                    tok: self.toks.len(),
                    image: false,
                    active: true,
                    delim_bottom: self.delims.len(),
                    text_start: self.pos + 1,
                });
                self.toks.push(Tok::Bracket("["));
                self.pos += 1;
            }
            '!' if rest.starts_with("![") => {
                self.brackets.push(Bracket {
                    tok: self.toks.len(),
                    image: true,
                    active: true,
                    delim_bottom: self.delims.len(),
                    text_start: self.pos + 2,
                });
                self.toks.push(Tok::Bracket("!["));
                self.pos += 2;
            }
            ']' => self.close_bracket(),
            '<' => self.autolink(),
            '&' => self.entity(),
            _ => {
                // Everything up to the next byte that may start syntax is plain text.
                let end = rest
                    .bytes()
                    .position(|b| SPECIAL[usize::from(b)])
                    .unwrap_or(rest.len())
                    .max(c.len_utf8());
                let t = &rest[..end];
                self.pos += end;
                self.text(t);
            }
        }
    }

    fn newline(&mut self) {
        self.pos += 1;
        let mut hard = false;
        if let Some(Tok::Text(t)) = self.toks.last_mut() {
            let trimmed = trim_end_set(t, b" ").len();
            hard = t.len() - trimmed >= 2;
            t.truncate(trimmed);
        }
        self.toks.push(if hard { Tok::Hard } else { Tok::Soft });
        let rest = &self.s[self.pos..];
        self.pos += rest.len() - trim_start_set(rest, b" \t").len();
    }

    /// Math at the cursor (`markdown::mathspan` says where it is): its TeX kept as it is.
    fn math(&mut self) -> bool {
        let Some((tex, display, end)) = super::mathspan::find(self.s, self.pos) else {
            return false;
        };
        self.toks.push(Tok::Math {
            tex: self.s[tex].to_owned(),
            display,
        });
        self.pos = end;
        true
    }

    fn backslash(&mut self) {
        if self.math() {
            return;
        }
        let next = self.s[self.pos + 1..].chars().next();
        match next {
            Some('\n') => {
                self.pos += 2;
                self.toks.push(Tok::Hard);
                let rest = &self.s[self.pos..];
                self.pos += rest.len() - trim_start_set(rest, b" \t").len();
            }
            Some(c) if c.is_ascii_punctuation() => {
                self.pos += 2;
                self.text(&c.to_string());
            }
            _ => {
                self.pos += 1;
                self.text("\\");
            }
        }
    }

    fn code_span(&mut self) {
        let rest = &self.s[self.pos..];
        let n = rest.bytes().take_while(|&b| b == b'`').count();
        let mut i = n;
        while let Some(off) = find_byte(&rest[i..], b'`') {
            let start = i + off;
            let m = rest[start..].bytes().take_while(|&b| b == b'`').count();
            if m == n {
                let mut code = replace_byte(&rest[n..start], b'\n', " ");
                if code.len() >= 2
                    && code.starts_with(" ")
                    && code.ends_with(" ")
                    && code.bytes().any(|b| b != b' ')
                {
                    code = code[1..code.len() - 1].to_owned();
                }
                self.toks.push(Tok::Code(code));
                self.pos += start + m;
                return;
            }
            i = start + m;
        }
        self.pos += n;
        self.text(&rest[..n]);
    }

    fn run(&mut self, ch: char) {
        let before = last_char(&self.s[..self.pos]).unwrap_or('\n');
        let len = self.s[self.pos..]
            .bytes()
            .take_while(|&b| char::from(b) == ch)
            .count();
        self.pos += len;
        let after = self.peek().unwrap_or('\n');
        if ch == '~' && len > 2 {
            let s = self.s;
            self.text(&s[self.pos - len..self.pos]);
            return;
        }
        let left = !is_ws(after) && (!is_punct(after) || is_ws(before) || is_punct(before));
        let right = !is_ws(before) && (!is_punct(before) || is_ws(after) || is_punct(after));
        let (can_open, can_close) = if ch == '_' {
            (
                left && (!right || is_punct(before)),
                right && (!left || is_punct(after)),
            )
        } else {
            (left, right)
        };
        self.toks.push(Tok::Run {
            ch,
            left: len,
            closes: 0,
            opens: Vec::new(),
        });
        if can_open || can_close {
            self.delims.push(Delim {
                tok: self.toks.len() - 1,
                ch,
                orig: len,
                can_open,
                can_close,
                removed: false,
            });
        }
    }

    fn left(&self, d: usize) -> usize {
        match &self.toks[self.delims[d].tok] {
            Tok::Run { left, .. } => *left,
            _ => 0,
        }
    }

    fn process_emphasis(&mut self, bottom: usize) {
        // Lowest index an opener search may reach, per (char, closer can_open, orig % 3).
        let mut floor = [bottom; 18];
        let slot = |ch: char, can_open: bool, rem: usize| {
            (match ch {
                '*' => 0,
                '_' => 6,
                _ => 12,
            }) + usize::from(can_open) * 3
                + rem
        };
        let mut closer = bottom;
        while closer < self.delims.len() {
            let d = &self.delims[closer];
            if d.removed || !d.can_close {
                closer += 1;
                continue;
            }
            let (ch, key) = (d.ch, slot(d.ch, d.can_open, d.orig % 3));
            let lowest = floor[key].max(bottom);
            let mut found = None;
            let mut o = closer;
            while o > lowest {
                o -= 1;
                let op = &self.delims[o];
                if op.removed || op.ch != ch || !op.can_open {
                    continue;
                }
                let cl = &self.delims[closer];
                let odd = (op.can_close || cl.can_open)
                    && (op.orig + cl.orig) % 3 == 0
                    && !(op.orig % 3 == 0 && cl.orig % 3 == 0);
                if ch == '~' && self.left(o) != self.left(closer) || ch != '~' && odd {
                    continue;
                }
                found = Some(o);
                break;
            }
            let Some(opener) = found else {
                floor[key] = closer;
                if !self.delims[closer].can_open {
                    self.delims[closer].removed = true;
                }
                closer += 1;
                continue;
            };
            let (lo, lc) = (self.left(opener), self.left(closer));
            let used = if ch == '~' {
                lo
            } else if lo >= 2 && lc >= 2 {
                2
            } else {
                1
            };
            let tag = match (ch, used) {
                ('~', _) => Inline::Strike,
                (_, 2) => Inline::Strong,
                _ => Inline::Emph,
            };
            if let Tok::Run { left, opens, .. } = &mut self.toks[self.delims[opener].tok] {
                *left -= used;
                opens.push(tag);
            }
            if let Tok::Run { left, closes, .. } = &mut self.toks[self.delims[closer].tok] {
                *left -= used;
                *closes += 1;
            }
            for d in &mut self.delims[opener + 1..closer] {
                d.removed = true;
            }
            if self.left(opener) == 0 {
                self.delims[opener].removed = true;
            }
            if self.left(closer) == 0 {
                self.delims[closer].removed = true;
                closer += 1;
            }
        }
        for d in &mut self.delims[bottom..] {
            d.removed = true;
        }
    }

    fn close_bracket(&mut self) {
        self.pos += 1;
        let Some(b) = self.brackets.pop() else {
            self.text("]");
            return;
        };
        if !b.active {
            self.text("]");
            return;
        }
        let label_end = self.pos - 1;
        let after = self.pos;
        let target = self.inline_target().or_else(|| {
            self.pos = after;
            self.reference_target(&self.s[b.text_start..label_end])
        });
        let Some((dest, title)) = target else {
            self.pos = after;
            self.text("]");
            return;
        };
        let tag = match url::safe(&dest, b.image) {
            Some(u) if b.image => Some(Inline::Image { url: u, title }),
            Some(u) => Some(Inline::Link { url: u, title }),
            None => None,
        };
        self.toks[b.tok] = Tok::Open(tag);
        self.toks.push(Tok::Close);
        self.process_emphasis(b.delim_bottom);
        self.delims.truncate(b.delim_bottom);
        if !b.image {
            for open in &mut self.brackets {
                if !open.image {
                    open.active = false;
                }
            }
        }
    }

    /// `(destination "title")` right after `]`.
    fn inline_target(&mut self) -> Option<(String, String)> {
        let rest = &self.s[self.pos..];
        let mut i = rest.strip_prefix("(").map(|_| 1)?;
        i = skip_ws(rest, i);
        let (dest, after) = link_destination(rest, i).unwrap_or((String::new(), i));
        if after == i && rest.as_bytes().get(i).is_some_and(|&b| b != b')') {
            return None;
        }
        let mut j = skip_ws(rest, after);
        let mut title = String::new();
        // A title opens with a quote or a parenthesis; it is read by the second module.
        let opens = rest.as_bytes().get(j).is_some_and(|&b| has_byte("\"'(", b));
        if j > after && opens && super::rare_ready() {
            if let Some((t, k)) = link_title(rest, j) {
                title = t;
                j = skip_ws(rest, k);
            }
        }
        if !rest[j..].starts_with(")") {
            return None;
        }
        self.pos += j + 1;
        Some((dest, title))
    }

    /// `[label]`, `[]` or nothing after `]`, looked up in the definitions (which exist only
    /// once the second module read them: `extract_refs`).
    fn reference_target(&mut self, text: &str) -> Option<(String, String)> {
        if self.refs.len() == 0 {
            return None;
        }
        let (found, used) = links::reference(self.refs, &self.s[self.pos..], text)?;
        self.pos += used;
        Some(found)
    }

    fn autolink(&mut self) {
        let rest = &self.s[self.pos..];
        if let Some(end) = find_byte(rest, b'>') {
            let inner = &rest[1..end];
            // A URI has a `:`, an address an `@`: only then is the second module asked.
            if has_any(inner, b":@") && super::rare_ready() {
                if let Some(href) = links::angle_link(inner) {
                    self.pos += end + 1;
                    match url::safe(&href, false) {
                        Some(u) => {
                            self.toks.push(Tok::Open(Some(Inline::Link {
                                url: u,
                                title: String::new(),
                            })));
                            self.toks.push(Tok::Text(inner.to_owned()));
                            self.toks.push(Tok::Close);
                        }
                        None => self.text(&rest[..end + 1]),
                    }
                    return;
                }
            }
        }
        // Raw HTML is never markup here: `<` is text.
        self.pos += 1;
        self.text("<");
    }

    fn entity(&mut self) {
        let rest = &self.s[self.pos..];
        if let Some((decoded, len)) = entities::decode_at(rest) {
            self.pos += len;
            self.text(&decoded);
        } else {
            self.pos += 1;
            self.text("&");
        }
    }
}
