//! LaTeX math → a MathML Core tree, our own converter (no KaTeX, no MathJax): the browser
//! lays it out natively. Safe by construction: element and attribute names, and every
//! attribute value, come from this module's own constants; what the model wrote only ever
//! becomes text. Commands we do not know (`\href`, `\url`, `\html…`, macros, colours) are
//! shown as their source in an `<merror>`, never interpreted. Bounded: a formula longer than
//! `MAX_SOURCE`, deeper than `MAX_DEPTH` or bigger than `MAX_NODES` is refused whole, and
//! the caller shows its source.

mod commands;
mod env;
mod parse;
mod symbols;

use crate::prelude::*;

/// The longest formula converted, in bytes of TeX.
pub const MAX_SOURCE: usize = 8 * 1024;
/// How deeply groups and constructs may nest.
pub const MAX_DEPTH: usize = 48;
/// How many elements one formula may produce.
pub const MAX_NODES: usize = 6000;

/// One MathML element: a token (`mi`, `mn`, `mo`, `mtext`) has `text` and no children.
#[derive(Debug, Clone, PartialEq)]
pub struct El {
    pub tag: &'static str,
    pub attrs: Vec<(&'static str, &'static str)>,
    pub text: String,
    pub children: Vec<El>,
}

impl El {
    pub fn new(tag: &'static str, children: Vec<El>) -> El {
        El {
            tag,
            attrs: Vec::new(),
            text: String::new(),
            children,
        }
    }

    pub fn token(tag: &'static str, text: &str) -> El {
        El {
            tag,
            attrs: Vec::new(),
            text: text.to_owned(),
            children: Vec::new(),
        }
    }

    pub fn attr(mut self, name: &'static str, value: &'static str) -> El {
        self.attrs.push((name, value));
        self
    }

    /// Markup for tests and the string renderer: text escaped, attributes in order.
    pub fn write(&self, out: &mut String) {
        out.push('<');
        out.push_str(self.tag);
        for (name, value) in &self.attrs {
            out.push(' ');
            out.push_str(name);
            out.push_str("=\"");
            out.push_str(value);
            out.push('"');
        }
        out.push('>');
        for c in self.text.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                _ => out.push(c),
            }
        }
        for c in &self.children {
            c.write(out);
        }
        out.push_str("</");
        out.push_str(self.tag);
        out.push('>');
    }

    pub fn count(&self) -> usize {
        1 + self.children.iter().map(El::count).sum::<usize>()
    }
}

/// Why a formula is shown as its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    TooLong,
    TooDeep,
    TooBig,
    /// Unbalanced braces, `\left` without `\right`, `\begin` without its `\end`, …
    Syntax,
}

/// A whole `<math>` element for `tex` (the text between the delimiters): `display` for
/// `$$…$$` and `\[…\]`. The source rides along as an annotation, so copying or a screen
/// reader's math mode can still reach the LaTeX.
pub fn convert(tex: &str, display: bool) -> Result<El, Refused> {
    if tex.len() > MAX_SOURCE {
        return Err(Refused::TooLong);
    }
    let body = parse::parse(tex)?;
    let row = if body.len() == 1 {
        body.into_iter()
            .next()
            .unwrap_or_else(|| El::new("mrow", Vec::new()))
    } else {
        El::new("mrow", body)
    };
    let annotation = El::token("annotation", tex.trim()).attr("encoding", "application/x-tex");
    let math = El::new("math", vec![El::new("semantics", vec![row, annotation])]);
    let math = if display {
        math.attr("display", "block")
    } else {
        math
    };
    if math.count() > MAX_NODES {
        return Err(Refused::TooBig);
    }
    Ok(math)
}

/// `convert` as markup (tests, the differential check against another converter).
pub fn to_mathml(tex: &str, display: bool) -> Result<String, Refused> {
    let mut out = String::new();
    convert(tex, display)?.write(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests;
