//! The commands: `\frac`, `\sqrt`, fonts, accents, `\text`, `\left…\right`, big
//! operators and function names, spacing, `\boxed`, `\tag`, colours by name, environments
//! (`env.rs`); an unknown command is its own source in an `<merror>`.

use super::parse::*;
use super::symbols::{self as sym, lookup, styled, FONTS};
use super::{El, Refused};
use crate::prelude::*;

impl Parser<'_> {
    pub(super) fn command_atom(&mut self) -> R<Option<(El, Base)>> {
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
        if listed(sym::LIMITS, name) {
            return Ok(Some((mo(name).attr("movablelimits", "true"), Base::Limits)));
        }
        if listed(sym::FUNCTIONS, name) {
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
                while self.s[self.i..].starts_with("{") {
                    self.raw_group()?;
                }
                let source = &self.s[start..self.i];
                plain(El::new("merror", vec![El::token("mtext", source)]))
            }
        }
    }

    /// A delimiter after `\left`, `\right`, `\middle`, `\big…`: a character or a command.
    pub(super) fn delim(&mut self) -> R<&'static str> {
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

    pub(super) fn left_right(&mut self) -> R<Option<(El, Base)>> {
        let open = self.delim()?;
        let inner = self.expr(Stop::Right)?;
        self.command();
        let close = self.delim()?;
        Ok(Some((stretched(open, inner, close), Base::Plain)))
    }
}

pub(super) fn colour(name: &str) -> Option<&'static str> {
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

const SPACES: &str = ", 0.1667em : 0.2222em > 0.2222em ; 0.2778em ! -0.1667em quad 1em \
    qquad 2em enspace 0.5em thinspace 0.1667em medspace 0.2222em thickspace 0.2778em";

pub(super) fn fenced(open: &str, el: El, close: &str) -> El {
    El::new("mrow", vec![mo(open), el, mo(close)])
}

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

fn el_text(el: &El) -> String {
    let mut out = el.text.clone();
    for c in &el.children {
        out.push_str(&el_text(c));
    }
    out
}

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

fn restyle(el: &mut El, f: &dyn Fn(char) -> char) {
    if matches!(el.tag, "mi" | "mn") {
        el.text = el.text.chars().map(f).collect();
        el.attrs.retain(|a| !a.0.eq("mathvariant"));
    }
    for c in &mut el.children {
        restyle(c, f);
    }
}
