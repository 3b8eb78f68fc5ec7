-- The publication workflow (先审查后公开): a record's stage in its life cycle, the three
-- signatures of the current round, a scheduled time and the reason of the last return.
-- `status` stays as the public's view of the stage (draft/published/withdrawn).
ALTER TABLE documents ADD COLUMN stage TEXT NOT NULL DEFAULT 'draft';
UPDATE documents SET stage = status;
ALTER TABLE documents ADD COLUMN created_by BIGINT REFERENCES users (id);
ALTER TABLE documents ADD COLUMN handled_by BIGINT REFERENCES users (id);
ALTER TABLE documents ADD COLUMN reviewed_by BIGINT REFERENCES users (id);
ALTER TABLE documents ADD COLUMN approved_by BIGINT REFERENCES users (id);
ALTER TABLE documents ADD COLUMN scheduled_at TIMESTAMPTZ;
ALTER TABLE documents ADD COLUMN returned_reason TEXT;
-- Work queues read the few records in flight, never the published million.
CREATE INDEX documents_in_flight ON documents (org_id, stage, updated_at)
WHERE stage NOT IN ('published', 'withdrawn');

-- Findings of the sensitive-information scan kept with a written reason (a redacted one
-- no longer matches). The value is kept as a hash: this table must not hold it again.
CREATE TABLE scan_keeps (
    document_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    value_hash TEXT NOT NULL,
    reason TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (document_id, source, kind, value_hash)
);
-- An attachment whose text could not be read in full is checked by a person before sign-off.
ALTER TABLE attachments ADD COLUMN text_checked_by BIGINT REFERENCES users (id);
ALTER TABLE attachments ADD COLUMN text_checked_note TEXT;

-- The audit chain: each entry holds the hash of the one before, appended in the same
-- transaction as the change it records. `audit_head` is the chain's end; its row lock
-- orders appends on PostgreSQL (SQLite has one writer), and it shows a removed last entry.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id BIGINT,
    org_id BIGINT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id, seq);
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
