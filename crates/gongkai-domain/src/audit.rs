//! The audit chain (SPEC C3): every action, signature, override, login and setting change is
//! an entry holding the hash of the entry before it, so an entry altered, removed or moved
//! afterwards breaks the chain at a place [`Verifier`] names.
//!
//! An entry's hash covers its content and the previous hash, not its sequence number: an
//! entry moved to another place still matches its own hash, and is found by the link that no
//! longer points at its neighbour.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

/// The content of an entry as it is hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryContent<'a> {
    /// When, in Unix seconds.
    pub at: i64,
    /// Who: a user id, or none for the platform itself.
    pub actor_id: Option<i64>,
    /// Who, as shown (a login name, or `system`).
    pub actor_name: &'a str,
    /// What happened (`document.submit`, `login.failed`, `setting.change`).
    pub action: &'a str,
    /// The kind of object (`document`, `user`, `org`, `setting`, `import`).
    pub object_kind: &'a str,
    /// The object's id, when it has one.
    pub object_id: Option<i64>,
    /// The organization concerned, when one is.
    pub org_id: Option<i64>,
    /// Details as JSON text, hashed byte for byte.
    pub detail: &'a str,
}

/// The hash of an entry after `prev_hash` (empty for the first entry), as lowercase hex.
pub fn entry_hash(prev_hash: &str, e: &EntryContent<'_>) -> String {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut h = Sha256::new();
    // Fields separated by the unit separator, which no field may contain unnoticed: the
    // detail is JSON (escaped) and the others are codes, names and numbers.
    for part in [
        prev_hash,
        &e.at.to_string(),
        &opt(e.actor_id),
        e.actor_name,
        e.action,
        e.object_kind,
        &opt(e.object_id),
        &opt(e.org_id),
        e.detail,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Where the chain breaks first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Break {
    /// The entry's content no longer matches its hash.
    #[error("第 {seq} 条记录被改动：内容与其哈希不符")]
    Altered {
        /// The entry.
        seq: i64,
    },
    /// The entry is missing (a gap in the numbers, or the chain ends before its recorded end).
    #[error("第 {seq} 条记录被删除")]
    Removed {
        /// The missing entry's number.
        seq: i64,
    },
    /// The entry stands in another entry's place: its link names an entry found elsewhere.
    #[error("第 {seq} 条记录的位置被调换：它本应接在第 {follows} 条之后")]
    Reordered {
        /// Where the entry stands now.
        seq: i64,
        /// The entry it was written after.
        follows: i64,
    },
    /// The entry's link names no entry of the chain: the one before it was replaced (removed
    /// and the rest renumbered, or altered and its hash computed again).
    #[error("第 {seq} 条记录之前的记录被替换或删除：它所记的前一条哈希在链中不存在")]
    Relinked {
        /// The entry whose link is broken.
        seq: i64,
    },
}

/// Walks the chain in sequence order; feed it every entry, then [`Verifier::finish`].
#[derive(Debug, Default)]
pub struct Verifier {
    expected_seq: i64,
    prev_hash: String,
    /// Every hash seen, with its entry's number.
    seen: HashMap<String, i64>,
    /// The first break whose kind waits on later entries: a link to a hash not seen yet.
    pending: Option<(i64, String)>,
    found: Option<Break>,
    checked: i64,
}

impl Verifier {
    /// A verifier at the start of the chain.
    pub fn new() -> Self {
        Verifier {
            expected_seq: 1,
            ..Verifier::default()
        }
    }

    /// The number of entries fed so far.
    pub fn checked(&self) -> i64 {
        self.checked
    }

    /// Feeds the next entry: its number, content, stored link and stored hash.
    pub fn push(&mut self, seq: i64, content: &EntryContent<'_>, prev_hash: &str, hash: &str) {
        self.checked += 1;
        if let Some((at, link)) = &self.pending
            && link == hash
        {
            let at = *at;
            self.pending = None;
            self.report(Break::Reordered {
                seq: at,
                follows: seq,
            });
        }
        if self.found.is_none() && self.pending.is_none() {
            if seq != self.expected_seq {
                self.report(Break::Removed {
                    seq: self.expected_seq,
                });
            } else if entry_hash(prev_hash, content) != hash {
                self.report(Break::Altered { seq });
            } else if prev_hash != self.prev_hash {
                match self.seen.get(prev_hash) {
                    Some(&follows) => self.report(Break::Reordered { seq, follows }),
                    None => self.pending = Some((seq, prev_hash.to_owned())),
                }
            }
        }
        self.seen.insert(hash.to_owned(), seq);
        self.expected_seq = seq + 1;
        self.prev_hash = hash.to_owned();
    }

    fn report(&mut self, b: Break) {
        if self.found.is_none() {
            self.found = Some(b);
        }
    }

    /// The first break, given the chain's recorded end (its last number and hash).
    pub fn finish(mut self, head_seq: i64, head_hash: &str) -> Result<i64, Break> {
        if let Some((seq, _)) = self.pending.take() {
            self.report(Break::Relinked { seq });
        }
        if let Some(b) = self.found {
            return Err(b);
        }
        let last = self.expected_seq - 1;
        if last < head_seq {
            return Err(Break::Removed { seq: last + 1 });
        }
        if last > head_seq || self.prev_hash != head_hash {
            // Entries appended outside the platform, or the end rewritten.
            return Err(Break::Altered { seq: last.max(1) });
        }
        Ok(self.checked)
    }
}
