//! The TeX reader: a recursive descent over the source (no token list), building MathML as
//! it goes. Atoms take scripts (`^`, `_`, primes); commands are in `commands.rs`;
//! environments are in `env.rs`.

use super::commands::{colour, fenced};
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

pub(super) type R<T> = Result<T, Refused>;

/// What a base is, for how its scripts are set.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Base {
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

pub(super) fn mo(text: &str) -> El {
    El::token("mo", text)
}

/// An `mspace` of one of TeX's widths.
pub(super) fn space(width: &'static str) -> El {
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
        if self.s[self.i..].starts_with("*") && name == "operatorname" {
            self.i += 1;
            return &rest[..len + 1];
        }
        name
    }

    /// The command at the cursor without consuming it.
    pub fn peek_command(&self) -> Option<&'a str> {
        if !self.s[self.i..].starts_with("\\") {
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

    pub(super) fn atom_with_scripts(&mut self, out: &mut Vec<El>) -> R<()> {
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
                if el.tag == "mo" && el.text.as_str() == base.text.as_str() {
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
    pub(super) fn scripts(&mut self, base: El, kind: Base) -> R<El> {
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
        if !self.s[self.i..].starts_with("{") {
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
        if !rest.starts_with("[") {
            return None;
        }
        let end = find_byte(rest, b']')?;
        self.i += end + 1;
        Some(&rest[1..end])
    }

    /// One base: a character, a group or a command; `None` for what draws nothing.
    pub(super) fn atom(&mut self) -> R<Option<(El, Base)>> {
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
}

/// `\color`'s names we draw, each a class of the element's stylesheet.
/// TeX's spacing commands.
/// A fence character as an operator that does not stretch (only `\left…\right` stretch).
pub(super) fn delimiter(c: &str) -> El {
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

/// `\text` content: TeX's escapes for the characters it reserves, and nothing else.
/// The text of every token in `el`, concatenated (`\operatorname{arg\,max}` → `argmax`).
/// `\mathrm`: single letters lose their italic.
/// Letters and digits of the tokens in `el` mapped through `f` (`\mathbb` and friends).
/// A nested source (an optional argument) parsed with the same limits.
pub fn parse_nested(p: &mut Parser, src: &str) -> R<Vec<El>> {
    let mut q = Parser {
        s: src,
        i: 0,
        depth: p.depth,
    };
    q.expr(Stop::End)
}
