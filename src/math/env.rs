//! `\begin{…}…\end{…}`: matrices, `cases`, `aligned` and their kin as `<mtable>`. Rows end
//! at `\\`, cells at `&`; column alignment is a class (`ml`, `mr`) that the element's
//! stylesheet sets, since MathML Core has no `columnalign`.

use super::parse::{row, stretched, Parser, Stop};
use super::{El, Refused};
use crate::prelude::*;

/// The table inside `\begin{name}`, with its fences.
pub fn environment(p: &mut Parser, name: &str) -> Result<El, Refused> {
    let base = trim_end_set(name, b"*");
    let columns = if base == "array" || base == "alignat" {
        p.raw_group()?
    } else {
        ""
    };
    let rows = cells(p, name)?;
    // Per-column alignment: `aligned` alternates right/left (the `&` sits before the
    // relation), `cases` is left-aligned, an array says so itself.
    let align = |col: usize| -> &'static str {
        match base {
            "aligned" | "align" | "alignat" | "split" | "alignedat" | "eqnarray" => {
                if col % 2 == 0 {
                    "mr"
                } else {
                    "ml"
                }
            }
            "cases" | "rcases" | "dcases" => "ml",
            "array" => match columns
                .bytes()
                .filter(|b| matches!(b, b'l' | b'c' | b'r'))
                .nth(col)
            {
                Some(b'l') => "ml",
                Some(b'r') => "mr",
                _ => "",
            },
            _ => "",
        }
    };
    let mut table = Vec::with_capacity(rows.len());
    for r in rows {
        let mut tds = Vec::with_capacity(r.len());
        for (col, cell) in r.into_iter().enumerate() {
            let td = El::new("mtd", vec![row(cell)]);
            let class = align(col);
            tds.push(if class.is_empty() {
                td
            } else {
                td.attr("class", class)
            });
        }
        table.push(El::new("mtr", tds));
    }
    let table = El::new("mtable", table);
    let fence = |open: &str, t: El, close: &str| stretched(open, vec![t], close);
    Ok(match base {
        "pmatrix" => fence("(", table, ")"),
        "bmatrix" => fence("[", table, "]"),
        "Bmatrix" => fence("{", table, "}"),
        "vmatrix" => fence("|", table, "|"),
        "Vmatrix" => fence("‖", table, "‖"),
        "cases" | "dcases" => fence("{", table, ""),
        "rcases" => fence("", table, "}"),
        "smallmatrix" => El::new("mstyle", vec![table]).attr("scriptlevel", "1"),
        "aligned" | "align" | "alignat" | "alignedat" | "split" | "gathered" | "gather"
        | "equation" | "eqnarray" | "matrix" | "array" | "multline" => {
            El::new("mstyle", vec![table]).attr("displaystyle", "true")
        }
        _ => El::new(
            "merror",
            vec![El::token("mtext", &cat(&["\\begin{", name, "}"]))],
        ),
    })
}

/// The rows of cells up to `\end{name}`.
fn cells(p: &mut Parser, name: &str) -> Result<Vec<Vec<Vec<El>>>, Refused> {
    let mut rows: Vec<Vec<Vec<El>>> = Vec::new();
    let mut current: Vec<Vec<El>> = Vec::new();
    loop {
        let cell = p.expr(Stop::Cell)?;
        current.push(cell);
        p.skip_ws();
        if p.s[p.i..].starts_with("&") {
            p.i += 1;
            continue;
        }
        match p.command() {
            "\\" | "cr" => {
                // `\\[4pt]`: the extra space is not drawn.
                p.optional();
                rows.push(core::mem::take(&mut current));
            }
            "end" => {
                // `==`, not `!=`: str's `ne` is not in the first module, and the math and
                // extra modules sharing it would cost a third file (scripts/build.sh).
                let end = p.raw_group()?;
                if !name.eq(end) {
                    return Err(Refused::Syntax);
                }
                // A last `\\` before `\end` leaves an empty row behind: not drawn.
                let empty = current.len() == 1 && current[0].is_empty();
                if !empty || rows.is_empty() {
                    rows.push(current);
                }
                return Ok(rows);
            }
            _ => return Err(Refused::Syntax),
        }
    }
}
