-- The public 立改废 list reads the few records that were amended, expired or repealed,
-- newest change first, never the valid million.
CREATE INDEX documents_changed ON documents (validity_changed_on DESC, id DESC)
WHERE validity <> 'valid' AND status = 'published';
