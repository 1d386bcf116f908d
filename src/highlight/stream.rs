//! A code block's lines as they arrive: each complete line is tokenised once, in order, with
//! the state the lines before left; the open last line is tokenised on a copy, so it can be
//! drawn again as it grows without disturbing what comes after. The element's live code
//! block (`widget/code.rs`) is drawn from this.

use super::{Highlighter, Token};
use crate::prelude::*;

pub struct LineStream {
    hl: Option<Highlighter>,
    /// Bytes of the text taken as complete lines.
    done: usize,
    tokens: Vec<Token>,
}

impl LineStream {
    /// For a block in `language` (`None` or unknown: lines come with no tokens).
    pub fn new(language: Option<&str>) -> LineStream {
        LineStream::with(language.and_then(Highlighter::new))
    }

    /// With a highlighter chosen by the caller (the element picks among what is loaded).
    pub fn with(hl: Option<Highlighter>) -> LineStream {
        LineStream {
            hl,
            done: 0,
            tokens: Vec::new(),
        }
    }

    pub fn highlighted(&self) -> bool {
        self.hl.is_some()
    }

    /// The complete lines of `text` (the block so far; it only grows) not taken yet, each
    /// handed to `f` without its line ending, with its tokens. `f` returns `false` to stop
    /// early; the rest is handed over next time.
    pub fn complete(&mut self, text: &str, f: &mut dyn FnMut(&str, &[Token]) -> bool) {
        while let Some(i) = find_byte(&text[self.done..], b'\n') {
            let line = trim_end_set(&text[self.done..self.done + i], b"\r");
            self.tokens.clear();
            let before = self.hl;
            if let Some(h) = &mut self.hl {
                h.line(line, &mut self.tokens);
            }
            if !f(line, &self.tokens) {
                // Not taken: it is tokenised again, from the same state, next time.
                self.hl = before;
                return;
            }
            self.done += i + 1;
        }
    }

    /// Continue in `text` after its first `lines` complete lines, the state kept: the final
    /// text of a block drawn live may differ in its line endings from what arrived.
    pub fn rebase(&mut self, text: &str, lines: usize) {
        let mut at = 0;
        for _ in 0..lines {
            match find_byte(&text[at..], b'\n') {
                Some(i) => at += i + 1,
                None => break,
            }
        }
        self.done = at;
    }

    /// The open last line of `text` (after the complete ones) and its tokens as it stands.
    pub fn open<'a>(&mut self, text: &'a str) -> (&'a str, &[Token]) {
        let line = trim_end_set(&text[self.done.min(text.len())..], b"\r");
        self.tokens.clear();
        if let Some(h) = self.hl {
            // A copy: the real state moves only when the line is complete.
            let mut peek = h;
            peek.line(line, &mut self.tokens);
        }
        (line, &self.tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{languages, Highlighter, Token};
    use super::LineStream;
    use proptest::prelude::*;

    fn whole(lang: &str, text: &str) -> Vec<(String, Vec<Token>)> {
        let mut h = Highlighter::new(lang).unwrap();
        text.split('\n')
            .map(|l| {
                let mut t = Vec::new();
                h.line(l, &mut t);
                (l.to_owned(), t)
            })
            .collect()
    }

    proptest! {
        /// Any split of a code block gives the same tokens as tokenising it whole: lines
        /// taken as they complete, with the open line looked at (and left) in between.
        #[test]
        fn any_split_gives_the_same_tokens(
            text in "[ -~\t\n]{0,300}",
            mut cuts in prop::collection::vec(0usize..300, 0..20),
            which in 0usize..64,
        ) {
            let names: Vec<&str> = languages().collect();
            let lang = names[which % names.len()];
            cuts.retain(|&c| c <= text.len());
            cuts.sort_unstable();
            let mut s = LineStream::new(Some(lang));
            let mut got: Vec<(String, Vec<Token>)> = Vec::new();
            let mut calls = 0usize;
            for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
                // A drawing budget that runs out now and then: what is left comes next time.
                s.complete(&text[..cut], &mut |l, t| {
                    calls += 1;
                    if calls % 3 == 0 {
                        return false;
                    }
                    got.push((l.to_owned(), t.to_vec()));
                    true
                });
                let _ = s.open(&text[..cut]);
            }
            // The end of the block completes its last line.
            let closed = format!("{text}\n");
            s.complete(&closed, &mut |l, t| {
                got.push((l.to_owned(), t.to_vec()));
                true
            });
            prop_assert_eq!(s.open(&closed).0, "");
            prop_assert_eq!(got, whole(lang, &text));
        }
    }

    #[test]
    fn stopping_early_hands_the_rest_over_next_time() {
        let mut s = LineStream::new(Some("rust"));
        let mut n = 0;
        s.complete("a\nb\nc\n", &mut |_, _| {
            n += 1;
            n < 2
        });
        let mut rest = Vec::new();
        s.complete("a\nb\nc\nd", &mut |l, _| {
            rest.push(l.to_owned());
            true
        });
        assert_eq!(rest, ["b", "c"]);
        assert_eq!(s.open("a\nb\nc\nd").0, "d");
    }
}
