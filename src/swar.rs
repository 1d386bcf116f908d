//! Finding bytes eight at a time (SWAR: a few u64 operations per eight bytes instead of a
//! compare per byte): the ends of SSE lines, and the end of a run of plain JSON string
//! bytes. Together they are most of the bytes a chat stream's decoding walks.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Flags (in each byte's top bit) the bytes of `w` equal to `byte`; the lowest flag is exact.
fn equal(w: u64, byte: u8) -> u64 {
    let x = w ^ (LO * u64::from(byte));
    x.wrapping_sub(LO) & !x & HI
}

/// The index of the first `\n` or `\r` in `b`, if any.
pub fn line_end(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(word);
        let m = equal(w, b'\n') | equal(w, b'\r');
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    (i..b.len()).find(|&j| matches!(b[j], b'\n' | b'\r'))
}

/// The index of the first byte at or after `i` that ends a run of plain string content —
/// `"`, `\` or a control character below 0x20 — or `b.len()`.
pub fn string_stop(b: &[u8], mut i: usize) -> usize {
    while i + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        let w = u64::from_le_bytes(word);
        let below_space = w.wrapping_sub(LO * 0x20) & !w & HI;
        // Each mask's lowest flag is a true match, so the lowest of all of them is too.
        let m = equal(w, b'"') | equal(w, b'\\') | below_space;
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !matches!(b[i], b'"' | b'\\' | 0..=0x1f) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_line_ends_like_a_byte_loop() {
        let mut seed = 5u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 58) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|k| match ((seed >> (k % 40)) as u8 ^ k as u8) % 29 {
                    0 => b'\n',
                    1 => b'\r',
                    2 => 0x0b,
                    3 => 0x8d,
                    4 => 0x8a,
                    r => b'a' + r,
                })
                .collect();
            let slow = bytes.iter().position(|&b| b == b'\n' || b == b'\r');
            assert_eq!(line_end(&bytes), slow, "{bytes:?}");
        }
    }

    #[test]
    fn finds_the_first_stop_like_a_byte_loop() {
        let slow = |b: &[u8], i: usize| {
            (i..b.len())
                .find(|&j| matches!(b[j], b'"' | b'\\' | 0..=0x1f))
                .unwrap_or(b.len())
        };
        let mut seed = 3u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 58) as usize;
            // Mostly plain bytes (including ones above 0x7f and just above 0x20), a few stops.
            let bytes: Vec<u8> = (0..len)
                .map(|k| {
                    let r = (seed >> (k % 50)) as u8 ^ (k as u8).wrapping_mul(37);
                    match r % 23 {
                        0 => b'"',
                        1 => b'\\',
                        2 => r % 0x20,
                        3 => 0x20,
                        4 => 0x21,
                        5 => 0xa2,
                        6 => 0xdc,
                        _ => b'a' + r % 26,
                    }
                })
                .collect();
            for start in 0..=len {
                assert_eq!(
                    string_stop(&bytes, start),
                    slow(&bytes, start),
                    "{bytes:?} from {start}"
                );
            }
        }
    }
}
