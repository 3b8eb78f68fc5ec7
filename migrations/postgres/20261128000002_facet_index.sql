-- The public list index also covers what counts and facets read (organization, column,
-- year, topic, kind, validity), so they never touch the large record rows.
DROP INDEX documents_public;
CREATE INDEX documents_public ON documents (
    status, published_date DESC, id DESC, org_id, column_id, published_year, topic_code, kind, validity
);
