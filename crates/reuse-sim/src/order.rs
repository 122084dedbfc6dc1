//! One small sort, shared by the engine and the web app: `(key, index)`
//! pairs in ascending order. The standard library's `sort_unstable` is
//! fast but about 8 KB of WebAssembly per element type (ipnsort with its
//! small-sort networks), over 3 KB of the app's gzipped first load; the
//! places that sort there (request ids at validation, a view's times) sort
//! a few thousand pairs at most, where a heapsort's O(n log n) is plenty.
//! The pairs are distinct (the index differs), so any correct sort gives
//! the same order: the result does not depend on the algorithm.

/// Sorts `pairs` in ascending order, in place (heapsort: no allocation).
pub fn sort_pairs(pairs: &mut [(u64, u32)]) {
    let n = pairs.len();
    for root in (0..n / 2).rev() {
        sift_down(pairs, root, n);
    }
    for end in (1..n).rev() {
        pairs.swap(0, end);
        sift_down(pairs, 0, end);
    }
}

/// Restores the max-heap below `root` within `pairs[..end]`.
fn sift_down(pairs: &mut [(u64, u32)], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && pairs[child] < pairs[child + 1] {
            child += 1;
        }
        if pairs[root] >= pairs[child] {
            return;
        }
        pairs.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_sorts_as_the_standard_library_does() {
        // A deterministic spread of inputs: empty, one, runs, duplicates of
        // the key, reversed, and pseudo-random lengths up to 3,000.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for n in (0..40).chain([255, 256, 257, 1000, 3000]) {
            for keys in 0..3 {
                let mut v: Vec<(u64, u32)> = (0..n as u32)
                    .map(|i| {
                        let k = match keys {
                            0 => next() % 7,
                            1 => u64::from(n as u32 - i),
                            _ => next(),
                        };
                        (k, i)
                    })
                    .collect();
                let mut expected = v.clone();
                expected.sort_unstable();
                sort_pairs(&mut v);
                assert_eq!(v, expected, "n = {n}, keys {keys}");
            }
        }
    }
}
