//! Dates: the documented `YYYY-MM-DD` pattern, calendar checks, and the patterns that let
//! JSON Schema, which cannot order strings, compare dates.

/// A calendar date `YYYY-MM-DD` in the proleptic Gregorian calendar, years 0000 to 9999,
/// leap years included.
pub const DATE_PATTERN: &str = "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$";

/// A calendar date as days-comparable parts, if `text` is a valid `YYYY-MM-DD` date.
pub(crate) fn parse_date(text: &str) -> Option<(u16, u8, u8)> {
    if !is_date_shaped(text) {
        return None;
    }
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| {
        b[r].iter()
            .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'))
    };
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days {
        return None;
    }
    Some((year, u8::try_from(month).ok()?, u8::try_from(day).ok()?))
}

/// `text` has the shape `DDDD-DD-DD` (ASCII digits), whether or not it is a real date.
/// Dates of this shape compare as strings exactly as they compare as dates.
pub(crate) fn is_date_shaped(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A portable pattern matching date-shaped strings that compare `op` against `bound`
/// (`bound` must be date-shaped). Used to express date bounds and date conditions in JSON
/// Schema, which has no ordering for strings.
pub(crate) fn date_order_pattern(bound: &str, greater: bool, or_equal: bool) -> String {
    let digits: Vec<char> = bound.chars().collect();
    let mut alternatives = Vec::new();
    // Equal on a prefix, then strictly greater (or less) at one digit, anything after.
    for (i, &d) in digits.iter().enumerate() {
        if d == '-' {
            continue;
        }
        let (low, high) = if greater {
            (d as u8 + 1, b'9')
        } else {
            (b'0', (d as u8).wrapping_sub(1))
        };
        if (greater && d == '9') || (!greater && d == '0') {
            continue;
        }
        let class = if low == high {
            (low as char).to_string()
        } else {
            format!("[{}-{}]", low as char, high as char)
        };
        let prefix: String = digits[..i].iter().collect();
        let rest: String = digits[i + 1..]
            .iter()
            .map(|&c| if c == '-' { "-" } else { "[0-9]" })
            .collect();
        alternatives.push(format!("{prefix}{class}{rest}"));
    }
    if or_equal {
        alternatives.push(bound.to_owned());
    }
    if alternatives.is_empty() {
        // Nothing is greater than 9999-99-99 or less than 0000-00-00: match nothing.
        return "$^x".to_owned();
    }
    format!("^(?:{})$", alternatives.join("|"))
}

/// Days since 0000-03-01 of a valid date (the civil-from-days algorithm), for stepping from
/// one date to the next.
pub(crate) fn day_number(text: &str) -> Option<i64> {
    let (year, month, day) = parse_date(text)?;
    let (year, month, day) = (i64::from(year), i64::from(month), i64::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let of_era = year - era * 400;
    let shifted = (month + 9) % 12;
    let of_year = (153 * shifted + 2) / 5 + day - 1;
    let of_era_days = of_era * 365 + of_era / 4 - of_era / 100 + of_year;
    Some(era * 146_097 + of_era_days)
}

/// The date of a [`day_number`]; `None` outside the years 0000 to 9999.
pub(crate) fn from_day_number(days: i64) -> Option<String> {
    let era = days.div_euclid(146_097);
    let of_era = days - era * 146_097;
    let year_of_era = (of_era - of_era / 1460 + of_era / 36_524 - of_era / 146_096) / 365;
    let of_year = of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted = (5 * of_year + 2) / 153;
    let day = of_year - (153 * shifted + 2) / 5 + 1;
    let month = if shifted < 10 {
        shifted + 3
    } else {
        shifted - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (0..=9999)
        .contains(&year)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    #[test]
    fn date_pattern_agrees_with_parse_date_on_every_day_of_four_centuries() {
        let regex = Regex::new(DATE_PATTERN).unwrap();
        for year in [0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9999] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(regex.is_match(&text), parse_date(&text).is_some(), "{text}");
                }
            }
        }
    }

    #[test]
    fn date_order_patterns_agree_with_string_order() {
        let bound = "2024-02-29";
        let samples = [
            "0000-00-00",
            "2024-02-28",
            "2024-02-29",
            "2024-03-01",
            "2023-12-31",
            "9999-99-99",
            "2024-02-30",
        ];
        for (greater, or_equal) in [(true, true), (true, false), (false, true), (false, false)] {
            let regex = Regex::new(&date_order_pattern(bound, greater, or_equal)).unwrap();
            for sample in samples {
                let expected = match (greater, or_equal) {
                    (true, true) => sample >= bound,
                    (true, false) => sample > bound,
                    (false, true) => sample <= bound,
                    (false, false) => sample < bound,
                };
                assert_eq!(
                    regex.is_match(sample),
                    expected,
                    "{sample} {greater} {or_equal}"
                );
            }
        }
    }
}
