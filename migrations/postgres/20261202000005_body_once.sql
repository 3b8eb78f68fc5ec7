-- A record's body is stored once, as sanitized HTML; its plain text is derived from it when
-- needed (exports, search). Storing both made every record about twice as large, and the
-- import of a million records wrote most of its bytes twice for it.
ALTER TABLE documents DROP COLUMN body_text;

-- Most records amend nothing and many have no 发文字号: index only the rows a lookup can
-- find (`successor_id = ?` and `doc_number_key = ?` imply NOT NULL on both databases).
DROP INDEX documents_successor;
CREATE INDEX documents_successor ON documents (successor_id, status, published_date DESC, id DESC)
WHERE successor_id IS NOT NULL;
DROP INDEX documents_doc_number;
CREATE INDEX documents_doc_number ON documents (doc_number_key) WHERE doc_number_key IS NOT NULL;
