use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Localisable text: a plain string (in the survey's default locale) or a map of locale to
/// string (`{ja: はい, en: "Yes"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Text {
    /// Text in the survey's default locale only.
    Plain(String),
    /// Text per locale, keyed by locale tag (`ja`, `en`).
    Localized(BTreeMap<String, String>),
}

impl Text {
    /// The text for `locale`, falling back to `default_locale`, then to any text there is.
    ///
    /// ```
    /// use survey_schema::definition::Text;
    /// let text = Text::Localized([("ja".into(), "はい".into()), ("en".into(), "Yes".into())].into());
    /// assert_eq!(text.get("en", "ja"), "Yes");
    /// assert_eq!(text.get("fr", "ja"), "はい");
    /// assert_eq!(Text::Plain("はい".into()).get("en", "ja"), "はい");
    /// ```
    #[must_use]
    pub fn get<'a>(&'a self, locale: &str, default_locale: &str) -> &'a str {
        match self {
            Text::Plain(text) => text,
            Text::Localized(map) => map
                .get(locale)
                .or_else(|| map.get(default_locale))
                .or_else(|| map.values().next())
                .map_or("", String::as_str),
        }
    }

    /// The text in exactly `locale`, if it is there. Plain text counts as `default_locale`.
    #[must_use]
    pub fn exact<'a>(&'a self, locale: &str, default_locale: &str) -> Option<&'a str> {
        match self {
            Text::Plain(text) => (locale == default_locale).then_some(text.as_str()),
            Text::Localized(map) => map.get(locale).map(String::as_str),
        }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::Plain(text.to_owned())
    }
}

// Written by hand rather than `#[serde(untagged)]`, whose error ("data did not match any
// variant") would not tell an author what a text field may hold.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a map of locale to string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((locale, text)) = map.next_entry::<String, String>()? {
                    if out.contains_key(&locale) {
                        return Err(de::Error::custom(format_args!(
                            "duplicate locale `{locale}`"
                        )));
                    }
                    out.insert(locale, text);
                }
                Ok(Text::Localized(out))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}
