//! Inline syntax of one block's text: code spans, emphasis with the delimiter-run rules,
//! links and images (inline and reference), autolinks, escapes, entities, breaks, and the
//! GFM strikethrough and extended autolinks. Parsing yields a flat token list (delimiter
//! runs record the tags they open and close, as markdown-it does) that is folded into the
//! tree at the end, so no node is ever moved while parsing.

use super::entities;
use super::tree::Inline;
use super::url;
/// Link reference definitions by normalized label: (destination, title). A plain list:
/// replies hold a handful of definitions, and a map type would add ~3 KB gzip to the wasm.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefMap(Vec<(String, (String, String))>);

impl RefMap {
    pub fn get(&self, label: &str) -> Option<&(String, String)> {
        self.0.iter().find(|(l, _)| l == label).map(|(_, v)| v)
    }

    /// The first definition of a label wins (spec §4.7).
    pub fn insert_first(&mut self, label: String, value: (String, String)) {
        if self.get(&label).is_none() {
            self.0.push((label, value));
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tag {
    Emph,
    Strong,
    Strike,
    Link {
        url: String,
        title: String,
    },
    Image {
        url: String,
        title: String,
    },
    /// A link whose destination was refused: its text is shown, unlinked.
    Plain,
}

#[derive(Debug)]
enum Tok {
    Text(String),
    /// `[` or `![` waiting for its `]`; text if it never becomes a link.
    Bracket(&'static str),
    Code(String),
    Soft,
    Hard,
    Open(Tag),
    Close,
    /// A delimiter run: what is left of it is literal text, between the tags it closes
    /// (innermost first) and the tags it opens.
    Run {
        ch: char,
        left: usize,
        closes: Vec<Tag>,
        opens: Vec<Tag>,
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
    build(autolink_pass(p.toks))
}

/// Bytes that can start inline syntax (all ASCII, so a byte scan finds them).
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let bytes = b"\n\\`*_~[]!<&";
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
            let trimmed = t.trim_end_matches(' ').len();
            hard = t.len() - trimmed >= 2;
            t.truncate(trimmed);
        }
        self.toks.push(if hard { Tok::Hard } else { Tok::Soft });
        let rest = &self.s[self.pos..];
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    fn backslash(&mut self) {
        let next = self.s[self.pos + 1..].chars().next();
        match next {
            Some('\n') => {
                self.pos += 2;
                self.toks.push(Tok::Hard);
                let rest = &self.s[self.pos..];
                self.pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
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
        while let Some(off) = rest[i..].find('`') {
            let start = i + off;
            let m = rest[start..].bytes().take_while(|&b| b == b'`').count();
            if m == n {
                let mut code = rest[n..start].replace('\n', " ");
                if code.len() >= 2
                    && code.starts_with(' ')
                    && code.ends_with(' ')
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
        let before = self.s[..self.pos].chars().next_back().unwrap_or('\n');
        let len = self.s[self.pos..].chars().take_while(|&c| c == ch).count();
        self.pos += len;
        let after = self.peek().unwrap_or('\n');
        if ch == '~' && len > 2 {
            self.text(&"~".repeat(len));
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
            closes: Vec::new(),
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
                ('~', _) => Tag::Strike,
                (_, 2) => Tag::Strong,
                _ => Tag::Emph,
            };
            if let Tok::Run { left, opens, .. } = &mut self.toks[self.delims[opener].tok] {
                *left -= used;
                opens.push(tag.clone());
            }
            if let Tok::Run { left, closes, .. } = &mut self.toks[self.delims[closer].tok] {
                *left -= used;
                closes.push(tag);
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
            Some(u) if b.image => Tag::Image { url: u, title },
            Some(u) => Tag::Link { url: u, title },
            None => Tag::Plain,
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
        let mut i = rest.strip_prefix('(').map(|_| 1)?;
        i = skip_ws(rest, i);
        let (dest, after) = link_destination(rest, i).unwrap_or((String::new(), i));
        if after == i && rest[i..].starts_with(|c: char| c != ')') {
            return None;
        }
        let mut j = skip_ws(rest, after);
        let mut title = String::new();
        if j > after {
            if let Some((t, k)) = link_title(rest, j) {
                title = t;
                j = skip_ws(rest, k);
            }
        }
        if !rest[j..].starts_with(')') {
            return None;
        }
        self.pos += j + 1;
        Some((dest, title))
    }

    /// `[label]`, `[]` or nothing after `]`, looked up in the definitions.
    fn reference_target(&mut self, text: &str) -> Option<(String, String)> {
        let rest = &self.s[self.pos..];
        let (label, used) = match link_label(rest) {
            Some((l, n)) if !l.trim().is_empty() => (l.to_owned(), n),
            Some((_, n)) => (text.to_owned(), n),
            None => (text.to_owned(), 0),
        };
        if label.chars().count() > 999 {
            return None;
        }
        let found = self.refs.get(&normalize_label(&label))?.clone();
        self.pos += used;
        Some(found)
    }

    fn autolink(&mut self) {
        let rest = &self.s[self.pos..];
        if let Some(end) = rest.find('>') {
            let inner = &rest[1..end];
            let is_uri = inner.split_once(':').is_some_and(|(scheme, _)| {
                (2..=32).contains(&scheme.len())
                    && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            }) && !inner
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<');
            let is_email = !is_uri && is_email(inner);
            if is_uri || is_email {
                self.pos += end + 1;
                let href = if is_email {
                    format!("mailto:{inner}")
                } else {
                    inner.to_owned()
                };
                match url::safe(&href, false) {
                    Some(u) => {
                        self.toks.push(Tok::Open(Tag::Link {
                            url: u,
                            title: String::new(),
                        }));
                        self.toks.push(Tok::Text(inner.to_owned()));
                        self.toks.push(Tok::Close);
                    }
                    None => self.text(&rest[..end + 1]),
                }
                return;
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

fn skip_ws(s: &str, i: usize) -> usize {
    i + s[i..].len() - s[i..].trim_start_matches([' ', '\t', '\n']).len()
}

/// `<dest>` or a raw destination with balanced parentheses; unescaped and decoded.
fn link_destination(s: &str, i: usize) -> Option<(String, usize)> {
    let rest = &s[i..];
    if let Some(inner) = rest.strip_prefix('<') {
        let mut escaped = false;
        for (k, c) in inner.char_indices() {
            match c {
                '\n' | '<' if !escaped => return None,
                '>' if !escaped => return Some((unescape(&inner[..k]), i + k + 2)),
                _ => {}
            }
            escaped = c == '\\' && !escaped;
        }
        return None;
    }
    let mut depth = 0usize;
    let mut end = rest.len();
    let mut escaped = false;
    for (k, c) in rest.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = k;
                break;
            }
            ')' => depth -= 1,
            c if c.is_ascii_whitespace() || c.is_ascii_control() => {
                end = k;
                break;
            }
            _ => {}
        }
    }
    if end == 0 || depth != 0 {
        return None;
    }
    Some((unescape(&rest[..end]), i + end))
}

fn link_title(s: &str, i: usize) -> Option<(String, usize)> {
    let rest = &s[i..];
    let open = rest.chars().next()?;
    let close = match open {
        '"' => '"',
        '\'' => '\'',
        '(' => ')',
        _ => return None,
    };
    let mut escaped = false;
    for (k, c) in rest.char_indices().skip(1) {
        if !escaped && c == close {
            return Some((unescape(&rest[1..k]), i + k + 1));
        }
        if !escaped && open == '(' && c == '(' {
            return None;
        }
        escaped = c == '\\' && !escaped;
    }
    None
}

/// `[label]` at the start of `s`: (raw label, bytes used).
fn link_label(s: &str) -> Option<(&str, usize)> {
    let inner = s.strip_prefix('[')?;
    let mut escaped = false;
    for (k, c) in inner.char_indices() {
        match c {
            '[' if !escaped => return None,
            ']' if !escaped => return Some((&inner[..k], k + 2)),
            _ => {}
        }
        escaped = c == '\\' && !escaped;
    }
    None
}

/// Labels match case-insensitively. Only ASCII is folded: Unicode case tables would cost
/// ~10 KB gzip in the wasm for labels like `ẞ` vs `SS` that models do not write.
pub fn normalize_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c))
        && !domain.is_empty()
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Backslash escapes and entities resolved (destinations, titles, info strings).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        if c == '\\' {
            if let Some(n) = s[i + 1..].chars().next().filter(char::is_ascii_punctuation) {
                out.push(n);
                i += 2;
                continue;
            }
        } else if c == '&' {
            if let Some((d, len)) = entities::decode_at(&s[i..]) {
                out.push_str(&d);
                i += len;
                continue;
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Takes the link reference definitions off the start of a paragraph's text; returns the rest.
pub fn extract_reference_definitions<'a>(content: &'a str, refs: &mut RefMap) -> &'a str {
    let mut rest = content;
    while rest.starts_with('[') {
        let Some((label, used)) = link_label(rest) else {
            break;
        };
        if label.trim().is_empty() || label.chars().count() > 999 || !rest[used..].starts_with(':')
        {
            break;
        }
        let i = skip_ws(rest, used + 1);
        let Some((dest, after)) = link_destination(rest, i) else {
            break;
        };
        if after == i {
            break;
        }
        let j = skip_ws(rest, after);
        let line_end = |k: usize| rest[k..].find('\n').map_or(rest.len(), |n| k + n + 1);
        let only_ws_to_eol = |k: usize| rest[k..line_end(k)].trim().is_empty();
        let (title, end) = match link_title(rest, j).filter(|_| j > after) {
            Some((t, k)) if only_ws_to_eol(k) => (t, line_end(k)),
            _ if only_ws_to_eol(after) => (String::new(), line_end(after)),
            _ => break,
        };
        refs.insert_first(normalize_label(label), (dest, title));
        rest = &rest[end..];
    }
    rest
}

/// GFM extended autolinks (`www.`, `http(s)://`, emails) inside plain text outside links.
fn autolink_pass(toks: Vec<Tok>) -> Vec<Tok> {
    // Delimiter runs that matched nothing are text: `a_b@c.d` is one address.
    let mut merged: Vec<Tok> = Vec::with_capacity(toks.len());
    for tok in toks {
        let tok = match tok {
            Tok::Run {
                ch,
                left,
                closes,
                opens,
            } if closes.is_empty() && opens.is_empty() => Tok::Text(ch.to_string().repeat(left)),
            other => other,
        };
        match (merged.last_mut(), tok) {
            (Some(Tok::Text(prev)), Tok::Text(t)) => prev.push_str(&t),
            (_, tok) => merged.push(tok),
        }
    }
    let mut out = Vec::with_capacity(merged.len());
    let mut in_link = 0usize;
    for tok in merged {
        match tok {
            Tok::Open(Tag::Link { .. } | Tag::Image { .. } | Tag::Plain) => {
                in_link += 1;
                out.push(tok);
            }
            Tok::Close => {
                in_link = in_link.saturating_sub(1);
                out.push(tok);
            }
            Tok::Text(t) if in_link == 0 => super::autolink::split(&t, &mut |piece| match piece {
                super::autolink::Piece::Text(s) => out.push(Tok::Text(s.to_owned())),
                super::autolink::Piece::Link(href, text) => {
                    out.push(Tok::Open(Tag::Link {
                        url: href,
                        title: String::new(),
                    }));
                    out.push(Tok::Text(text.to_owned()));
                    out.push(Tok::Close);
                }
            }),
            other => out.push(other),
        }
    }
    out
}

/// Folds the flat tokens into the tree.
fn build(toks: Vec<Tok>) -> Vec<Inline> {
    let mut stack: Vec<(Tag, Vec<Inline>)> = Vec::new();
    let mut top: Vec<Inline> = Vec::new();
    fn push(stack: &mut [(Tag, Vec<Inline>)], top: &mut Vec<Inline>, node: Inline) {
        let list = match stack.last_mut() {
            Some((_, l)) => l,
            None => top,
        };
        if let (Inline::Text(t), Some(Inline::Text(prev))) = (&node, list.last_mut()) {
            prev.push_str(t);
            return;
        }
        list.push(node);
    }
    fn close(stack: &mut Vec<(Tag, Vec<Inline>)>, top: &mut Vec<Inline>) {
        let Some((tag, children)) = stack.pop() else {
            return;
        };
        let node = match tag {
            Tag::Emph => Inline::Emph(children),
            Tag::Strong => Inline::Strong(children),
            Tag::Strike => Inline::Strike(children),
            Tag::Link { url, title } => Inline::Link {
                url,
                title,
                children,
            },
            Tag::Image { url, title } => Inline::Image {
                url,
                title,
                alt: children,
            },
            Tag::Plain => {
                for c in children {
                    push(stack, top, c);
                }
                return;
            }
        };
        push(stack, top, node);
    }
    for tok in toks {
        match tok {
            Tok::Text(t) if t.is_empty() => {}
            Tok::Text(t) => push(&mut stack, &mut top, Inline::Text(t)),
            Tok::Bracket(b) => push(&mut stack, &mut top, Inline::Text(b.to_owned())),
            Tok::Code(c) => push(&mut stack, &mut top, Inline::Code(c)),
            Tok::Soft => push(&mut stack, &mut top, Inline::SoftBreak),
            Tok::Hard => push(&mut stack, &mut top, Inline::HardBreak),
            Tok::Open(tag) => stack.push((tag, Vec::new())),
            Tok::Close => close(&mut stack, &mut top),
            Tok::Run {
                ch,
                left,
                closes,
                opens,
            } => {
                for _ in closes {
                    close(&mut stack, &mut top);
                }
                if left > 0 {
                    push(
                        &mut stack,
                        &mut top,
                        Inline::Text(ch.to_string().repeat(left)),
                    );
                }
                for tag in opens.into_iter().rev() {
                    stack.push((tag, Vec::new()));
                }
            }
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut top);
    }
    // A trailing hard break is not a break (spec: "not at the end of a block").
    if let Some(Inline::HardBreak | Inline::SoftBreak) = top.last() {
        top.pop();
    }
    top
}
