//! Builders for test records.
