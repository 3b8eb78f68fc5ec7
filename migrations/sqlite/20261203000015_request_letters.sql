-- The letters of a request (登记回执, 补正告知书, 延期告知书, 征求意见函, 收费通知, 答复告知书),
-- kept as issued: `content` is the rendered letter (JSON), so a template edited later never
-- changes a letter sent. Each carries its own 文号, numbered per organization, series (the
-- kind's 代字) and year. `content` names the applicant: personal information.
CREATE TABLE request_letters (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    kind TEXT NOT NULL,
    template TEXT NOT NULL,
    series TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    content TEXT NOT NULL,
    issued_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (org_id, series, year, seq)
);
CREATE INDEX request_letters_request ON request_letters (request_id);

-- An organization's own wording of a letter; without one, the nearest ancestor's, then the
-- platform's.
CREATE TABLE letter_templates (
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    template TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (org_id, template)
);

-- The last 文号 serial per organization, series and year: one upsert inside the issuing
-- transaction, so concurrent letters queue and a rollback leaves no gap.
CREATE TABLE letter_counters (
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    series TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_serial INTEGER NOT NULL,
    PRIMARY KEY (org_id, series, year)
);

-- The reply of a request on its way to being signed (经办 → 审核 → 签发, three people, as for
-- publication): the basis and what the clerk wrote; when the 签发人 signs, the reply is
-- recorded on the request and its 答复告知书 issued. A return clears the signatures.
CREATE TABLE request_replies (
    request_id INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    basis TEXT NOT NULL,
    written TEXT NOT NULL,
    handled_by INTEGER REFERENCES users (id),
    reviewed_by INTEGER REFERENCES users (id),
    approved_by INTEGER REFERENCES users (id),
    returned_reason TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX request_replies_stage ON request_replies (stage);

-- Who handles an open request (承办人), and when it was archived (归档, 条例 Art. 45).
CREATE TABLE request_handling (
    request_id INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    assigned_to INTEGER REFERENCES users (id),
    archived_on TEXT,
    archived_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL
);
CREATE INDEX request_handling_assigned ON request_handling (assigned_to);

-- How an organization charges the 信息处理费 (国办函〔2020〕109号 Art. 3: 按件 or 按量, its
-- choice); without a row, 按件.
CREATE TABLE org_fee_rules (
    org_id INTEGER PRIMARY KEY REFERENCES orgs (id),
    rule TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL
);

-- What an applicant sent in answer to a 补正告知书 (Art. 30), through the tracking page or
-- the API; its arrival restarts the clock. Personal information.
CREATE TABLE request_corrections (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
CREATE INDEX request_corrections_request ON request_corrections (request_id);
