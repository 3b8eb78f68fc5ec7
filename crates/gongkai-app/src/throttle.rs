//! Limits on password guesses (SPEC C1): failures are counted per account and source
//! address, per source address, and per account from everywhere. Each limit slows the next
//! attempt down (a wait that doubles up to a ceiling) instead of locking: a stranger who
//! guesses a name from elsewhere cannot keep its owner out, and unknown names take the
//! same path as known ones, so the answers do not tell them apart.
//!
//! Counts live in the memory of each node (a deployment of several nodes allows each its
//! own share) and are bounded in number; an attempt is counted before its password is
//! checked, so a burst of parallel guesses gets no more checks than the limit allows.

use std::collections::HashMap;
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// How many failures pass freely and how long the wait may grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Failures in a row before any wait.
    pub free: u32,
    /// The longest wait.
    pub max_wait: Duration,
}

/// The wait after `failures` failures in a row under `rule`: none up to `free`, then 2 s,
/// doubling with each further failure, at most `max_wait`. Pure.
pub fn wait_after(failures: u32, rule: Rule) -> Option<Duration> {
    let over = failures.checked_sub(rule.free)?;
    if over == 0 {
        return None;
    }
    let secs = 1i64.checked_shl(over.min(40)).unwrap_or(i64::MAX);
    Some(Duration::seconds(secs).min(rule.max_wait))
}

/// Failures older than this are forgotten.
const WINDOW: Duration = Duration::hours(1);
/// Entries kept at most (about 100 bytes each).
const CAPACITY: usize = 100_000;

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last: OffsetDateTime,
    blocked_until: OffsetDateTime,
}

/// The counts of one node.
#[derive(Debug, Default)]
pub struct Throttle {
    entries: Mutex<HashMap<String, Entry>>,
}

/// An attempt counted as a failure until [`Throttle::succeeded`] says otherwise.
#[derive(Debug)]
pub struct Reservation {
    keys: Vec<String>,
}

impl Throttle {
    /// Counts an attempt under each `(key, rule)`; refuses it with the wait left when any
    /// key is still waiting (nothing is counted then).
    pub fn attempt(
        &self,
        keys: &[(String, Rule)],
        now: OffsetDateTime,
    ) -> Result<Reservation, Duration> {
        let mut map = match self.entries.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut wait = Duration::ZERO;
        for (key, _) in keys {
            if let Some(e) = map.get(key)
                && e.blocked_until > now
            {
                wait = wait.max(e.blocked_until - now);
            }
        }
        if wait > Duration::ZERO {
            return Err(wait);
        }
        if map.len() + keys.len() > CAPACITY {
            map.retain(|_, e| now - e.last < WINDOW || e.blocked_until > now);
            if map.len() + keys.len() > CAPACITY {
                // Under a flood of new names: forget the oldest half rather than grow.
                let mut lasts: Vec<OffsetDateTime> = map.values().map(|e| e.last).collect();
                lasts.sort_unstable();
                let cut = lasts[lasts.len() / 2];
                map.retain(|_, e| e.last > cut);
            }
        }
        for (key, rule) in keys {
            let e = map.entry(key.clone()).or_insert(Entry {
                failures: 0,
                last: now,
                blocked_until: now,
            });
            if now - e.last >= WINDOW {
                e.failures = 0;
            }
            e.failures = e.failures.saturating_add(1);
            e.last = now;
            if let Some(w) = wait_after(e.failures, *rule) {
                e.blocked_until = now + w;
            }
        }
        Ok(Reservation {
            keys: keys.iter().map(|(k, _)| k.clone()).collect(),
        })
    }

    /// The attempt succeeded: its first key (the account at this address) starts afresh,
    /// and the failure counted under the others is taken back.
    pub fn succeeded(&self, r: Reservation) {
        let mut map = match self.entries.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut keys = r.keys.into_iter();
        if let Some(first) = keys.next() {
            map.remove(&first);
        }
        for k in keys {
            if let Some(e) = map.get_mut(&k) {
                e.failures = e.failures.saturating_sub(1);
            }
        }
    }

    /// Clears every count of an account (an administrator's unlock).
    pub fn clear_account(&self, username: &str) {
        let mut map = match self.entries.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let whole = account_key(username);
        let at = format!("{whole}@");
        map.retain(|k, _| *k != whole && !k.starts_with(&at));
    }
}

/// The key of an account from everywhere (names compare without case or outer spaces).
pub fn account_key(username: &str) -> String {
    format!("acct:{}", username.trim().to_lowercase())
}
