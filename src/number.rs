//! JSON numbers compared by value: integers exactly, and a number literal exactly as written
//! where its `f64` would round it (an integer below `i64::MIN` or above `u64::MAX`, or any
//! literal at or beyond 2^53, where `f64` no longer holds every integer).

use std::cmp::Ordering;

use serde_json::Number;

/// 2^53: from here on, `f64` skips integers, so a literal this large is kept as written.
pub(crate) const EXACT_F64: f64 = 9_007_199_254_740_992.0;

/// 2^63 as f64: every integral f64 in `(-2^63, 2^63)` converts to i64 exactly.
const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;

/// Orders two JSON numbers by value, exactly for integers.
pub(crate) fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    // One side is negative and the other above i64::MAX, or one is a float.
    if let (Some(_), Some(_)) = (a.as_i64(), b.as_u64()) {
        return Some(Ordering::Less);
    }
    if let (Some(_), Some(_)) = (a.as_u64(), b.as_i64()) {
        return Some(Ordering::Greater);
    }
    let integer = |n: &Number| n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
    match (integer(a), integer(b)) {
        (None, Some(y)) => float_cmp_integer(a.as_f64()?, y),
        (Some(x), None) => float_cmp_integer(b.as_f64()?, x).map(Ordering::reverse),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

/// Orders a float against an integer exactly (`9223372036854775808.0` is above `i64::MAX`,
/// which as a float it would equal).
fn float_cmp_integer(f: f64, i: i128) -> Option<Ordering> {
    /// 2^127: every float below it in magnitude has its floor within i128.
    const BOUND: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if f.is_nan() {
        return None;
    }
    if f >= BOUND {
        return Some(Ordering::Greater);
    }
    if f < -BOUND {
        return Some(Ordering::Less);
    }
    let floor = f.floor();
    #[allow(
        clippy::cast_possible_truncation,
        reason = "an integral float within i128, checked above"
    )]
    let whole = floor as i128;
    Some(match whole.cmp(&i) {
        Ordering::Equal if f > floor => Ordering::Greater,
        other => other,
    })
}

/// Orders a number literal (as written in JSON text) against a number, exactly.
pub(crate) fn compare_literal(literal: &str, b: &Number) -> Option<Ordering> {
    let a = Decimal::parse(literal)?;
    let b = Decimal::parse(&b.to_string())?;
    Some(a.cmp(&b))
}

/// Orders two number literals exactly.
pub(crate) fn compare_literals(a: &str, b: &str) -> Option<Ordering> {
    Some(Decimal::parse(a)?.cmp(&Decimal::parse(b)?))
}

/// An integral JSON number as i64; `Err(true)` when integral but outside i64, `Err(false)`
/// when not integral. `literal` is the number as written, when the reader kept it.
///
/// Without the literal, a float at exactly -2^63 counts as outside i64: it is what every
/// integer literal from -2^63 - 1 down to -2^63 - 1024 becomes, and `i64::MIN` itself is
/// stored as an integer.
pub(crate) fn as_integer(n: &Number, literal: Option<&str>) -> Result<i64, bool> {
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    if n.as_u64().is_some() {
        return Err(true);
    }
    if let Some(decimal) = literal.and_then(Decimal::parse) {
        return decimal.as_i64();
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.fract() != 0.0 || !f.is_finite() {
        return Err(false);
    }
    if f > -TWO_POW_63 && f < TWO_POW_63 {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "integral and within i64, checked above"
        )]
        Ok(f as i64)
    } else {
        Err(true)
    }
}

/// A number as written, exactly: `0.d1 d2 ... dn x 10^point`, with no leading or trailing
/// zero digit (zero has no digits).
#[derive(Debug, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    point: i64,
}

impl Decimal {
    /// Reads a JSON number literal (`-12.5e3`); `None` for anything else.
    fn parse(literal: &str) -> Option<Decimal> {
        let (negative, rest) = match literal.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, literal),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((int, frac)) => (int, frac),
            None => (mantissa, ""),
        };
        let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !is_digits(int) || !is_digits(frac) {
            return None;
        }
        let exponent = match exponent {
            None => 0,
            Some(e) => {
                let (sign, digits) = match e.as_bytes().first() {
                    Some(b'-') => (-1, &e[1..]),
                    Some(b'+') => (1, &e[1..]),
                    _ => (1, e),
                };
                if digits.is_empty() || !is_digits(digits) {
                    return None;
                }
                // Saturates: an exponent past 10^17 puts the number beyond any bound.
                let value = digits.bytes().fold(0i64, |acc, b| {
                    acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
                });
                sign * value.min(i64::MAX / 4)
            }
        };
        let all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let leading = all.iter().take_while(|&&d| d == 0).count();
        let mut digits = all[leading..].to_vec();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let int_len = i64::try_from(int.len()).ok()?;
        let leading = i64::try_from(leading).ok()?;
        Some(Decimal {
            negative: negative && !digits.is_empty(),
            point: if digits.is_empty() {
                0
            } else {
                int_len - leading + exponent
            },
            digits,
        })
    }

    /// The number as i64: `Err(false)` when it has a fraction, `Err(true)` when it is an
    /// integer outside i64.
    fn as_i64(&self) -> Result<i64, bool> {
        if self.digits.is_empty() {
            return Ok(0);
        }
        let len = i64::try_from(self.digits.len()).map_err(|_| true)?;
        if len > self.point {
            return Err(false);
        }
        if self.point > 19 {
            return Err(true);
        }
        let mut magnitude: i128 = 0;
        for i in 0..self.point {
            let digit = usize::try_from(i)
                .ok()
                .and_then(|i| self.digits.get(i))
                .copied()
                .unwrap_or(0);
            magnitude = magnitude * 10 + i128::from(digit);
        }
        let value = if self.negative { -magnitude } else { magnitude };
        i64::try_from(value).map_err(|_| true)
    }

    /// Orders magnitudes: normalised digits make the point decide first.
    fn cmp_magnitude(&self, other: &Decimal) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => self
                .point
                .cmp(&other.point)
                .then_with(|| self.digits.cmp(&other.digits)),
        }
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_magnitude(other),
            (true, true) => other.cmp_magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        Decimal::parse(a).unwrap().cmp(&Decimal::parse(b).unwrap())
    }

    #[test]
    fn literals_compare_exactly() {
        assert_eq!(
            cmp("-9223372036854775809", "-9223372036854775808"),
            Ordering::Less
        );
        assert_eq!(
            cmp("9007199254740993", "9007199254740992"),
            Ordering::Greater
        );
        assert_eq!(cmp("1e3", "1000.000"), Ordering::Equal);
        assert_eq!(cmp("-0.0", "0"), Ordering::Equal);
        assert_eq!(cmp("0.5", "0.05e1"), Ordering::Equal);
        assert_eq!(cmp("-1.5", "-1.25"), Ordering::Less);
        assert_eq!(cmp("12", "9"), Ordering::Greater);
        assert_eq!(cmp("1e99999999999999999999", "1e308"), Ordering::Greater);
    }

    #[test]
    fn integers_from_literals() {
        let int = |s: &str| Decimal::parse(s).unwrap().as_i64();
        assert_eq!(int("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(int("-9223372036854775808.0"), Ok(i64::MIN));
        assert_eq!(int("-9223372036854775809"), Err(true));
        assert_eq!(int("-9223372036854775808.5"), Err(false));
        assert_eq!(int("9.223372036854775807e18"), Ok(i64::MAX));
        assert_eq!(int("1e19"), Err(true));
        assert_eq!(int("1e-3"), Err(false));
        assert_eq!(int("0e5"), Ok(0));
        assert_eq!(int("120e-1"), Ok(12));
    }

    #[test]
    fn a_float_at_the_floor_is_out_of_range_without_its_literal() {
        let floor = Number::from_f64(-TWO_POW_63).unwrap();
        assert_eq!(as_integer(&floor, None), Err(true));
        assert_eq!(
            as_integer(&floor, Some("-9223372036854775808.0")),
            Ok(i64::MIN)
        );
        assert_eq!(
            as_integer(&floor, Some("-9223372036854775808.5")),
            Err(false)
        );
    }
}
