//! What `std`'s prelude gives every file, from `alloc`, so the crate also builds as `no_std`
//! (the shipped wasm: no std panic and formatting machinery, see `lib.rs`).

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;

/// Where `needle` first occurs in `hay`. A plain search: `str::find` with a string pattern
/// brings `core`'s two-way searcher, kilobytes of wasm for the few short needles we look for.
pub fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i] == n[0] && &h[i..i + n.len()] == n)
}

/// Where `needle` last occurs in `hay`.
pub fn rfind_str(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?)
        .rev()
        .find(|&i| &h[i..i + n.len()] == n)
}

/// How many times `needle` (not empty) occurs in `hay` without overlapping.
pub fn count_str(hay: &str, needle: &str) -> usize {
    let (mut n, mut at) = (0, 0);
    while let Some(i) = find_str(&hay[at..], needle) {
        n += 1;
        at += i + needle.len().max(1);
    }
    n
}

/// Whether `c` is one of the ASCII bytes in `set` (`str::contains` with a char pattern
/// brings the two-way searcher too, for characters beyond ASCII).
pub fn one_of(c: char, set: &[u8]) -> bool {
    c.is_ascii() && set.contains(&(c as u8))
}

/// Whether `s` holds the ASCII byte `b`.
pub fn has_byte(s: &str, b: u8) -> bool {
    s.as_bytes().contains(&b)
}

/// `hay` with every `from` (not empty) replaced by `to`.
pub fn replace_str(hay: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(hay.len());
    let mut at = 0;
    while let Some(i) = find_str(&hay[at..], from) {
        out.push_str(&hay[at..at + i]);
        out.push_str(to);
        at += i + from.len().max(1);
    }
    out.push_str(&hay[at..]);
    out
}

/// The pieces joined: how messages are built on release paths instead of `format!`, whose
/// formatting machinery costs kilobytes of wasm.
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_string_search_agrees_with_core() {
        let hays = ["", "a", "**x**", "ab ab aab", "é**é", "\n\n\n", "[a](b"];
        let needles = ["a", "ab", "**", "\n\n", "](", "é", "zz"];
        for h in hays {
            for n in needles {
                assert_eq!(find_str(h, n), h.find(n), "{h:?} {n:?}");
                assert_eq!(rfind_str(h, n), h.rfind(n), "{h:?} {n:?}");
                assert_eq!(count_str(h, n), h.matches(n).count(), "{h:?} {n:?}");
                assert_eq!(replace_str(h, n, "-"), h.replace(n, "-"), "{h:?} {n:?}");
            }
        }
    }
}
