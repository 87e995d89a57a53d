-- Escalation and paging: policies (levels of targets with timeouts, repeated N times), which services and
-- organizations use which policy, people's contact methods and notification rules, running escalations with their
-- log, the pages sent to each person, and durable timers for the steps still to come.

CREATE TABLE escalation_policies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    definition TEXT NOT NULL,           -- levels and their targets, as one JSON document
    repeat_count INTEGER NOT NULL DEFAULT 0,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- At most one policy pages for emergency tickets of organizations without their own.
CREATE UNIQUE INDEX escalation_policies_one_default ON escalation_policies (is_default) WHERE is_default = 1;

ALTER TABLE services ADD COLUMN escalation_policy_id INTEGER REFERENCES escalation_policies (id);
ALTER TABLE organizations ADD COLUMN escalation_policy_id INTEGER REFERENCES escalation_policies (id);
-- Triggers that re-open a recently resolved key too often are marked flapping and do not page again.
ALTER TABLE alerts ADD COLUMN flapping INTEGER NOT NULL DEFAULT 0;
CREATE INDEX alerts_by_key ON alerts (service_id, dedup_key, created_at);

CREATE TABLE contact_methods (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'voice', 'email', 'webhook')),
    address TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX contact_methods_by_user ON contact_methods (user_id);
CREATE INDEX contact_methods_by_address ON contact_methods (channel, address);

CREATE TABLE notification_rules (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact_method_id INTEGER NOT NULL REFERENCES contact_methods (id) ON DELETE CASCADE,
    delay_seconds INTEGER NOT NULL CHECK (delay_seconds >= 0),
    created_at INTEGER NOT NULL
);
CREATE INDEX notification_rules_by_user ON notification_rules (user_id);

CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    policy_id INTEGER NOT NULL REFERENCES escalation_policies (id),
    alert_id INTEGER REFERENCES alerts (id),
    ticket_id INTEGER REFERENCES tickets (id),
    summary TEXT NOT NULL,
    severity TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active', 'acknowledged', 'resolved', 'exhausted')),
    level INTEGER NOT NULL DEFAULT 0,
    loop INTEGER NOT NULL DEFAULT 0,
    acknowledged_by INTEGER REFERENCES users (id),
    acknowledged_via TEXT NOT NULL DEFAULT '',
    acknowledged_at INTEGER,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX escalations_by_alert ON escalations (alert_id);
CREATE INDEX escalations_by_ticket ON escalations (ticket_id);
CREATE INDEX escalations_by_state ON escalations (state, id);

CREATE TABLE escalation_events (
    id INTEGER PRIMARY KEY,
    escalation_id INTEGER NOT NULL REFERENCES escalations (id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX escalation_events_by_escalation ON escalation_events (escalation_id, id);

CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    escalation_id INTEGER NOT NULL REFERENCES escalations (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    level INTEGER NOT NULL,
    loop INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX pages_by_escalation ON pages (escalation_id, id);
CREATE INDEX pages_by_user ON pages (user_id, id);

-- Every message of a page carries its own one-time acknowledgement link; only the link secret's hash is stored.
CREATE TABLE ack_links (
    token_hash TEXT PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages (id),
    used_at INTEGER,
    created_at INTEGER NOT NULL
);

-- Durable timers: a step is due at due_at; running it and marking it done happen in one transaction, so after a
-- restart a due step runs once and none is lost.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    arg INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'cancelled')),
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX jobs_due ON jobs (state, due_at);
CREATE INDEX jobs_by_subject ON jobs (kind, subject_id, state);

-- Outbound messages on channels other than email: pages by SMS, voice call and webhook share the outbox.
ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
ALTER TABLE outbox ADD COLUMN page_id INTEGER REFERENCES pages (id);
