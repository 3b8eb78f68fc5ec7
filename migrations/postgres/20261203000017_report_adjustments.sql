-- Documented adjustments of the annual report's figures (table 三 or 四): the records stay as
-- they are; every report whose organizations include `org_id` shows the adjusted figure.
CREATE TABLE annual_report_adjustments (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES orgs (id),
    year INTEGER NOT NULL,
    table_no INTEGER NOT NULL,
    row_key TEXT NOT NULL,
    column_key TEXT NOT NULL,
    delta BIGINT NOT NULL,
    reason TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX annual_report_adjustments_org ON annual_report_adjustments (org_id, year);
