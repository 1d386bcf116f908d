//! The math converter as a filter, for the differential check against another converter
//! (tests/e2e/math-oracle.test.mjs): one TeX formula per line in, its MathML (or `!` and
//! why it was refused) per line out. `cargo run --example mathml < formulas.txt`.

use std::io::{BufRead, Write};

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(tex) = line else { break };
        let (display, tex) = match tex.strip_prefix("display:") {
            Some(rest) => (true, rest.to_owned()),
            None => (false, tex),
        };
        match rill_chat::math::to_mathml(&tex, display) {
            Ok(m) => writeln!(out, "{}", m.replace('\n', " ")),
            Err(e) => writeln!(out, "!{e:?}"),
        }
        .expect("stdout");
    }
}
