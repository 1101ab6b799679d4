//! The Japanese catalogue.

use super::{Noun, Parts, Said, TestWords, Vocabulary, Words};
use crate::condition::Comparison;
use crate::issue::IssueCode;

/// The fixed words.
static VOCABULARY: Vocabulary = Vocabulary {
    tag: "ja",
    words: [
        "はい",
        "いいえ",
        "選択",
        "非選択",
        "全員",
        "非該当（質問されていない）",
        "非該当",
        "無回答",
        "対象",
        "対象条件",
        "回答数",
        "有効",
        "無効",
        "検出された問題",
        "回答の識別子（ファイル名または行番号）",
        "回答が有効か（1 = 有効）",
        "繰り返しの番号（1から）",
        "集計対象",
        "集計から除外",
        "読み取れない行",
        "型の誤り",
        "参考",
        "推定",
    ],
    sheet_header: [
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
        "番号",
        "推定（調査票にない内容とその根拠）",
    ],
    and: " かつ ",
    or: " または ",
    comparisons: ["より大きい", "以上の", "未満の", "以下の"],
    expected: [
        "真偽値（true / false）",
        "選択肢の値（文字列）",
        "選択肢の値の配列",
        "文字列",
        "整数",
        "数値",
        "日付（YYYY-MM-DD 形式の文字列）",
        "オブジェクト",
        "オブジェクトの配列",
    ],
};

/// Japanese.
pub(crate) struct Ja;

impl Words for Ja {
    fn vocabulary(&self) -> &'static Vocabulary {
        &VOCABULARY
    }

    fn issue(&self, code: IssueCode, subject: &str, parts: &Parts<'_>) -> String {
        use IssueCode as C;
        let Parts {
            value,
            actual,
            limit,
            expected,
            tested_by,
            text,
            ..
        } = *parts;
        #[rustfmt::skip]
        let message = match code {
            C::NotAnObject => "回答全体はオブジェクト（質問 ID をキーとする JSON オブジェクト）でなければなりません".to_owned(),
            C::UnknownQuestion => format!("「{subject}」という質問はありません"),
            C::UnknownField => format!("「{subject}」という項目はありません"),
            C::MissingRequired => format!("{subject}: 回答が必要です"),
            C::AnsweredWhileDisabled => format!("{subject}: この質問は回答の対象外です（前の回答により対象外になっています）"),
            C::WrongType if tested_by.is_empty() => format!("{subject}: 回答は{expected}でなければなりません"),
            C::WrongType => format!("{subject}: 回答は{expected}でなければなりません（{tested_by} の表示条件がこの回答を参照しています）"),
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
            C::OutOfRange => format!("{subject}: {value} は範囲外です{}", range(parts)),
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

    fn not(&self, inner: &str) -> String {
        format!("次に当たらない場合（{inner}）")
    }

    fn test(&self, name: &str, test: &TestWords<'_>) -> String {
        let op = |c: Comparison| self.vocabulary().comparison(c);
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

fn range(parts: &Parts<'_>) -> String {
    match (parts.min, parts.max) {
        (Some(min), Some(max)) => format!("（{min} 〜 {max}）"),
        (Some(min), None) => format!("（{min} 以上）"),
        (None, Some(max)) => format!("（{max} 以下）"),
        (None, None) => String::new(),
    }
}
