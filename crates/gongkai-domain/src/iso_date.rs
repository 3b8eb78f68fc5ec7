//! Serde for `time::Date` as a strict `YYYY-MM-DD` string, the exchange form of every date in
//! this crate's JSON (calendar notices, clock events and clocks).

use serde::{Deserialize, Deserializer, Serializer};
use time::Date;

use crate::text::{format_date_iso, parse_date};

pub(crate) fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_date_iso(*date))
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    parse_date(&text).map_err(serde::de::Error::custom)
}

/// The same for an optional date, written as `null` when absent.
pub(crate) mod option {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    use crate::text::{format_date_iso, parse_date};

    pub(crate) fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => s.serialize_str(&format_date_iso(*date)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|text| parse_date(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}
