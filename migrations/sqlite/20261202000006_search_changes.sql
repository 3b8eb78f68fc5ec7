-- Records whose searchable content changed (published, withdrawn, validity, attachment), in
-- commit order: each node's search index applies the rows after the last one it applied.
-- Rows are written after the transaction's public_generation bump, whose row lock orders
-- them by commit on PostgreSQL (SQLite has one writer).
CREATE TABLE search_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL
);
