-- Organizations, people, sessions, columns, disclosure records, index counters, attachments.
CREATE TABLE orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES orgs (id),
    index_pattern TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, org_id, role)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE columns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES columns (id),
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    position INTEGER NOT NULL,
    unified BOOLEAN NOT NULL,
    UNIQUE (org_id, path)
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    column_id INTEGER NOT NULL REFERENCES columns (id),
    status TEXT NOT NULL,
    index_number TEXT UNIQUE,
    title TEXT NOT NULL,
    doc_number TEXT,
    doc_number_key TEXT,
    issuer TEXT NOT NULL,
    topic TEXT NOT NULL,
    topic_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    written_date TEXT NOT NULL,
    formed_date TEXT NOT NULL,
    published_date TEXT,
    published_year INTEGER,
    validity TEXT NOT NULL,
    successor_id INTEGER REFERENCES documents (id),
    disclosure_term TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    withdrawn_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_public ON documents (status, published_date DESC, id DESC);
CREATE INDEX documents_org ON documents (org_id, status, published_date DESC, id DESC);
CREATE INDEX documents_doc_number ON documents (doc_number_key);

CREATE TABLE index_counters (
    org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    last_serial INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_document ON attachments (document_id, position);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
