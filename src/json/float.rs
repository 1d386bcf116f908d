//! The few float operations the crate needs that `core` lacks (`round`, `fract`, powers of
//! ten live in std, which the shipped no_std wasm does not have), exact for every f64.

/// Largest magnitude below which an f64 can have a fraction (2^52).
const INTEGRAL: f64 = 4_503_599_627_370_496.0;

/// `x` rounded towards zero.
pub fn trunc(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= INTEGRAL {
        return x; // already whole, infinite or NaN
    }
    ((x as i64) as f64).copysign(x)
}

/// The fractional part, with the sign of `x` (as `f64::fract`).
pub fn fract(x: f64) -> f64 {
    x - trunc(x)
}

/// Rounded to the nearest whole number, halves away from zero (as `f64::round`).
pub fn round(x: f64) -> f64 {
    let t = trunc(x);
    if (x - t).abs() >= 0.5 {
        t + if x < 0.0 { -1.0 } else { 1.0 }
    } else {
        t
    }
}

/// 10^n for small non-negative `n` (display precision), exactly as repeated multiplication.
pub fn pow10(n: u32) -> f64 {
    (0..n).fold(1.0, |p, _| p * 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_std_for_every_kind_of_value() {
        let mut seed = 11u64;
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -2.5,
            2.4999999999999996,
            1e300,
            -1e-300,
            4.5e15,
            4503599627370495.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ];
        for _ in 0..10_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            values.push(f64::from_bits(seed));
            values.push((seed >> 11) as f64 / 1024.0 - 4e12);
        }
        for x in values.into_iter().filter(|x| !x.is_nan()) {
            assert_eq!(trunc(x).to_bits(), x.trunc().to_bits(), "trunc {x}");
            let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
            assert!(same(round(x), x.round()), "round {x}");
            assert!(same(fract(x), x.fract()), "fract {x}");
        }
        assert!(round(f64::NAN).is_nan() && fract(f64::NAN).is_nan());
        assert_eq!(
            (0..10).map(pow10).collect::<Vec<_>>(),
            (0..10).map(|n| 10f64.powi(n)).collect::<Vec<_>>()
        );
    }
}
