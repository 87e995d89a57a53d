-- Email channel: every inbound and outbound email with its raw bytes, attachments by content hash,
-- the durable outbox, and mail held for review.

CREATE TABLE emails (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    message_id TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets (id),
    thread_message_id INTEGER REFERENCES messages (id),
    from_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    full_text TEXT NOT NULL DEFAULT '',
    raw BLOB,
    created_at INTEGER NOT NULL
);

CREATE UNIQUE INDEX emails_by_message_id ON emails (direction, message_id) WHERE message_id <> '';
CREATE INDEX emails_by_any_message_id ON emails (message_id);
CREATE INDEX emails_by_ticket ON emails (ticket_id, id);

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    email_id INTEGER NOT NULL REFERENCES emails (id),
    ticket_id INTEGER REFERENCES tickets (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,   -- the blobs row holding the content; empty when it was over the size limit
    stored INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX attachments_by_ticket ON attachments (ticket_id, id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets (id),
    recipient TEXT NOT NULL,
    recipient_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    in_reply_to TEXT NOT NULL DEFAULT '',
    refs TEXT NOT NULL DEFAULT '',
    automatic INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    bounce TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_ticket ON outbox (ticket_id, id);
CREATE INDEX outbox_by_recipient ON outbox (recipient, kind, created_at);

CREATE TABLE held_emails (
    id INTEGER PRIMARY KEY,
    from_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
