//! The SIMD backend: the tokenizer classifies 16 bytes at a time with `wide`, and the
//! matcher compares 16 text positions at a time against short-keyword windows.

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

/// ASCII lower-case of 16 bytes.
fn fold16(v: u8x16) -> u8x16 {
    let upper = (v - u8x16::splat(b'A')).simd_le(u8x16::splat(25));
    v | (upper & u8x16::splat(0x20))
}

/// Bit `j` (0..64) set where the three bytes at `block[j..]` (ASCII-folded when `fold`)
/// equal one of `windows`: the same bits as hashing each position and testing the window
/// table, without false positives.
pub(crate) fn window3_mask(block: &[u8; 71], windows: &[[u8; 3]], fold: bool) -> u64 {
    let mut mask = 0u64;
    for s in 0..4 {
        let load = |o: usize| {
            let mut lanes = [0u8; 16];
            lanes.copy_from_slice(&block[16 * s + o..16 * s + o + 16]);
            let v = u8x16::new(lanes);
            if fold { fold16(v) } else { v }
        };
        let (v0, v1, v2) = (load(0), load(1), load(2));
        let mut m = u8x16::splat(0);
        for w in windows {
            m |= v0.simd_eq(u8x16::splat(w[0])) & v1.simd_eq(u8x16::splat(w[1])) & v2.simd_eq(u8x16::splat(w[2]));
        }
        mask |= u64::from(m.to_bitmask() as u16) << (16 * s);
    }
    mask
}
