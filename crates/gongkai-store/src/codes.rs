//! Code columns (`status`, …) decoded into the domain's vocabularies as rows are read.
//!
//! A code that names no value of its vocabulary fails the row with the domain's
//! [`UnknownValue`], which [`crate::StoreError`] reports as `Corrupt`: the store never hands a
//! row with an unknown status to the layers above.

use gongkai_domain::disclosure::Attribute;
use gongkai_domain::workflow::Stage;
use gongkai_domain::{DisclosureTerm, DocKind, DocStatus, UnknownValue, Validity};
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Type};

/// A stored code of vocabulary `T`, as sqlx decodes it (`#[sqlx(try_from = "Code<T>")]`).
pub struct Code<T>(T);

impl<'r, DB: Database, T> Decode<'r, DB> for Code<T>
where
    String: Decode<'r, DB>,
    T: TryFrom<String, Error = UnknownValue>,
{
    fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let code = <String as Decode<'r, DB>>::decode(value)?;
        T::try_from(code)
            .map(Code)
            .map_err(|e| Box::new(e) as BoxDynError)
    }
}

impl<DB: Database, T> Type<DB> for Code<T>
where
    String: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as Type<DB>>::compatible(ty)
    }
}

macro_rules! decoded {
    ($($vocabulary:ty),+) => {
        $(
            impl From<Code<$vocabulary>> for $vocabulary {
                fn from(code: Code<$vocabulary>) -> $vocabulary {
                    code.0
                }
            }
        )+
    };
}

decoded!(
    DocStatus,
    DocKind,
    Validity,
    Stage,
    Attribute,
    DisclosureTerm
);
