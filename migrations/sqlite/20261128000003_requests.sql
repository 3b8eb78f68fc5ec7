-- Information requests (依申请公开), their reviews and lawsuits, the working-day calendar's
-- loaded notices, the log of due dates a calendar change moved, and the office's own
-- annual-report figures. JSON values (applicant, bases, clock events) are TEXT on both
-- databases: the application reads and writes them whole.
CREATE TABLE requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    tracking TEXT NOT NULL UNIQUE,
    applicant_type TEXT NOT NULL,
    received_date TEXT NOT NULL,
    outcome TEXT,
    replied_date TEXT,
    bases TEXT NOT NULL,
    applicant TEXT NOT NULL,
    description TEXT,
    events TEXT NOT NULL,
    due_date TEXT,
    due_problem TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX requests_org_received ON requests (org_id, received_date);
CREATE INDEX requests_open ON requests (replied_date, org_id);

CREATE TABLE request_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    filed_date TEXT NOT NULL,
    result TEXT,
    decided_date TEXT
);
CREATE INDEX request_reviews_request ON request_reviews (request_id, position);
CREATE INDEX request_reviews_filed ON request_reviews (filed_date);

CREATE TABLE calendar_notices (
    year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    notice TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (year, version)
);

CREATE TABLE request_due_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    old_due TEXT,
    new_due TEXT,
    calendar_year INTEGER NOT NULL,
    calendar_version INTEGER NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX request_due_changes_request ON request_due_changes (request_id, id);

CREATE TABLE annual_report_figures (
    org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    licensing_decisions INTEGER NOT NULL DEFAULT 0,
    punishments INTEGER NOT NULL DEFAULT 0,
    coercive_measures INTEGER NOT NULL DEFAULT 0,
    fees_fen INTEGER NOT NULL DEFAULT 0,
    overview TEXT NOT NULL DEFAULT '',
    problems TEXT NOT NULL DEFAULT '',
    other TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- The day a record stopped being in force (废止, 失效, 已修订): table 二 counts the 规章 and
-- 规范性文件 repealed in a year.
ALTER TABLE documents ADD COLUMN validity_changed_on TEXT;
