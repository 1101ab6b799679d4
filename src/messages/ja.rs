//! The Japanese catalogue.

use super::{Detail, Noun, SHEET_HEADER, Said, TestWords, Word, Words};
use crate::condition::Comparison;
use crate::issue::{Expected, IssueCode};

/// Japanese.
pub(crate) struct Ja;

impl Words for Ja {
    fn tag(&self) -> &'static str {
        "ja"
    }

    fn issue(&self, code: IssueCode, subject: &str, detail: &Detail<'_>) -> String {
        use IssueCode as C;
        let value = detail.value();
        let (actual, limit) = detail.count();
        let expected = match *detail {
            Detail::Expected(e) => expected(e),
            _ => "",
        };
        let text = detail.text();
        #[rustfmt::skip]
        let message = match code {
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
            C::OutOfRange => format!("{subject}: {value} は範囲外です{}", range(detail)),
            C::InvalidDate => format!("{subject}: {value} は正しい日付（YYYY-MM-DD）ではありません"),
        };
        message
    }

    fn finding(&self, said: Said<'_>, noun: Noun, id: &str) -> String {
        let what = match noun {
            Noun::Question | Noun::Field => "質問",
            Noun::Row => "行",
            Noun::Column => "列",
            Noun::Specify => "記入欄",
            Noun::Section => "セクション",
            Noun::Rule => "ルール",
            Noun::Survey => "調査",
        };
        match said {
            Said::Unreachable => format!(
                "{what}「{id}」はどの回答でも有効になりません（表示条件が成り立つ回答がありません）"
            ),
            Said::RequiredUnreachable => format!(
                "必須の{what}「{id}」はどの回答でも有効にならず、回答されることがありません"
            ),
            Said::BlockedByRules => format!(
                "{what}「{id}」を有効にする回答は必ずいずれかのルールに違反します（有効な回答では表示されません）"
            ),
            Said::AlwaysEnabled => format!(
                "{what}「{id}」の表示条件は、表示されうる場面では常に成り立ちます（条件は不要です）"
            ),
            Said::InertTest { tested } => format!(
                "「{tested}」についてのこの条件は、{what}「{id}」の表示を変えることがありません"
            ),
            Said::RulesConflict => format!(
                "ルール「{id}」を同時に満たす回答はありません（有効な回答の組は存在しません）"
            ),
            Said::RuleNeverApplies => format!(
                "ルール「{id}」は適用されることがありません（when が成り立つ回答がありません）"
            ),
            Said::RuleNeverFails => format!("ルール「{id}」はどの回答でも違反になりません"),
            Said::RuleNeverHolds => format!("ルール「{id}」は適用されると必ず違反になります"),
            Said::Spent { steps } => {
                format!("解析は上限（{steps} ステップ）に達したため、残りの検査を行っていません")
            }
            Said::Bounded { steps } => format!(
                "{what}「{id}」の検査は上限（{steps} ステップ）に達したため判定していません"
            ),
            Said::Unknowable => format!(
                "{what}「{id}」の検査は判定できません（解析が列挙できない回答を条件が扱っています）"
            ),
        }
    }

    fn word(&self, word: Word) -> &'static str {
        match word {
            Word::Yes => "はい",
            Word::No => "いいえ",
            Word::Selected => "選択",
            Word::NotSelected => "非選択",
            Word::Everyone => "全員",
            Word::NotAskedInFull => "非該当（質問されていない）",
            Word::NotAsked => "非該当",
            Word::NotAnswered => "無回答",
            Word::Asked => "対象",
            Word::Universe => "対象条件",
            Word::AnswerSets => "回答数",
            Word::Valid => "有効",
            Word::Invalid => "無効",
            Word::IssuesFound => "検出された問題",
            Word::RowIdColumn => "回答の識別子（ファイル名または行番号）",
            Word::ValidColumn => "回答が有効か（1 = 有効）",
            Word::InstanceColumn => "繰り返しの番号（1から）",
        }
    }

    fn sheet_header(&self) -> [&'static str; SHEET_HEADER] {
        [
            "変数名",
            "JSON Pointer",
            "ラベル",
            "質問文",
            "型",
            "値ラベル",
            "非該当（質問されていない）",
            "無回答",
            "対象",
            "参照",
        ]
    }

    fn joiner(&self, all: bool) -> &'static str {
        if all { " かつ " } else { " または " }
    }

    fn not(&self, inner: &str) -> String {
        format!("次に当たらない場合（{inner}）")
    }

    fn test(&self, name: &str, test: &TestWords<'_>) -> String {
        let op = |c: Comparison| match c {
            Comparison::GreaterThan => "より大きい",
            Comparison::GreaterOrEqual => "以上の",
            Comparison::LessThan => "未満の",
            Comparison::LessOrEqual => "以下の",
        };
        match test {
            TestWords::Equals(label) => format!("{name}で「{label}」と回答した場合"),
            TestWords::NotEquals(label) => format!("{name}で「{label}」と回答していない場合"),
            TestWords::In(labels) => {
                let labels: Vec<String> = labels.iter().map(|l| format!("「{l}」")).collect();
                format!("{name}で{}のいずれかと回答した場合", labels.concat())
            }
            TestWords::Includes(label) => format!("{name}で「{label}」を選択した場合"),
            TestWords::Compare(c, bound) => format!("{name}が{bound}{}場合", op(*c)),
            TestWords::Count(c, n) => format!("{name}の件数が{n}{}場合", op(*c)),
            TestWords::CompareAnswers(c, other) => format!("{name}が{other}{}場合", op(*c)),
            TestWords::Answered(true) => format!("{name}に回答した場合"),
            TestWords::Answered(false) => format!("{name}に回答していない場合"),
        }
    }
}

fn range(detail: &Detail<'_>) -> String {
    let Detail::Range { min, max, .. } = detail else {
        return String::new();
    };
    match (min.as_deref(), max.as_deref()) {
        (Some(min), Some(max)) => format!("（{min} 〜 {max}）"),
        (Some(min), None) => format!("（{min} 以上）"),
        (None, Some(max)) => format!("（{max} 以下）"),
        (None, None) => String::new(),
    }
}

/// The answer type in words.
fn expected(expected: Expected) -> &'static str {
    match expected {
        Expected::Boolean => "真偽値（true / false）",
        Expected::ChoiceValue => "選択肢の値（文字列）",
        Expected::ChoiceArray => "選択肢の値の配列",
        Expected::String => "文字列",
        Expected::Integer => "整数",
        Expected::Number => "数値",
        Expected::Date => "日付（YYYY-MM-DD 形式の文字列）",
        Expected::Object => "オブジェクト",
        Expected::Instances => "オブジェクトの配列",
    }
}
