//! The error shared by every closed vocabulary (公文种类, 有效性, roles, …): a value that is
//! not one of the listed codes or labels.

/// A code or label that is not in a closed list, e.g. an unknown 公文种类.
///
/// The message names the vocabulary, the value and the values allowed, so that a user can
/// correct an import line or a form field without reading the manual.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的{what}：“{value}”（可选：{allowed}）")]
pub struct UnknownValue {
    /// The vocabulary in Chinese, e.g. "公文种类".
    pub what: &'static str,
    /// The value as given.
    pub value: String,
    /// The allowed values, separated by "、".
    pub allowed: String,
}

impl UnknownValue {
    pub(crate) fn new<'a>(
        what: &'static str,
        value: &str,
        allowed: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        Self {
            what,
            value: value.to_owned(),
            allowed: allowed.into_iter().collect::<Vec<_>>().join("、"),
        }
    }
}

/// Declares a closed vocabulary: an enum whose variants each carry a storage code and a
/// Chinese label, with `code`, `label`, `from_code`, `from_label`, `parse` (code or label),
/// `all`, `Display` (the label) and serde as the code.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal $(, $alias:literal)* ) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// Every value, in the order of the law's list.
            pub fn all() -> &'static [$name] {
                Self::ALL
            }

            /// The stable storage code (snake_case English).
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => $code ),+ }
            }

            /// The Chinese label shown to users.
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $label ),+ }
            }

            /// The value with this storage code.
            pub fn from_code(code: &str) -> Result<Self, $crate::UnknownValue> {
                match code.trim() {
                    $( $code => Ok($name::$variant), )+
                    _ => Err($crate::UnknownValue::new(
                        $what,
                        code,
                        Self::ALL.iter().map(|v| v.code()),
                    )),
                }
            }

            /// The value with this Chinese label (surrounding spaces ignored).
            pub fn from_label(label: &str) -> Result<Self, $crate::UnknownValue> {
                match label.trim() {
                    $( $label $(| $alias)* => Ok($name::$variant), )+
                    _ => Err($crate::UnknownValue::new(
                        $what,
                        label,
                        Self::ALL.iter().map(|v| v.label()),
                    )),
                }
            }

            /// The value with this code or Chinese label, as accepted on import and in forms.
            pub fn parse(text: &str) -> Result<Self, $crate::UnknownValue> {
                Self::from_code(text).or_else(|_| Self::from_label(text))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl ::std::convert::TryFrom<String> for $name {
            type Error = $crate::UnknownValue;

            /// From a stored code (what the store decodes rows with).
            fn try_from(code: String) -> Result<Self, Self::Error> {
                Self::from_code(&code)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as ::serde::Deserialize>::deserialize(d)?;
                Self::from_code(&text).map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use vocabulary;
