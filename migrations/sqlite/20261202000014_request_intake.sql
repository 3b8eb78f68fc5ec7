-- Applications as filed (online, by letter, in person), before and after registration. The
-- receipt date of 条例 Art. 31 is fixed when staff register one, which creates its `requests`
-- row; until then it is `submitted`. The applicant follows it by 查询码 and a secret, stored
-- only as a hash. `applicant` holds personal information (JSON) and is never logged.
CREATE TABLE request_intake (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    tracking TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    channel TEXT NOT NULL,
    applicant_type TEXT NOT NULL,
    applicant TEXT NOT NULL,
    description TEXT NOT NULL,
    purpose TEXT,
    form TEXT,
    delivery TEXT,
    submitted_at TEXT NOT NULL,
    request_id INTEGER REFERENCES requests (id),
    registered_by INTEGER REFERENCES users (id)
);
CREATE INDEX request_intake_waiting ON request_intake (org_id) WHERE request_id IS NULL;
