//! One line of an import file as a JSON object, read strictly: a key given twice anywhere in
//! the line is an error, where a plain JSON reader would silently keep the last value.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a line is not one JSON object, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// Not JSON at all (serde_json's reason, with line and column).
    Syntax(String),
    /// A key appears twice in one object.
    DuplicateKey(String),
    /// JSON, but not an object.
    NotObject,
}

/// Marks our own error inside serde_json's, which carries only text.
const DUPLICATE: &str = "\u{0}duplicate key\u{0}";

/// Parses `json` as one object, refusing a key repeated in any object of it.
pub fn parse_object(json: &str) -> Result<Map<String, Value>, LineError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = Strict
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| {
            let text = e.to_string();
            match text.strip_prefix(DUPLICATE) {
                Some(rest) => {
                    let key = rest.rsplit_once(" at line ").map_or(rest, |(k, _)| k);
                    LineError::DuplicateKey(key.to_owned())
                }
                None => LineError::Syntax(text),
            }
        })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(LineError::NotObject),
    }
}

/// A JSON value whose objects have no repeated key.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Strict)?;
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("{DUPLICATE}{key}")));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::Syntax(e) => write!(f, "不是有效的 JSON：{e}"),
            LineError::DuplicateKey(k) => {
                write!(f, "键“{k}”在同一对象中出现了两次，无法确定取哪个值")
            }
            LineError::NotObject => f.write_str("每行须是一个 JSON 对象：{\"org\": …, …}"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_repeated_key_is_named_wherever_it_is() {
        for (line, key) in [
            (r#"{"title": "甲", "org": "X", "title": "乙"}"#, "title"),
            (r#"{"a": {"b": 1, "b": 2}}"#, "b"),
            (r#"{"events": [{"kind": "x", "kind": "y"}]}"#, "kind"),
            (r#"{"t\u0069tle": 1, "title": 2}"#, "title"),
            (r#"{"a at line 3": 1, "a at line 3": 2}"#, "a at line 3"),
        ] {
            assert_eq!(
                parse_object(line),
                Err(LineError::DuplicateKey(key.to_owned())),
                "{line}"
            );
        }
    }

    #[test]
    fn a_plain_object_reads_as_serde_json_reads_it() {
        let line = r#"{"org": "X", "n": 1.5, "big": 18446744073709551615, "neg": -3, "a": [1, {"b": null}], "t": true}"#;
        let want: Value = serde_json::from_str(line).unwrap();
        assert_eq!(Value::Object(parse_object(line).unwrap()), want);
        // The same key in two objects is fine.
        assert!(parse_object(r#"{"a": {"k": 1}, "b": {"k": 2}}"#).is_ok());
    }

    #[test]
    fn not_an_object_or_not_json_says_so() {
        assert_eq!(parse_object("[1]"), Err(LineError::NotObject));
        assert!(matches!(
            parse_object("{\"a\": }"),
            Err(LineError::Syntax(_))
        ));
        assert!(matches!(parse_object("{} {}"), Err(LineError::Syntax(_))));
    }
}
