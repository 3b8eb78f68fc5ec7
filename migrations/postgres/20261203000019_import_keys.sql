-- What makes an imported line the same record when an import is run again: a hash of the
-- file's external_id, or of 发文字号, 标题, 成文日期 and 发布日期 (ValidDocument::import_identity),
-- unique per organization. Records published before this have none until the next import
-- computes theirs.
ALTER TABLE documents ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX documents_import_key ON documents (import_key, org_id) WHERE import_key IS NOT NULL;
CREATE INDEX documents_unkeyed ON documents (id) WHERE import_key IS NULL AND status = 'published';
