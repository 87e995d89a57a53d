-- Monitors the server runs itself (HTTP(S), TCP, heartbeats), their check history and hourly uptime counts.

CREATE TABLE monitors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('http', 'tcp', 'heartbeat')),
    service_id INTEGER NOT NULL REFERENCES services (id),
    interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
    timeout_seconds INTEGER NOT NULL,
    failures_before_alert INTEGER NOT NULL CHECK (failures_before_alert > 0),
    url TEXT NOT NULL DEFAULT '',
    expected_status INTEGER NOT NULL DEFAULT 0,
    keyword TEXT NOT NULL DEFAULT '',
    max_latency_ms INTEGER NOT NULL DEFAULT 0,
    cert_expiry_days INTEGER NOT NULL DEFAULT 0,
    host TEXT NOT NULL DEFAULT '',
    port INTEGER NOT NULL DEFAULT 0,
    grace_seconds INTEGER NOT NULL DEFAULT 0,
    token_hash TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'up', 'down')),
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    state_changed_at INTEGER,
    last_check_at INTEGER,
    last_detail TEXT NOT NULL DEFAULT '',
    -- When the next check is due (UTC ms); for a heartbeat, the deadline for its next beat. Durable: after a
    -- restart every overdue check runs once.
    next_check_at INTEGER NOT NULL,
    -- A worker holds the check until then (NULL: nobody does).
    claimed_until INTEGER,
    -- A trigger or resolve decided with the state change and not yet handed to the alert service.
    alert_action TEXT NOT NULL DEFAULT '' CHECK (alert_action IN ('', 'trigger', 'resolve')),
    alert_decided_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE INDEX monitors_due ON monitors (next_check_at);
CREATE UNIQUE INDEX monitors_by_token ON monitors (token_hash) WHERE token_hash <> '';
CREATE INDEX monitors_alert_pending ON monitors (alert_decided_at) WHERE alert_action <> '';

-- The state history: one row per check, kept for 90 days.
CREATE TABLE monitor_checks (
    id INTEGER PRIMARY KEY,
    monitor_id INTEGER NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
    latency_ms INTEGER,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_checks_by_monitor ON monitor_checks (monitor_id, at);
CREATE INDEX monitor_checks_by_time ON monitor_checks (at);

-- Checks and passes per monitor and UTC hour, written with each check: uptime over 90 days reads at most 2160 rows.
CREATE TABLE monitor_uptime_hours (
    monitor_id INTEGER NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    hour INTEGER NOT NULL,
    checks INTEGER NOT NULL,
    passed INTEGER NOT NULL,
    PRIMARY KEY (monitor_id, hour)
) WITHOUT ROWID;
