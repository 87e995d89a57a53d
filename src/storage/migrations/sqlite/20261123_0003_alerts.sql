-- Alert ingestion: services with integration keys, and alerts deduplicated per service and key.

CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    integration_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services (id),
    dedup_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('triggered', 'acknowledged', 'resolved')),
    summary TEXT NOT NULL,
    source TEXT NOT NULL,
    severity TEXT NOT NULL,
    component TEXT NOT NULL DEFAULT '',
    group_name TEXT NOT NULL DEFAULT '',
    class_name TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    event_count INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    resolved_at INTEGER
);

-- At most one open alert per service and dedup key; resolved ones are history.
CREATE UNIQUE INDEX alerts_open_by_key ON alerts (service_id, dedup_key) WHERE status <> 'resolved';
CREATE INDEX alerts_by_status ON alerts (status, id);
