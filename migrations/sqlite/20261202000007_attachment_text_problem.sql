-- Why an attachment's text is missing or incomplete (an unreadable file, scanned PDF pages,
-- a timeout), in Chinese for staff; NULL when all of it was read. Such text is neither
-- searchable nor scanned in full, so it must never pass as clean.
ALTER TABLE attachments ADD COLUMN text_problem TEXT;
