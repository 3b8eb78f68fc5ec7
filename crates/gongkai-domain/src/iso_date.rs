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
