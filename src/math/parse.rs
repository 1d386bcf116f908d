//! The TeX reader: a recursive descent over the source (no token list), building MathML as
//! it goes. Atoms take scripts (`^`, `_`, primes); commands are looked up in `symbols`;
//! environments are in `env.rs`.

use super::symbols::{self as sym, lookup, styled, FONTS};
use super::{El, Refused, MAX_DEPTH};
use crate::prelude::*;

/// Where an expression ends.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The end of the source.
    End,
    /// A `}` (consumed).
    Brace,
    /// A `\right` (left for the caller).
    Right,
    /// A `&`, `\\` or `\end` (left for the caller).
    Cell,
}

pub struct Parser<'a> {
    pub s: &'a str,
    pub i: usize,
    depth: usize,
}

type R<T> = Result<T, Refused>;

/// What a base is, for how its scripts are set.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Base {
    Plain,
    /// Limits under and over (in display style): `\sum`, `\lim`.
    Limits,
    /// A function name: U+2061 follows it (and its scripts).
    Function,
}

pub fn parse(tex: &str) -> R<Vec<El>> {
    let mut p = Parser {
        s: tex,
        i: 0,
        depth: 0,
    };
    p.expr(Stop::End)
}

fn mo(text: &str) -> El {
    El::token("mo", text)
}

/// An `mspace` of one of TeX's widths.
fn space(width: &'static str) -> El {
    El::new("mspace", Vec::new()).attr("width", width)
}

/// A list of elements as one: itself when it is one, else an `mrow`.
pub fn row(mut items: Vec<El>) -> El {
    if items.len() == 1 {
        if let Some(one) = items.pop() {
            return one;
        }
    }
    El::new("mrow", items)
}

impl<'a> Parser<'a> {
    pub fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }

    pub fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if !c.is_whitespace() {
                break;
            }
            self.i += c.len_utf8();
        }
    }

    /// At a `\`: the command's name (a run of letters, or one other character), consumed.
    pub fn command(&mut self) -> &'a str {
        let rest = &self.s[self.i + 1..];
        let len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let len = if len == 0 {
            rest.chars().next().map_or(0, char::len_utf8)
        } else {
            len
        };
        self.i += 1 + len;
        let name = &rest[..len];
        // `\operatorname*` and the starred environments keep their star.
        if self.s[self.i..].starts_with('*') && name == "operatorname" {
            self.i += 1;
            return &rest[..len + 1];
        }
        name
    }

    /// The command at the cursor without consuming it.
    pub fn peek_command(&self) -> Option<&'a str> {
        if !self.s[self.i..].starts_with('\\') {
            return None;
        }
        let mut q = Parser {
            s: self.s,
            i: self.i,
            depth: 0,
        };
        Some(q.command())
    }

    pub fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Refused::TooDeep);
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Atoms with their scripts until `stop`.
    pub fn expr(&mut self, stop: Stop) -> R<Vec<El>> {
        self.enter()?;
        let mut out: Vec<El> = Vec::new();
        loop {
            self.skip_ws();
            let Some(c) = self.peek() else {
                if stop != Stop::End {
                    return Err(Refused::Syntax);
                }
                break;
            };
            match c {
                '}' if stop == Stop::Brace => {
                    self.i += 1;
                    break;
                }
                '}' => return Err(Refused::Syntax),
                '&' if stop == Stop::Cell => break,
                '\\' => {
                    let name = self.peek_command().unwrap_or("");
                    match name {
                        "right" if stop == Stop::Right => break,
                        "right" => return Err(Refused::Syntax),
                        "\\" | "end" | "cr" if stop == Stop::Cell => break,
                        "end" => return Err(Refused::Syntax),
                        "\\" | "cr" | "newline" => {
                            self.command();
                            continue;
                        }
                        "over" | "choose" | "atop" => {
                            self.command();
                            let below = self.expr(stop)?;
                            let frac =
                                El::new("mfrac", vec![row(core::mem::take(&mut out)), row(below)]);
                            let frac = if name == "over" {
                                frac
                            } else {
                                frac.attr("linethickness", "0")
                            };
                            out.push(if name == "choose" {
                                fenced("(", frac, ")")
                            } else {
                                frac
                            });
                            self.leave();
                            return Ok(out);
                        }
                        // `\color{red}` colours the rest of its group (by name only).
                        "color" => {
                            let start = self.i;
                            self.command();
                            let raw = self.raw_group()?;
                            let Some(class) = colour(raw) else {
                                out.push(El::new(
                                    "merror",
                                    vec![El::token("mtext", &self.s[start..self.i])],
                                ));
                                continue;
                            };
                            let rest = self.expr(stop)?;
                            out.push(El::new("mrow", rest).attr("class", class));
                            self.leave();
                            return Ok(out);
                        }
                        "displaystyle" | "textstyle" | "scriptstyle" => {
                            self.command();
                            let rest = self.expr(stop)?;
                            let style = El::new("mstyle", rest);
                            out.push(match name {
                                "displaystyle" => style.attr("displaystyle", "true"),
                                "textstyle" => style.attr("displaystyle", "false"),
                                _ => style.attr("scriptlevel", "1"),
                            });
                            self.leave();
                            return Ok(out);
                        }
                        _ => {}
                    }
                    self.atom_with_scripts(&mut out)?;
                }
                _ => self.atom_with_scripts(&mut out)?,
            }
        }
        self.leave();
        Ok(out)
    }

    fn atom_with_scripts(&mut self, out: &mut Vec<El>) -> R<()> {
        let Some((mut base, kind)) = self.atom()? else {
            return Ok(());
        };
        // `(x - \mu)^2`: the script applies to the whole parenthesised group, as MathML
        // readers (and other converters) expect, not to the `)` alone.
        let scripted = matches!(
            self.s[self.i..].trim_start().as_bytes().first(),
            Some(b'^' | b'_')
        );
        if scripted && base.tag == "mo" && matches!(base.text.as_str(), ")" | "]") {
            let open = if base.text == ")" { "(" } else { "[" };
            let mut depth = 0usize;
            let at = out.iter().rposition(|el| {
                if el.tag == "mo" && el.text == base.text {
                    depth += 1;
                } else if el.tag == "mo" && el.text == open {
                    if depth == 0 {
                        return true;
                    }
                    depth -= 1;
                }
                false
            });
            if let Some(at) = at {
                let mut group: Vec<El> = out.drain(at..).collect();
                group.push(base);
                base = El::new("mrow", group);
            }
        }
        let el = self.scripts(base, kind)?;
        out.push(el);
        if kind == Base::Function {
            out.push(mo("\u{2061}"));
        }
        Ok(())
    }

    /// `^`, `_` and primes after a base.
    fn scripts(&mut self, base: El, kind: Base) -> R<El> {
        let (mut sub, mut sup) = (None, None);
        let mut limits = kind == Base::Limits;
        loop {
            self.skip_ws();
            match self.peek() {
                Some('^') => {
                    self.i += 1;
                    sup = Some(self.arg()?);
                }
                Some('_') => {
                    self.i += 1;
                    sub = Some(self.arg()?);
                }
                Some('\'') => {
                    let n = self.s[self.i..].bytes().take_while(|&b| b == b'\'').count();
                    self.i += n;
                    let prime = mo(["′", "″", "‴"][n.clamp(1, 3) - 1]);
                    sup = Some(match sup.take() {
                        Some(s) => El::new("mrow", vec![prime, s]),
                        None => prime,
                    });
                }
                Some('\\') => match self.peek_command() {
                    Some("limits") => {
                        self.command();
                        limits = true;
                    }
                    Some("nolimits") => {
                        self.command();
                        limits = false;
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        Ok(match (sub, sup, limits) {
            (None, None, _) => base,
            (Some(b), None, true) => El::new("munder", vec![base, b]),
            (None, Some(t), true) => El::new("mover", vec![base, t]),
            (Some(b), Some(t), true) => El::new("munderover", vec![base, b, t]),
            (Some(b), None, false) => El::new("msub", vec![base, b]),
            (None, Some(t), false) => El::new("msup", vec![base, t]),
            (Some(b), Some(t), false) => El::new("msubsup", vec![base, b, t]),
        })
    }

    /// A command's argument: a group, or one atom.
    pub fn arg(&mut self) -> R<El> {
        self.skip_ws();
        match self.peek() {
            Some('{') => {
                self.i += 1;
                let items = self.expr(Stop::Brace)?;
                Ok(row(items))
            }
            Some(c) if c.is_ascii_digit() => {
                // `\frac12`: an argument is one token, so one digit.
                self.i += 1;
                Ok(El::token("mn", &self.s[self.i - 1..self.i]))
            }
            Some(_) => {
                self.enter()?;
                let atom = self.atom()?;
                self.leave();
                Ok(atom.map_or_else(|| El::new("mrow", Vec::new()), |(el, _)| el))
            }
            None => Err(Refused::Syntax),
        }
    }

    /// A group's source, unparsed (`\text`, an unknown command's arguments).
    pub fn raw_group(&mut self) -> R<&'a str> {
        self.skip_ws();
        if !self.s[self.i..].starts_with('{') {
            return Err(Refused::Syntax);
        }
        let start = self.i + 1;
        let mut depth = 0usize;
        let b = self.s.as_bytes();
        let mut j = self.i;
        while j < b.len() {
            match b[j] {
                b'\\' => j += 1,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.i = j + 1;
                        return Ok(&self.s[start..j]);
                    }
                }
                _ => {}
            }
            j += 1;
        }
        Err(Refused::Syntax)
    }

    /// An optional `[…]` argument's source.
    pub fn optional(&mut self) -> Option<&'a str> {
        self.skip_ws();
        let rest = &self.s[self.i..];
        if !rest.starts_with('[') {
            return None;
        }
        let end = find_byte(rest, b']')?;
        self.i += end + 1;
        Some(&rest[1..end])
    }

    /// One base: a character, a group or a command; `None` for what draws nothing.
    fn atom(&mut self) -> R<Option<(El, Base)>> {
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let plain = |el| Ok(Some((el, Base::Plain)));
        match c {
            '{' => {
                self.i += 1;
                let items = self.expr(Stop::Brace)?;
                plain(row(items))
            }
            '\\' => self.command_atom(),
            '0'..='9' | '.' => {
                let rest = &self.s[self.i..];
                let b = rest.as_bytes();
                let mut n = 0;
                while n < b.len()
                    && (b[n].is_ascii_digit()
                        || b[n] == b'.' && b.get(n + 1).is_some_and(u8::is_ascii_digit) && n > 0)
                {
                    n += 1;
                }
                if n == 0 {
                    self.i += 1;
                    return plain(mo("."));
                }
                self.i += n;
                plain(El::token("mn", &rest[..n]))
            }
            '~' => {
                self.i += 1;
                plain(El::token("mtext", "\u{a0}"))
            }
            '^' | '_' => plain(El::new("mrow", Vec::new())),
            '&' => {
                self.i += 1;
                plain(mo("&"))
            }
            _ => {
                self.i += c.len_utf8();
                if c.is_alphabetic() {
                    let mut buf = [0u8; 4];
                    return plain(El::token("mi", c.encode_utf8(&mut buf)));
                }
                let text = match c {
                    '-' => "\u{2212}",
                    '*' => "\u{2217}",
                    _ => {
                        let mut buf = [0u8; 4];
                        return plain(delimiter(c.encode_utf8(&mut buf)));
                    }
                };
                plain(mo(text))
            }
        }
    }

    fn command_atom(&mut self) -> R<Option<(El, Base)>> {
        let start = self.i;
        let name = self.command();
        let plain = |el| Ok(Some((el, Base::Plain)));
        if let Some(c) = lookup(sym::LETTERS, name) {
            let el = El::token("mi", c);
            let upright = name.as_bytes()[0].is_ascii_uppercase()
                && !name.starts_with("var")
                && c.chars().count() == 1;
            return plain(if upright {
                el.attr("mathvariant", "normal")
            } else {
                el
            });
        }
        if let Some(c) = lookup(sym::OPERATORS, name) {
            return plain(delimiter(c));
        }
        if let Some(c) = lookup(sym::BIG, name) {
            return Ok(Some((mo(c).attr("movablelimits", "true"), Base::Limits)));
        }
        if let Some(c) = lookup(sym::INTEGRALS, name) {
            return plain(mo(c));
        }
        if sym::listed(sym::LIMITS, name) {
            return Ok(Some((mo(name).attr("movablelimits", "true"), Base::Limits)));
        }
        if sym::listed(sym::FUNCTIONS, name) {
            return Ok(Some((El::token("mi", name), Base::Function)));
        }
        if let Some(width) = lookup(SPACES, name) {
            return plain(space(width));
        }
        if name == " " {
            return plain(space("0.3333em"));
        }
        if let Some(c) = lookup(sym::ACCENTS, name) {
            let base = self.arg()?;
            let wide = name.starts_with("wide") || name.starts_with("over");
            let accent = mo(c).attr("stretchy", if wide { "true" } else { "false" });
            return plain(El::new("mover", vec![base, accent]).attr("accent", "true"));
        }
        if let Some(c) = lookup(sym::UNDER, name) {
            let base = self.arg()?;
            let accent = mo(c).attr("stretchy", "true");
            return plain(El::new("munder", vec![base, accent]).attr("accentunder", "true"));
        }
        if let Some(&font) = FONTS.iter().find(|f| f.0 == name) {
            let mut el = self.arg()?;
            restyle(&mut el, &|c| styled(font, c));
            return plain(el);
        }
        match name {
            "frac" | "dfrac" | "tfrac" | "cfrac" | "binom" | "dbinom" | "tbinom" => {
                let top = self.arg()?;
                let bottom = self.arg()?;
                let frac = El::new("mfrac", vec![top, bottom]);
                let binom = name.ends_with("binom");
                let frac = if binom {
                    frac.attr("linethickness", "0")
                } else {
                    frac
                };
                let frac = if binom { fenced("(", frac, ")") } else { frac };
                plain(match name.as_bytes()[0] {
                    b'd' | b'c' => El::new("mstyle", vec![frac]).attr("displaystyle", "true"),
                    b't' => El::new("mstyle", vec![frac]).attr("displaystyle", "false"),
                    _ => frac,
                })
            }
            "sqrt" => {
                let index = self.optional();
                let body = self.arg()?;
                plain(match index {
                    Some(n) => El::new(
                        "mroot",
                        vec![body, row(super::parse::parse_nested(self, n)?)],
                    ),
                    None => El::new("msqrt", vec![body]),
                })
            }
            "text" | "textrm" | "textnormal" | "textup" | "textit" | "textbf" | "textsf"
            | "texttt" | "mbox" | "hbox" => {
                let raw = self.raw_group()?;
                plain(El::token("mtext", &text_of(raw)))
            }
            "mathrm" | "mathup" | "mathnormal" | "operatorname" | "operatorname*" => {
                let mut el = self.arg()?;
                upright(&mut el);
                if name == "operatorname*" {
                    let text = el_text(&el);
                    return Ok(Some((
                        mo(&text).attr("movablelimits", "true"),
                        Base::Limits,
                    )));
                }
                if name == "operatorname" {
                    return Ok(Some((El::token("mi", &el_text(&el)), Base::Function)));
                }
                plain(el)
            }
            "overset" | "stackrel" | "underset" => {
                let script = self.arg()?;
                let base = self.arg()?;
                plain(if name == "underset" {
                    El::new("munder", vec![base, script])
                } else {
                    El::new("mover", vec![base, script])
                })
            }
            "left" => self.left_right(),
            "middle" => {
                let d = self.delim()?;
                plain(mo(d).attr("stretchy", "true"))
            }
            "big" | "Big" | "bigg" | "Bigg" | "bigl" | "Bigl" | "biggl" | "Biggl" | "bigr"
            | "Bigr" | "biggr" | "Biggr" | "bigm" | "Bigm" | "biggm" | "Biggm" => {
                let d = self.delim()?;
                let size = match name.trim_end_matches(['l', 'r', 'm']) {
                    "big" => "1.2em",
                    "Big" => "1.623em",
                    "bigg" => "2.047em",
                    _ => "2.470em",
                };
                plain(mo(d).attr("minsize", size).attr("maxsize", size))
            }
            "not" => {
                self.skip_ws();
                let Some((mut el, kind)) = self.atom()? else {
                    return plain(mo("\u{338}"));
                };
                el.text.push('\u{338}');
                Ok(Some((el, kind)))
            }
            "begin" => {
                let env = self.raw_group()?;
                plain(super::env::environment(self, env)?)
            }
            // A framed final answer: MathML Core has no menclose, so a class the element's
            // stylesheet draws a border for.
            "boxed" | "fbox" => {
                let body = self.arg()?;
                plain(El::new("mrow", vec![body]).attr("class", "boxed"))
            }
            // An equation number, set after the formula.
            "tag" | "tag*" => {
                let raw = self.raw_group()?;
                let text = if name == "tag" {
                    cat(&["(", &text_of(raw), ")"])
                } else {
                    text_of(raw)
                };
                plain(El::new(
                    "mrow",
                    vec![space("2em"), El::token("mtext", &text)],
                ))
            }
            // Colour by name only, from a fixed list: the input never becomes a value.
            "textcolor" => {
                let raw = self.raw_group()?;
                let Some(class) = colour(raw) else {
                    // Its source, body and all, marked.
                    self.raw_group()?;
                    return plain(El::new(
                        "merror",
                        vec![El::token("mtext", &self.s[start..self.i])],
                    ));
                };
                let body = self.arg()?;
                plain(El::new("mrow", vec![body]).attr("class", class))
            }
            "label" => {
                self.raw_group()?;
                Ok(None)
            }
            "limits" | "nolimits" | "relax" | "nonumber" | "notag" | "hline" => Ok(None),
            _ => {
                // Unknown: its source, with the groups right after it, shown and marked.
                while self.s[self.i..].starts_with('{') {
                    self.raw_group()?;
                }
                let source = &self.s[start..self.i];
                plain(El::new("merror", vec![El::token("mtext", source)]))
            }
        }
    }

    /// A delimiter after `\left`, `\right`, `\middle`, `\big…`: a character or a command.
    fn delim(&mut self) -> R<&'static str> {
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(Refused::Syntax);
        };
        if c == '\\' {
            let name = self.command();
            return lookup(sym::OPERATORS, name).ok_or(Refused::Syntax);
        }
        self.i += c.len_utf8();
        Ok(match c {
            '(' => "(",
            ')' => ")",
            '[' => "[",
            ']' => "]",
            '|' => "|",
            '/' => "/",
            '<' => "⟨",
            '>' => "⟩",
            '.' => "",
            _ => return Err(Refused::Syntax),
        })
    }

    fn left_right(&mut self) -> R<Option<(El, Base)>> {
        let open = self.delim()?;
        let inner = self.expr(Stop::Right)?;
        self.command();
        let close = self.delim()?;
        Ok(Some((stretched(open, inner, close), Base::Plain)))
    }
}

/// `\color`'s names we draw, each a class of the element's stylesheet.
fn colour(name: &str) -> Option<&'static str> {
    const NAMES: &[&str] = &[
        "red", "blue", "green", "orange", "purple", "gray", "grey", "teal", "magenta", "brown",
    ];
    const CLASSES: &[&str] = &[
        "c-red",
        "c-blue",
        "c-green",
        "c-orange",
        "c-purple",
        "c-gray",
        "c-gray",
        "c-teal",
        "c-magenta",
        "c-brown",
    ];
    let i = NAMES
        .iter()
        .position(|n| name.trim().eq_ignore_ascii_case(n))?;
    Some(CLASSES[i])
}

/// TeX's spacing commands.
const SPACES: &str = ", 0.1667em : 0.2222em > 0.2222em ; 0.2778em ! -0.1667em quad 1em \
    qquad 2em enspace 0.5em thinspace 0.1667em medspace 0.2222em thickspace 0.2778em";

/// A fence character as an operator that does not stretch (only `\left…\right` stretch).
fn delimiter(c: &str) -> El {
    let el = mo(c);
    if matches!(
        c,
        "(" | ")" | "[" | "]" | "{" | "}" | "|" | "‖" | "⟨" | "⟩" | "⌈" | "⌉" | "⌊" | "⌋"
    ) {
        el.attr("stretchy", "false")
    } else {
        el
    }
}

/// `items` between fences that stretch to their height (`\left…\right`, matrices, cases);
/// an empty delimiter (`\left.`) draws nothing.
pub fn stretched(open: &str, items: Vec<El>, close: &str) -> El {
    let fence = |c: &str, form| {
        mo(c)
            .attr("fence", "true")
            .attr("form", form)
            .attr("stretchy", "true")
    };
    let mut row = Vec::with_capacity(items.len() + 2);
    if !open.is_empty() {
        row.push(fence(open, "prefix"));
    }
    row.extend(items);
    if !close.is_empty() {
        row.push(fence(close, "postfix"));
    }
    El::new("mrow", row)
}

fn fenced(open: &str, el: El, close: &str) -> El {
    El::new("mrow", vec![mo(open), el, mo(close)])
}

/// `\text` content: TeX's escapes for the characters it reserves, and nothing else.
fn text_of(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('{' | '}' | '$' | '%' | '&' | '#' | '_' | ' ')) => out.push(e),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '{' | '}' => {}
            '~' => out.push('\u{a0}'),
            _ => out.push(c),
        }
    }
    // Spaces at the ends would collapse in the token: keep them as no-break spaces.
    let trimmed = trim_set(&out, b" ");
    let lead = out.len() - trim_start_set(&out, b" ").len();
    let trail = if trimmed.is_empty() {
        0
    } else {
        out.len() - trim_end_set(&out, b" ").len()
    };
    let mut s = repeat_char('\u{a0}', lead);
    s.push_str(trimmed);
    s.push_str(&repeat_char('\u{a0}', trail));
    s
}

/// The text of every token in `el`, concatenated (`\operatorname{arg\,max}` → `argmax`).
fn el_text(el: &El) -> String {
    let mut out = el.text.clone();
    for c in &el.children {
        out.push_str(&el_text(c));
    }
    out
}

/// `\mathrm`: single letters lose their italic.
fn upright(el: &mut El) {
    if el.tag == "mi"
        && el.text.chars().count() == 1
        && !el.attrs.iter().any(|a| a.0 == "mathvariant")
    {
        el.attrs.push(("mathvariant", "normal"));
    }
    for c in &mut el.children {
        upright(c);
    }
}

/// Letters and digits of the tokens in `el` mapped through `f` (`\mathbb` and friends).
fn restyle(el: &mut El, f: &dyn Fn(char) -> char) {
    if matches!(el.tag, "mi" | "mn") {
        el.text = el.text.chars().map(f).collect();
        el.attrs.retain(|a| !a.0.eq("mathvariant"));
    }
    for c in &mut el.children {
        restyle(c, f);
    }
}

/// A nested source (an optional argument) parsed with the same limits.
pub fn parse_nested(p: &mut Parser, src: &str) -> R<Vec<El>> {
    let mut q = Parser {
        s: src,
        i: 0,
        depth: p.depth,
    };
    q.expr(Stop::End)
}
