-- Foundation: plans, organizations, people, credentials, tickets with their thread and timeline.
-- Times are milliseconds since the Unix epoch, UTC.

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    weekly_hours TEXT NOT NULL,
    after_hours_emergency INTEGER NOT NULL DEFAULT 0,
    emergency_phone TEXT NOT NULL DEFAULT ''
);

CREATE TABLE plan_targets (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
    first_response_minutes INTEGER NOT NULL,
    resolution_minutes INTEGER NOT NULL,
    PRIMARY KEY (plan_id, priority)
);

CREATE TABLE plan_holidays (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    PRIMARY KEY (plan_id, day)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'contact')),
    organization_id INTEGER,
    phone TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    email_domains TEXT NOT NULL DEFAULT '',
    plan_id INTEGER REFERENCES plans (id),
    primary_agent_id INTEGER REFERENCES users (id)
);

CREATE TABLE organization_domains (
    domain TEXT PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    requester_id INTEGER NOT NULL REFERENCES users (id),
    organization_id INTEGER REFERENCES organizations (id),
    assignee_id INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    first_response_due_at INTEGER NOT NULL,
    first_responded_at INTEGER,
    acknowledgement TEXT NOT NULL DEFAULT ''
);

CREATE INDEX tickets_by_deadline ON tickets (status, first_response_due_at);
CREATE INDEX tickets_by_organization ON tickets (organization_id, id);
CREATE INDEX tickets_by_requester ON tickets (requester_id, id);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    author_id INTEGER REFERENCES users (id),
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX messages_by_ticket ON messages (ticket_id, id);

CREATE TABLE timeline_events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    actor_id INTEGER REFERENCES users (id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX timeline_by_ticket ON timeline_events (ticket_id, id);

CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, idempotency_key)
);

CREATE TABLE templates (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
