//! Syntax highlighting for code blocks, one line at a time: a small table-driven lexer per
//! language (keywords, types, strings with escapes and interpolation, numbers, comments,
//! operators, tags and attributes), with what spans lines (block comments, multi-line
//! strings, interpolation, a markup tag) carried in a `State` that is plain data. A line
//! once tokenised is final, so a streaming code block never tokenises a line twice.
//!
//! The tokens of a line always cover it exactly and end on character boundaries: every
//! boundary is an ASCII byte or the end of the line.

mod atoms;
mod langs;
mod markup;
mod stream;
mod strings;
mod table;

use crate::prelude::*;
pub use langs::Lang;
use langs::*;
pub use stream::LineStream;

/// What a token is; the element styles each with `--rill-code-<class>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Plain,
    Keyword,
    Type,
    Literal,
    String,
    Escape,
    Interp,
    Number,
    Comment,
    Operator,
    Punct,
    Tag,
    Attr,
    Func,
    Meta,
    Var,
    Inserted,
    Deleted,
}

/// Each kind's class in a slot of seven bytes, padded with spaces: one string rather than a
/// table of `&str`s, whose pointers compress poorly.
const CLASSES: &str = concat!(
    "       hl-kw  hl-ty  hl-lit hl-str hl-esc hl-int hl-num hl-com hl-op  ",
    "hl-pun hl-tag hl-attr",
    "hl-fn  hl-metahl-var hl-ins hl-del ",
);
const _: () = assert!(CLASSES.len() == 7 * (Kind::Deleted as usize + 1));

impl Kind {
    /// The element's class for it (`hl-kw`, …); empty for plain text.
    pub fn class(self) -> &'static str {
        let at = self as usize * 7;
        trim_end_set(&CLASSES[at..at + 7], b" ")
    }
}

/// A token ends at `end` (a byte offset into its line) and starts where the one before ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub end: usize,
}

/// A string being read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Str {
    quote: u8,
    flags: u8,
    hashes: u8,
}

// Str flags.
const TRIPLE: u8 = 1;
const RAW: u8 = 2;
const INTERP: u8 = 4;
const MULTILINE: u8 = 8;

/// A string left for an interpolated expression, and how many brackets opened since.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Frame {
    s: Str,
    open: u8,
}

// Modes.
const CODE: u8 = 0;
const BLOCK: u8 = 1;
const STRING: u8 = 2;
/// HTML: inside `<script>` (`block` 1) or `<style>` (2).
const EMBED: u8 = 3;

/// What carries from one line to the next. Small and `Copy`, so the open last line of a
/// streaming block can be tokenised on a copy without touching the real one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct State {
    mode: u8,
    /// Which of the language's block pairs is open, and its nesting depth.
    block: u8,
    depth: u8,
    s: Str,
    stack: [Frame; 3],
    sp: u8,
    /// Brace depth (CSS), or the open fence's length (markdown).
    braces: u8,
}

/// Tokenises the lines of one code block in order.
#[derive(Clone, Copy)]
pub struct Highlighter {
    lang: &'static Lang,
    flags: u32,
    pub state: State,
    /// Inside an HTML `<script>` or `<style>`: that language's lexer and state, until the
    /// closing tag (the outer state's mode is `EMBED` meanwhile).
    embed: Option<(&'static Lang, State)>,
}

/// Every language's canonical name (the first of its names), in table order.
pub fn languages() -> impl Iterator<Item = &'static str> {
    LANGS
        .iter()
        .chain(MORE)
        .map(|l| split_byte(l.words().names, b' ').next().unwrap_or(""))
}

impl Highlighter {
    /// For a fenced block's language word (any case, usual aliases); `None` when unknown,
    /// so the block stays plain. Every table: in the shipped wasm a `MORE` language needs
    /// its module linked, so the element asks `common`, then `more` through that module.
    pub fn new(language: &str) -> Option<Highlighter> {
        Highlighter::with(language, lookup(language))
    }

    /// The first-module languages only (`table::LANGS`): what the element can highlight
    /// before the module with the others is linked.
    pub fn common(language: &str) -> Option<Highlighter> {
        // The measurement build without a highlighter (`bench/highlight-size.sh`). It keeps
        // the one library function the split modules share with it in the first module (as
        // the shipped build does), where the split would otherwise make a chunk of it.
        if cfg!(feature = "cut-highlight") {
            core::hint::black_box(language.as_bytes().eq_ignore_ascii_case(b"sx"));
            return None;
        }
        Highlighter::with(language, lookup_in(LANGS, language))
    }

    /// Only the others (`table::MORE`).
    pub fn more(language: &str) -> Option<Highlighter> {
        if cfg!(feature = "cut-highlight") {
            return None;
        }
        Highlighter::with(language, lookup_in(MORE, language))
    }

    fn with(language: &str, lang: Option<&'static Lang>) -> Option<Highlighter> {
        // `jsx` and `tsx` are JavaScript and TypeScript with tags in the code.
        let tags = language.len() == 3 && language.as_bytes()[1..].eq_ignore_ascii_case(b"sx");
        lang.map(|lang| Highlighter {
            lang,
            flags: lang.flags | if tags { JSX } else { 0 },
            state: State::default(),
            embed: None,
        })
    }

    /// The tokens of one line (without its line ending), appended to `out`; the state moves
    /// on to the next line.
    pub fn line(&mut self, line: &str, out: &mut Vec<Token>) {
        if cfg!(feature = "cut-highlight") {
            return;
        }
        let mut at = 0;
        let base = out.len();
        loop {
            if let Some((lang, st)) = &mut self.embed {
                // Script or style content, up to its closing tag (any case).
                let close = if self.state.block == 1 {
                    b"</script" as &[u8]
                } else {
                    b"</style"
                };
                let end = line.as_bytes()[at..]
                    .windows(close.len())
                    .position(|win| win.eq_ignore_ascii_case(close))
                    .map(|p| at + p);
                let mut lx = Lexer::new(
                    lang,
                    lang.flags,
                    &line.as_bytes()[..end.unwrap_or(line.len())],
                    *st,
                    out,
                    at,
                    base,
                );
                lx.run();
                *st = lx.st;
                let Some(end) = end else { break };
                self.embed = None;
                self.state.mode = CODE;
                at = end;
            }
            let mut lx = Lexer::new(
                self.lang,
                self.flags,
                line.as_bytes(),
                self.state,
                out,
                at,
                base,
            );
            lx.run();
            self.state = lx.st;
            let stop = lx.i;
            if self.state.mode != EMBED {
                break;
            }
            // A `<script>` or `<style>` opened: its content is read as its own language.
            let inner = if self.state.block == 1 { "js" } else { "css" };
            let Some(lang) = embedded(inner) else {
                break;
            };
            self.embed = Some((lang, State::default()));
            at = stop;
        }
    }
}

pub(crate) struct Lexer<'a> {
    lang: &'static Lang,
    w: Words,
    flags: u32,
    b: &'a [u8],
    i: usize,
    st: State,
    out: &'a mut Vec<Token>,
    /// Where the next token starts.
    from: usize,
    /// This line's first token in `out`.
    base: usize,
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

const OPERATORS: &[u8] = b"+-*/%=&|^!<>~?:";
const PUNCT: &[u8] = b"()[]{},;.";

/// Whether `word` is in the space-separated `list`.
fn listed(list: &str, word: &[u8], nocase: bool) -> bool {
    for w in split_byte(list, b' ') {
        let w = w.as_bytes();
        if nocase && w.eq_ignore_ascii_case(word) || w == word {
            return true;
        }
    }
    false
}

impl<'a> Lexer<'a> {
    /// `base`: where this line's tokens begin in `out` (earlier lines' may be before).
    #[allow(clippy::too_many_arguments)]
    fn new(
        lang: &'static Lang,
        flags: u32,
        b: &'a [u8],
        st: State,
        out: &'a mut Vec<Token>,
        at: usize,
        base: usize,
    ) -> Self {
        Lexer {
            lang,
            w: lang.words(),
            flags,
            b,
            i: at,
            st,
            out,
            from: at,
            base,
        }
    }

    fn peek(&self, at: usize) -> u8 {
        self.b.get(at).copied().unwrap_or(0)
    }

    #[inline(never)]
    fn at(&self, at: usize, s: &str) -> bool {
        !s.is_empty() && self.b[at.min(self.b.len())..].starts_with(s.as_bytes())
    }

    fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    /// Ends the current token at `end` with `kind` (merged with the one before when alike).
    /// Not inlined: it is called from sixty places.
    #[inline(never)]
    pub(crate) fn emit(&mut self, kind: Kind, end: usize) {
        if end <= self.from {
            return;
        }
        match self.out.last_mut() {
            Some(t) if t.kind == kind && t.end == self.from => t.end = end,
            _ => self.out.push(Token { kind, end }),
        }
        self.from = end;
        self.i = self.i.max(end);
    }

    fn run(&mut self) {
        let n = self.b.len();
        while self.i < n && self.st.mode != EMBED {
            match self.st.mode {
                BLOCK => self.in_block(),
                STRING => self.in_string(),
                _ => match self.lang.mode {
                    Mode::Code | Mode::Yaml | Mode::Make => self.code(),
                    _ => markup::step(self),
                },
            }
        }
        if self.st.mode == EMBED {
            // Handed over to the script's or style's own lexer (`Highlighter::line`).
            return;
        }
        // A string or comment opened at the very end of the line: its opener is its kind.
        let rest = match self.st.mode {
            STRING => Kind::String,
            BLOCK => self
                .w
                .block(self.st.block as usize)
                .map_or(Kind::Plain, |b| b.2),
            _ => Kind::Plain,
        };
        self.emit(rest, n);
        if self.st.mode == STRING && self.st.s.flags & (TRIPLE | MULTILINE) == 0 {
            // An unclosed one-line string ends with its line (and so does what it was in).
            self.st.mode = CODE;
            self.st.sp = 0;
        }
        markup::end_of_line(self);
    }

    /// Inside a block comment (or a long string): to its close, counting nested opens.
    fn in_block(&mut self) {
        let Some((open, close, kind)) = self.w.block(self.st.block as usize) else {
            self.st.mode = CODE;
            return;
        };
        let n = self.b.len();
        while self.i < n {
            if self.at(self.i, close) {
                self.i += close.len();
                if self.st.depth == 0 {
                    self.st.mode = CODE;
                    break;
                }
                self.st.depth -= 1;
            } else if self.has(NEST) && self.at(self.i, open) {
                self.i += open.len();
                self.st.depth += 1;
            } else {
                self.i += 1;
            }
        }
        let end = self.i;
        self.emit(kind, end);
    }

    /// Whether a comment may start at `i`: `#` only at the start of a word.
    fn comment_at(&self, i: usize) -> bool {
        let lc = self.w.line_comment;
        split_byte(lc, b' ').any(|c| self.at(i, c))
            && (self.b[i] != b'#' || i == 0 || !is_ident(self.b[i - 1]) && self.b[i - 1] != b'$')
    }

    #[allow(clippy::manual_find)] // a loop: `find` would bring its adapter code
    fn block_at(&self, i: usize) -> Option<usize> {
        for k in 0..4 {
            if self.w.block(k).is_some_and(|(open, _, _)| self.at(i, open)) {
                return Some(k);
            }
        }
        None
    }

    /// One token of code.
    fn code(&mut self) {
        let b = self.b;
        let n = b.len();
        let i = self.i;
        let c = b[i];
        let next = self.peek(i + 1);
        if c == b' ' || c == b'\t' {
            let mut j = i;
            while j < n && (b[j] == b' ' || b[j] == b'\t') {
                j += 1;
            }
            self.emit(Kind::Plain, j);
            return;
        }
        let line_start = self.line_start(i);
        if line_start && c == b'#' && self.has(HASH_META) {
            self.emit(Kind::Meta, n);
            return;
        }
        if line_start && self.has(KEYS) && self.st.sp == 0 && key_at(self) {
            return;
        }
        if let Some(k) = self.block_at(i) {
            self.st.mode = BLOCK;
            self.st.block = k as u8;
            self.st.depth = 0;
            self.i = i + self.w.block(k).map_or(1, |b| b.0.len());
            return;
        }
        if c == b'/' && self.has(REGEX) && next != b'/' && next != b'*' && self.regex() {
            return;
        }
        if self.comment_at(i) {
            self.emit(Kind::Comment, n);
            return;
        }
        if self.quote_starts(c) {
            if self.has(STR_KEYS) {
                return self.json_string();
            }
            return self.string(i, 0, 0);
        }
        if c == b'\'' && self.has(CHARS) {
            return char_literal_at(self);
        }
        if c.is_ascii_digit()
            || c == b'.' && next.is_ascii_digit() && (i == 0 || !is_ident(b[i - 1]))
        {
            return self.number();
        }
        if !self.w.prefixes.is_empty() && self.prefixed_string() {
            return;
        }
        if c == b'$' && self.has(DOLLAR_VARS) {
            return self.dollar_var();
        }
        if c == b'@' && self.has(AT_META) && is_ident_start(next) {
            let mut j = i + 1;
            while j < n && (is_ident(b[j]) || b[j] == b'.') {
                j += 1;
            }
            self.emit(Kind::Meta, j);
            return;
        }
        if c == b':' && self.has(SYMBOLS) && is_ident_start(next) && (i == 0 || b[i - 1] != b':') {
            let j = self.word_end(i + 1);
            self.emit(Kind::Literal, j);
            return;
        }
        if c == b'<' && self.has(JSX) && (is_ident_start(next) || next == b'/' || next == b'>') {
            let start = if next == b'/' { i + 2 } else { i + 1 };
            self.emit(Kind::Punct, start);
            let mut j = start;
            while j < n && (is_ident(b[j]) || b[j] == b'.' || b[j] == b'-') {
                j += 1;
            }
            self.emit(Kind::Tag, j);
            return;
        }
        if is_ident_start(c) {
            return self.word(line_start);
        }
        if has_byte_in(OPERATORS, c) {
            let mut j = i + 1;
            while j < n
                && has_byte_in(OPERATORS, b[j])
                && self.block_at(j).is_none()
                && !self.comment_at(j)
            {
                j += 1;
            }
            self.emit(Kind::Operator, j);
            return;
        }
        if has_byte_in(PUNCT, c) {
            if self.bracket(c) {
                return;
            }
            self.emit(Kind::Punct, i + 1);
            return;
        }
        self.emit(Kind::Plain, i + 1);
    }
}

// HTML is a `MORE` language: what it embeds is looked up in their module, which has the
// table of both (CSS is one of them).
crate::lazy!(langs "aa000000000000000000000000000005" fn embedded(inner: &str) -> Option<&'static Lang> {
    lookup(inner)
});

// What only `table::MORE` languages have is read in their split module, which is linked
// before a highlighter for one of them exists (`widget/code.rs`'s `more_language`).
crate::lazy!(langs "aa000000000000000000000000000002" fn key_at(lx: &mut Lexer) -> bool {
    lx.key()
});

crate::lazy!(langs "aa000000000000000000000000000003" fn char_literal_at(lx: &mut Lexer) -> () {
    lx.char_literal()
});

fn has_byte_in(set: &[u8], c: u8) -> bool {
    in_bytes(set, c)
}

fn find_byte_in(b: &[u8], c: u8) -> Option<usize> {
    b.iter().position(|&x| x == c)
}

#[cfg(test)]
mod tests;
