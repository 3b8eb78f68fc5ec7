-- What the public portal needs to stay O(log N) in the size of the catalog, and to know
-- when its rendered pages are stale.

-- One row: bumped in every transaction that changes what the public sees (publish,
-- withdraw, validity, import, organizations, attachments). Each node compares it with the
-- generation of its cached pages.
CREATE TABLE public_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);
INSERT INTO public_generation (id, generation, changed_at) VALUES (1, 1, 0);

-- Published records per organization, column, year of publication and validity, kept
-- current in the transaction that changes a record. Its size grows with organizations,
-- columns and years, not with records; counts and facets read it instead of documents.
CREATE TABLE doc_counts (
    org_id BIGINT NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    column_id BIGINT NOT NULL REFERENCES columns (id) ON DELETE CASCADE,
    published_year BIGINT NOT NULL,
    validity TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, column_id, published_year, validity)
);
CREATE INDEX doc_counts_column ON doc_counts (column_id);
INSERT INTO doc_counts (org_id, column_id, published_year, validity, n)
SELECT org_id, column_id, published_year, validity, COUNT(*) FROM documents
WHERE status = 'published' AND published_year IS NOT NULL
GROUP BY org_id, column_id, published_year, validity;

-- Roll-ups of the same counts for the pages over every organization: per column path
-- (the aggregated column, its year facet) and per organization (the home page's tree).
-- A few hundred to a few thousand rows whatever the number of records.
CREATE TABLE doc_counts_path (
    column_path TEXT NOT NULL,
    published_year BIGINT NOT NULL,
    validity TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (column_path, published_year, validity)
);
INSERT INTO doc_counts_path (column_path, published_year, validity, n)
SELECT c.path, d.published_year, d.validity, COUNT(*) FROM documents d
JOIN columns c ON c.id = d.column_id
WHERE d.status = 'published' AND d.published_year IS NOT NULL
GROUP BY c.path, d.published_year, d.validity;

CREATE TABLE doc_counts_org (
    org_id BIGINT PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
    n BIGINT NOT NULL
);
INSERT INTO doc_counts_org (org_id, n)
SELECT org_id, COUNT(*) FROM documents
WHERE status = 'published' AND published_year IS NOT NULL
GROUP BY org_id;

-- The same per 主题分类 and per 公文种类, for the lists over every organization filtered
-- by one of them.
CREATE TABLE doc_counts_topic (
    topic_code TEXT NOT NULL,
    published_year BIGINT NOT NULL,
    validity TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (topic_code, published_year, validity)
);
INSERT INTO doc_counts_topic (topic_code, published_year, validity, n)
SELECT topic_code, published_year, validity, COUNT(*) FROM documents
WHERE status = 'published' AND published_year IS NOT NULL
GROUP BY topic_code, published_year, validity;

CREATE TABLE doc_counts_kind (
    kind TEXT NOT NULL,
    published_year BIGINT NOT NULL,
    validity TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (kind, published_year, validity)
);
INSERT INTO doc_counts_kind (kind, published_year, validity, n)
SELECT kind, published_year, validity, COUNT(*) FROM documents
WHERE status = 'published' AND published_year IS NOT NULL
GROUP BY kind, published_year, validity;

-- The records a document page lists as the versions it amended.
CREATE INDEX documents_successor ON documents (successor_id, status, published_date DESC, id DESC);
-- Lists filtered by column, topic or kind, newest first.
CREATE INDEX documents_column ON documents (column_id, status, published_date DESC, id DESC);
CREATE INDEX documents_topic ON documents (status, topic_code, published_date DESC, id DESC);
CREATE INDEX documents_kind ON documents (status, kind, published_date DESC, id DESC);
-- Columns by path across organizations (the aggregated column's filter).
CREATE INDEX columns_path ON columns (path);
CREATE INDEX columns_parent ON columns (parent_id);
