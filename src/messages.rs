//! The Japanese and English message catalogue for answer issues.
//!
//! One function renders every message, so each code reads the same wherever it appears.
//! Messages name the question and may quote the offending scalar (cut to 40 characters);
//! they never echo the answer set.

use crate::issue::{Expected, IssueCode};

/// The language of issue messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Locale {
    /// Japanese.
    #[default]
    Ja,
    /// English.
    En,
}

impl Locale {
    /// The BCP 47 tag (`ja`, `en`), also used to pick survey text.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Ja => "ja",
            Locale::En => "en",
        }
    }

    /// The locale for a tag; `None` for a tag without a catalogue.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Locale> {
        match tag {
            "ja" => Some(Locale::Ja),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// What an issue is about, beyond its code.
#[derive(Debug, Clone)]
pub(crate) enum Detail<'v> {
    None,
    /// The kind of value expected (`boolean`, `an array of choice values`, ...).
    Expected(Expected),
    /// The offending scalar, quoted for a message.
    Value(&'v str),
    /// A count or length against its limit.
    Count {
        actual: usize,
        limit: u64,
    },
    /// A value outside `[min, max]` (either side may be open).
    Range {
        value: &'v str,
        min: Option<String>,
        max: Option<String>,
    },
    /// The survey's own message of a failed rule.
    Text(&'v str),
}

/// Renders the message of one issue about `subject` (a question id or answer key).
pub(crate) fn message(
    code: IssueCode,
    locale: Locale,
    subject: &str,
    detail: &Detail<'_>,
) -> String {
    use IssueCode as C;
    let value = match *detail {
        Detail::Value(v) | Detail::Range { value: v, .. } => v,
        _ => "",
    };
    let (actual, limit) = match *detail {
        Detail::Count { actual, limit } => (actual, limit),
        _ => (0, 0),
    };
    let expected = match *detail {
        Detail::Expected(e) => expected(e, locale),
        _ => "",
    };
    let text = match *detail {
        Detail::Text(text) => text,
        _ => "",
    };
    match locale {
        Locale::Ja => match code {
            C::NotAnObject => "回答全体はオブジェクト（質問 ID をキーとする JSON オブジェクト）でなければなりません".to_owned(),
            C::UnknownQuestion => format!("「{subject}」という質問はありません"),
            C::UnknownField => format!("「{subject}」という項目はありません"),
            C::MissingRequired => format!("{subject}: 回答が必要です"),
            C::AnsweredWhileDisabled => format!("{subject}: この質問は回答の対象外です（前の回答により対象外になっています）"),
            C::WrongType => format!("{subject}: 回答は{expected}でなければなりません"),
            C::UnknownChoice => format!("{subject}: {value} は選択肢にありません"),
            C::DuplicateChoice => format!("{subject}: 選択肢 {value} が重複しています"),
            C::ExclusiveChoiceCombined => format!("{subject}: 選択肢 {value} は他の選択肢と同時に選べません"),
            C::TooFewChoices => format!("{subject}: {limit} 個以上選択してください（{actual} 個選択されています）"),
            C::TooManyChoices => format!("{subject}: 選択できるのは {limit} 個までです（{actual} 個選択されています）"),
            C::TooFewItems => format!("{subject}: {limit} 件以上入力してください（{actual} 件入力されています）"),
            C::TooManyItems => format!("{subject}: 入力できるのは {limit} 件までです（{actual} 件入力されています）"),
            C::RuleFailed => format!("{subject}: {text}"),
            C::TooShort => format!("{subject}: {limit} 文字以上で入力してください（{actual} 文字です）"),
            C::TooLong => format!("{subject}: {limit} 文字以内で入力してください（{actual} 文字です）"),
            C::PatternMismatch => format!("{subject}: {value} は求められる形式に合いません"),
            C::InvalidFormat => format!("{subject}: {value} は正しい形式ではありません"),
            C::OutOfRange => format!("{subject}: {value} は範囲外です{}", range(detail, locale)),
            C::InvalidDate => format!("{subject}: {value} は正しい日付（YYYY-MM-DD）ではありません"),
        },
        Locale::En => match code {
            C::NotAnObject => "the answer set must be a JSON object keyed by question id".to_owned(),
            C::UnknownQuestion => format!("there is no question `{subject}`"),
            C::UnknownField => format!("there is no field `{subject}`"),
            C::MissingRequired => format!("{subject}: an answer is required"),
            C::AnsweredWhileDisabled => format!("{subject}: this question does not apply given the earlier answers, so it must not be answered"),
            C::WrongType => format!("{subject}: the answer must be {expected}"),
            C::UnknownChoice => format!("{subject}: {value} is not one of the choices"),
            C::DuplicateChoice => format!("{subject}: choice {value} is selected twice"),
            C::ExclusiveChoiceCombined => format!("{subject}: choice {value} cannot be combined with other choices"),
            C::TooFewChoices => format!("{subject}: select at least {limit} (selected {actual})"),
            C::TooManyChoices => format!("{subject}: select at most {limit} (selected {actual})"),
            C::TooFewItems => format!("{subject}: give at least {limit} entries (given {actual})"),
            C::TooManyItems => format!("{subject}: give at most {limit} entries (given {actual})"),
            C::RuleFailed => format!("{subject}: {text}"),
            C::TooShort => format!("{subject}: enter at least {limit} character{} (got {actual})", plural(limit)),
            C::TooLong => format!("{subject}: enter at most {limit} character{} (got {actual})", plural(limit)),
            C::PatternMismatch => format!("{subject}: {value} does not match the required pattern"),
            C::InvalidFormat => format!("{subject}: {value} is not in the required format"),
            C::OutOfRange => format!("{subject}: {value} is out of range{}", range(detail, locale)),
            C::InvalidDate => format!("{subject}: {value} is not a valid YYYY-MM-DD date"),
        },
    }
}

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn range(detail: &Detail<'_>, locale: Locale) -> String {
    let Detail::Range { min, max, .. } = detail else {
        return String::new();
    };
    match (locale, min.as_deref(), max.as_deref()) {
        (Locale::Ja, Some(min), Some(max)) => format!("（{min} 〜 {max}）"),
        (Locale::Ja, Some(min), None) => format!("（{min} 以上）"),
        (Locale::Ja, None, Some(max)) => format!("（{max} 以下）"),
        (Locale::En, Some(min), Some(max)) => format!(" ({min} to {max})"),
        (Locale::En, Some(min), None) => format!(" (at least {min})"),
        (Locale::En, None, Some(max)) => format!(" (at most {max})"),
        (_, None, None) => String::new(),
    }
}

/// The answer type in words.
fn expected(expected: Expected, locale: Locale) -> &'static str {
    match (expected, locale) {
        (Expected::Boolean, Locale::Ja) => "真偽値（true / false）",
        (Expected::Boolean, Locale::En) => "a boolean (true or false)",
        (Expected::ChoiceValue, Locale::Ja) => "選択肢の値（文字列）",
        (Expected::ChoiceValue, Locale::En) => "a choice value (a string)",
        (Expected::ChoiceArray, Locale::Ja) => "選択肢の値の配列",
        (Expected::ChoiceArray, Locale::En) => "an array of choice values",
        (Expected::String, Locale::Ja) => "文字列",
        (Expected::String, Locale::En) => "a string",
        (Expected::Integer, Locale::Ja) => "整数",
        (Expected::Integer, Locale::En) => "an integer",
        (Expected::Number, Locale::Ja) => "数値",
        (Expected::Number, Locale::En) => "a number",
        (Expected::Date, Locale::Ja) => "日付（YYYY-MM-DD 形式の文字列）",
        (Expected::Date, Locale::En) => "a date (a YYYY-MM-DD string)",
        (Expected::Object, Locale::Ja) => "オブジェクト",
        (Expected::Object, Locale::En) => "an object",
        (Expected::Instances, Locale::Ja) => "オブジェクトの配列",
        (Expected::Instances, Locale::En) => "an array of objects",
    }
}
