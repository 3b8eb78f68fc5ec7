//! Any string through the document-number parsers: they must not panic, and a parsed number's
//! canonical form must parse back to the same value.
#![no_main]

use gongkai_domain::docno::{self, DecreeNumber, DocNo, DocNumber};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(d) = DocNumber::parse(raw) {
        let canonical = d.to_string();
        assert_eq!(DocNumber::parse(&canonical), Ok(d.clone()), "{raw:?}");
        assert_eq!(
            DocNumber::new(d.agency(), d.year(), d.serial()),
            Ok(d.clone()),
            "{raw:?}"
        );
        assert_eq!(
            docno::normalize(&canonical),
            Ok(DocNo::Standard(d)),
            "{raw:?}"
        );
    }
    if let Ok(d) = DecreeNumber::parse(raw) {
        let canonical = d.to_string();
        assert_eq!(DecreeNumber::parse(&canonical), Ok(d.clone()), "{raw:?}");
        let key = d.lookup_key();
        assert!(
            DecreeNumber::parse(&key).is_ok(),
            "{raw:?}: lookup key {key:?}"
        );
    }
    if let Ok(d) = docno::normalize(raw) {
        let canonical = d.to_string();
        assert_eq!(docno::normalize(&canonical), Ok(d.clone()), "{raw:?}");
        assert_eq!(DocNo::parse(&canonical), Ok(d.clone()), "{raw:?}");
        assert_eq!(
            docno::normalize(&d.lookup_key()).map(|k| k.lookup_key()),
            Ok(d.lookup_key()),
            "{raw:?}"
        );
    }
});
