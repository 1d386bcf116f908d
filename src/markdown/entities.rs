//! Character references. Numeric ones are decoded in full; named ones from a small table,
//! because the full HTML list (2,125 names, ~65 KB of source in pulldown-cmark) would cost
//! more than the rest of the renderer. An unknown name stays literal text, which is what
//! CommonMark prescribes for names it does not know.

use crate::prelude::*;

/// Why each name is here: the five that escape HTML syntax (`amp lt gt quot apos`), the
/// typography models write (`nbsp ndash mdash hellip lsquo rsquo ldquo rdquo laquo raquo
/// bull middot deg plusmn times divide micro para sect copy reg trade euro pound yen cent
/// larr rarr uarr darr harr le ge ne asymp infin`), the Latin letters of common names
/// (`auml ouml uuml Auml Ouml Uuml szlig eacute egrave agrave ccedil ntilde aring AElig`),
/// and the ones the CommonMark spec's own examples use (`Dcaron frac34 HilbertSpace
/// DifferentialD ClockwiseContourIntegral ngE`). `name=text`, space-separated (one string, not a
/// table of pairs, whose pointers would cost more than the names).
const NAMED: &str = concat!(
    "AElig=Æ Auml=Ä ClockwiseContourIntegral=∲ Dcaron=Ď DifferentialD=ⅆ ",
    "HilbertSpace=ℋ Ouml=Ö Uuml=Ü agrave=à amp=& apos=' aring=å asymp=≈ ",
    "auml=ä bull=• ccedil=ç cent=¢ copy=© darr=↓ deg=° divide=÷ eacute=é ",
    "egrave=è euro=€ frac34=¾ ge=≥ gt=> harr=↔ hellip=… infin=∞ laquo=« ",
    "larr=← ldquo=\u{201C} le=≤ lsquo=\u{2018} lt=< mdash=— micro=µ middot=· nbsp=\u{A0} ",
    "ndash=– ne=≠ ngE=≧\u{338} ntilde=ñ ouml=ö para=¶ plusmn=± pound=£ quot=\" ",
    "raquo=» rarr=→ rdquo=\u{201D} reg=® rsquo=\u{2019} sect=§ szlig=ß times=× trade=™ ",
    "uarr=↑ uuml=ü yen=¥",
);

/// Decodes the reference at the start of `s` (which begins with `&`): (text, bytes used).
/// The decoding is in the second module (`markdown::rare_ready`); only the shape of a
/// reference (`&`, up to 32 letters, digits or `#`, `;`) is checked here.
pub fn decode_at(s: &str) -> Option<(String, usize)> {
    let body = s.strip_prefix("&")?;
    let end = find_byte(body, b';')?;
    let shape = (1..=33).contains(&end)
        && body.as_bytes()[..end]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'#');
    if !shape || !super::rare_ready() {
        return None;
    }
    decode_now(s, end)
}

crate::lazy!("ad000000000000000000000000000001" fn decode_now(s: &str, end: usize) -> Option<(String, usize)> {
    let body = &s[1..];
    let name = &body[..end];
    let decoded = if let Some(num) = name.strip_prefix("#") {
        let (digits, radix, max_len) = match num.strip_prefix("x").or_else(|| num.strip_prefix("X"))
        {
            Some(hex) => (hex, 16, 6),
            None => (num, 10, 7),
        };
        if digits.is_empty() || digits.len() > max_len || !digits.chars().all(|c| c.is_digit(radix))
        {
            return None;
        }
        let code = u32::from_str_radix(digits, radix).ok()?;
        // NUL and values that are no character become U+FFFD (spec §2.5).
        let c = if code == 0 {
            '\u{FFFD}'
        } else {
            char::from_u32(code).unwrap_or('\u{FFFD}')
        };
        c.to_string()
    } else {
        if name.is_empty() || name.len() > 32 || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        split_byte(NAMED, b' ')
            .find_map(|e| e.strip_prefix(name)?.strip_prefix("="))?
            .to_owned()
    };
    Some((decoded, end + 2))
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_decodes() {
        for entry in split_byte(NAMED, b' ') {
            let (name, text) = split_once_byte(entry, b'=').unwrap();
            assert_eq!(
                decode_at(&cat(&["&", name, ";"])),
                Some((text.to_owned(), name.len() + 2))
            );
        }
        assert_eq!(decode_at("&ldquo;"), Some(("\u{201C}".into(), 7)));
        assert_eq!(decode_at("&ngE;"), Some(("≧\u{338}".into(), 5)));
        assert_eq!(decode_at("&l;"), None);
        assert_eq!(decode_at("&amp;x"), Some(("&".into(), 5)));
        assert_eq!(decode_at("&#x1F600;"), Some(("😀".into(), 9)));
        assert_eq!(decode_at("&#0;"), Some(("\u{FFFD}".into(), 4)));
        assert_eq!(decode_at("&MadeUpEntity;"), None);
        assert_eq!(decode_at("&#12345678;"), None);
    }
}
