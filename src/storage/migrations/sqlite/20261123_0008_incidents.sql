-- Incident command: one incident with its assessed impact and severity, one commander at a time, two channels of
-- updates (technical log, business briefings with the next-update commitment), timeboxed diagnostic steps, linked
-- tickets and alerts, and the debrief's action items and customers' comments.

CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
    severity_reason TEXT NOT NULL,
    proposed_severity INTEGER NOT NULL,
    severity_override_reason TEXT NOT NULL DEFAULT '',
    impact TEXT NOT NULL,                  -- organizations, users, components, business impact: one JSON document
    keywords TEXT NOT NULL DEFAULT '',     -- space-separated, for suggesting duplicate tickets
    commander_id INTEGER NOT NULL REFERENCES users (id),
    communications_lead_id INTEGER REFERENCES users (id),
    technical_lead_id INTEGER REFERENCES users (id),
    next_update_at INTEGER,
    next_update_reason TEXT NOT NULL DEFAULT '',
    reminded_at INTEGER,                   -- the commander was reminded of the missed next update
    escalated_at INTEGER,                  -- and then paged through the escalation policy
    declared_by INTEGER NOT NULL REFERENCES users (id),
    declared_at INTEGER NOT NULL,
    acknowledged_at INTEGER,               -- the first update by a responder
    identified_at INTEGER,
    mitigated_at INTEGER,                  -- first reached monitoring (or resolved)
    resolved_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX incidents_by_status ON incidents (status, id);
CREATE INDEX incidents_next_update ON incidents (next_update_at) WHERE status <> 'resolved';

CREATE TABLE incident_updates (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    channel TEXT NOT NULL CHECK (channel IN ('technical', 'business', 'system')),
    kind TEXT NOT NULL,
    author_id INTEGER REFERENCES users (id),
    body TEXT NOT NULL,
    next_update_at INTEGER,
    next_update_reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,                  -- the incident's status when it was written
    at INTEGER NOT NULL
);
CREATE INDEX incident_updates_by_incident ON incident_updates (incident_id, id);

CREATE TABLE incident_tickets (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    linked_by INTEGER REFERENCES users (id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (incident_id, ticket_id)
);
CREATE INDEX incident_tickets_by_ticket ON incident_tickets (ticket_id);

CREATE TABLE incident_alerts (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    alert_id INTEGER NOT NULL REFERENCES alerts (id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (incident_id, alert_id)
);

CREATE TABLE incident_steps (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    title TEXT NOT NULL,
    owner_id INTEGER NOT NULL REFERENCES users (id),
    deadline_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'confirmed', 'ruled_out')),
    outcome TEXT NOT NULL DEFAULT '',
    extensions INTEGER NOT NULL DEFAULT 0,
    overdue_alerted_at INTEGER,
    created_at INTEGER NOT NULL,
    closed_at INTEGER
);
CREATE INDEX incident_steps_by_incident ON incident_steps (incident_id, id);
CREATE INDEX incident_steps_open ON incident_steps (deadline_at) WHERE state = 'open';

CREATE TABLE incident_action_items (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    title TEXT NOT NULL,
    owner_id INTEGER NOT NULL REFERENCES users (id),
    due_at INTEGER NOT NULL,
    done_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX incident_action_items_by_incident ON incident_action_items (incident_id, id);

CREATE TABLE incident_debrief_comments (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX incident_debrief_comments_by_incident ON incident_debrief_comments (incident_id, id);
