//! The SIMD backend: the tokenizer classifies 16 bytes at a time with `wide`.

use wide::u8x16;

use crate::scalar;

/// Same output as [`scalar::token_spans`]: whitespace found 16 bytes at a time.
pub(crate) fn token_spans(text: &[u8], out: &mut Vec<(usize, usize)>) {
    let mut start: Option<usize> = None;
    let mut i = 0;
    let nine = u8x16::splat(9);
    let four = u8x16::splat(4);
    let space = u8x16::splat(b' ');
    while i + 16 <= text.len() {
        let mut lanes = [0u8; 16];
        lanes.copy_from_slice(&text[i..i + 16]);
        let v = u8x16::new(lanes);
        // \t..\r are 9..=13: (v - 9) <= 4 with wrapping arithmetic; or a space.
        let ws = (v - nine).simd_le(four) | v.simd_eq(space);
        let mask = ws.to_bitmask();
        // Walk the transitions between token and whitespace bytes in this block.
        let mut pos = 0;
        while pos < 16 {
            if start.is_none() {
                // Skip whitespace: find the first non-space lane at or after pos.
                let rest = !mask & (0xFFFF_u32 << pos) & 0xFFFF;
                if rest == 0 {
                    break;
                }
                pos = rest.trailing_zeros() as usize;
                start = Some(i + pos);
            } else {
                let rest = mask & (0xFFFF_u32 << pos);
                if rest == 0 {
                    break;
                }
                pos = rest.trailing_zeros() as usize;
                out.push((start.take().unwrap_or(0), i + pos));
            }
        }
        i += 16;
    }
    // The tail, byte by byte.
    for (j, &b) in text.iter().enumerate().skip(i) {
        match (scalar::is_space(b), start) {
            (true, Some(s)) => {
                out.push((s, j));
                start = None;
            }
            (false, None) => start = Some(j),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
}
