-- 公开属性 at the source (条例 Art. 13–18): 主动公开, 依申请公开 or 不予公开, the legal
-- ground of the latter two, and when a withheld record was decided and last reviewed
-- (Art. 18: withheld information is reviewed periodically).
ALTER TABLE documents ADD COLUMN disclosure TEXT NOT NULL DEFAULT 'proactive';
ALTER TABLE documents ADD COLUMN disclosure_ground TEXT;
ALTER TABLE documents ADD COLUMN disclosure_reviewed_on DATE;
CREATE INDEX documents_withheld ON documents (org_id, disclosure_reviewed_on)
WHERE disclosure = 'withheld';
