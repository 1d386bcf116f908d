//! The languages the highlighter knows: each is a few word lists and switches for the
//! generic lexer in `mod.rs` (or one of the line-oriented modes in `markup.rs`). Adding a
//! language is adding a row; keyword lists are shared through macros where dialects overlap.

use super::Kind;

/// How a language is read: the generic lexer, or a mode of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Code,
    /// The generic lexer, with `key:` at the start of a line as a key.
    Yaml,
    /// The generic lexer, with `target:` and `NAME =` at the start of a line.
    Make,
    Css,
    Markup,
    Diff,
    Markdown,
}

/// A language: `spec` holds its word lists, `|`-separated, in the order of `Words` (one
/// string each rather than seven: the table is a sixth of the size in the wasm).
pub struct Lang {
    pub spec: &'static str,
    pub flags: u32,
    /// Interpolation syntax, and in which strings.
    pub interp: u8,
    pub interp_on: u8,
    pub mode: Mode,
}

/// A language's lists, read out of its `spec`.
#[derive(Clone, Copy, Default)]
pub struct Words {
    /// The first name is the canonical one; the others are the aliases people write.
    pub names: &'static str,
    pub keywords: &'static str,
    pub types: &'static str,
    pub literals: &'static str,
    /// Line comment openers, space-separated.
    pub line_comment: &'static str,
    /// Spans that may cross lines, as space-separated open/close pairs: comments, except
    /// Lua's `[[ ]]`, a string.
    pub blocks: &'static str,
    /// String prefix letters the language gives a meaning to (`r` raw, `f`/`s`/`$` interp).
    pub prefixes: &'static str,
}

impl Lang {
    pub fn words(&self) -> Words {
        let mut p = crate::prelude::split_byte(self.spec, b'|');
        let mut next = || p.next().unwrap_or("");
        Words {
            names: next(),
            keywords: next(),
            types: next(),
            literals: next(),
            line_comment: next(),
            blocks: next(),
            prefixes: next(),
        }
    }
}

impl Words {
    /// Block pair `k`: (open, close, kind).
    pub fn block(&self, k: usize) -> Option<(&'static str, &'static str, Kind)> {
        // A loop, not `filter` + `nth`: each adapter would be code of its own.
        let (mut open, mut n) = ("", 0);
        for w in crate::prelude::split_byte(self.blocks, b' ') {
            if w.is_empty() {
                continue;
            }
            if n == 2 * k {
                open = w;
            } else if n == 2 * k + 1 {
                let kind = if open == "[[" {
                    Kind::String
                } else {
                    Kind::Comment
                };
                return Some((open, w, kind));
            }
            n += 1;
        }
        None
    }
}

// Switches.
pub const SQ: u32 = 1; // '…' is a string
pub const DQ: u32 = 1 << 1; // "…" is a string
pub const BT: u32 = 1 << 2; // `…` is a string (multi-line)
pub const TRIPLES: u32 = 1 << 3; // """…""" and '''…'''
pub const CHARS: u32 = 1 << 4; // 'x' is a character
pub const LIFETIMES: u32 = 1 << 5; // Rust: 'a, and name! macros
pub const NOCASE: u32 = 1 << 6; // keywords in any case
pub const CAPS: u32 = 1 << 7; // Capitalised words are types
pub const DOLLAR_VARS: u32 = 1 << 8; // $name
pub const AT_META: u32 = 1 << 9; // @decorator
pub const HASH_META: u32 = 1 << 10; // # at the start of a line: preprocessor, attribute
pub const NEST: u32 = 1 << 11; // block comments nest
pub const KEYS: u32 = 1 << 12; // key: / key = / [section] at the start of a line
pub const SYMBOLS: u32 = 1 << 13; // :symbol
pub const DASHES: u32 = 1 << 14; // words may contain '-'
pub const LINE_KW: u32 = 1 << 15; // keywords only as a line's first word
pub const STR_KEYS: u32 = 1 << 16; // a string before ':' is a key
pub const SQ_RAW: u32 = 1 << 17; // no escapes in '…'
pub const BT_RAW: u32 = 1 << 18; // no escapes in `…`
pub const ML_STRINGS: u32 = 1 << 19; // "…" may span lines
pub const RAW_HASHES: u32 = 1 << 20; // r#"…"#
pub const PRIMES: u32 = 1 << 21; // x' is a name
pub const JSX: u32 = 1 << 22; // <Tag> in code
pub const REGEX: u32 = 1 << 23; // /…/flags where an operand may start (JavaScript)

// Interpolation syntaxes.
pub const I_NONE: u8 = 0;
pub const I_DOLLAR_BRACE: u8 = 1; // ${…}
pub const I_DOLLAR: u8 = 2; // ${…} and $name
pub const I_HASH: u8 = 3; // #{…}
pub const I_PAREN: u8 = 4; // \(…)
pub const I_BRACE: u8 = 5; // {…}, {{ escaped

// Which strings interpolate.
pub const Q_DQ: u8 = 1;
pub const Q_SQ: u8 = 2;
pub const Q_BT: u8 = 4;
pub const Q_PREFIX: u8 = 8;

pub use super::table::{LANGS, MORE};

/// The language a fenced block names, by any of its names, in any case, among `table`.
// A loop: `find` would bring its adapter code for this one use.
#[allow(clippy::manual_find)]
pub fn lookup_in(table: &'static [Lang], word: &str) -> Option<&'static Lang> {
    if word.is_empty() {
        return None;
    }
    for l in table {
        if super::listed(l.words().names, word.as_bytes(), true) {
            return Some(l);
        }
    }
    None
}

/// The language a fenced block names, among all of them.
pub fn lookup(word: &str) -> Option<&'static Lang> {
    lookup_in(LANGS, word).or_else(|| lookup_in(MORE, word))
}
