-- Passwords an account used before, so a change cannot go back to a recent one. The lock-out
-- columns are gone: guesses are limited in memory by source and account, never by locking.
CREATE TABLE password_history (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    replaced_at TEXT NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id);
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
