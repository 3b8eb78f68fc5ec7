-- Requests counted by what table 三 of the annual report needs (DOMAIN A4): organization,
-- applicant type, the year received and, once closed, the year and outcome. Kept current by
-- every write to `requests` in the same transaction, so a report over a district of a million
-- requests reads a few thousand rows instead of a million.
CREATE TABLE request_counts (
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    applicant_type TEXT NOT NULL,
    received_year INTEGER NOT NULL,
    closed_year INTEGER NOT NULL, -- 0 while open
    outcome TEXT NOT NULL,        -- '' while open
    n INTEGER NOT NULL,
    -- A year's report reads the open and the recently closed: closed_year leads.
    PRIMARY KEY (closed_year, org_id, applicant_type, received_year, outcome)
) WITHOUT ROWID;

INSERT INTO request_counts (org_id, applicant_type, received_year, closed_year, outcome, n)
SELECT org_id, applicant_type, CAST(substr(received_date, 1, 4) AS INTEGER),
       CASE WHEN outcome IS NOT NULL AND replied_date IS NOT NULL
            THEN CAST(substr(replied_date, 1, 4) AS INTEGER) ELSE 0 END,
       CASE WHEN outcome IS NOT NULL AND replied_date IS NOT NULL THEN outcome ELSE '' END,
       count(*)
FROM requests
GROUP BY 1, 2, 3, 4, 5;

-- Where the office's own figures of table 二 come from.
ALTER TABLE annual_report_figures ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- The year a record of the 政府信息公开年度报告 column reports on (报告年度), which the column
-- filters by; read from the titles of the records already there.
ALTER TABLE documents ADD COLUMN report_year INTEGER;
UPDATE documents SET report_year = CAST(substr(title, instr(title, '年政府信息公开工作年度报告') - 4, 4) AS INTEGER)
WHERE instr(title, '年政府信息公开工作年度报告') > 4
  AND substr(title, instr(title, '年政府信息公开工作年度报告') - 4, 4) GLOB '[0-9][0-9][0-9][0-9]'
  AND column_id IN (SELECT id FROM columns WHERE path = '政府信息公开年度报告' OR path LIKE '政府信息公开年度报告/%');
CREATE INDEX documents_report_year ON documents (column_id, report_year);
