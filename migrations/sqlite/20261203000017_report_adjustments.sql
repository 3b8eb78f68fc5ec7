-- Documented adjustments of the annual report's figures (table 三 or 四): the records stay as
-- they are; every report whose organizations include `org_id` shows the adjusted figure.
CREATE TABLE annual_report_adjustments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    year INTEGER NOT NULL,
    table_no INTEGER NOT NULL,
    row_key TEXT NOT NULL,
    column_key TEXT NOT NULL,
    delta INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX annual_report_adjustments_org ON annual_report_adjustments (org_id, year);
