-- Status page subscribers (email with double opt-in, SMS, webhook), the fan-out of public updates to them, and
-- what the outbox needs to carry their messages.

CREATE TABLE status_subscribers (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
    address TEXT NOT NULL,  -- the normalised email address, E.164 number or webhook URL
    all_components INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'disabled')),
    -- The manage/unsubscribe token goes into every message, so it is kept; the one-time confirmation token is
    -- only ever compared, so only its hash is.
    token TEXT NOT NULL UNIQUE,
    confirm_hash TEXT NOT NULL DEFAULT '',
    confirm_expires_at INTEGER,
    signing_secret TEXT NOT NULL DEFAULT '',  -- webhooks: the HMAC key, shown once at subscription
    disabled_reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER
);
CREATE UNIQUE INDEX status_subscribers_by_address ON status_subscribers (channel, address);

CREATE TABLE status_subscriber_components (
    subscriber_id INTEGER NOT NULL REFERENCES status_subscribers (id) ON DELETE CASCADE,
    component_id INTEGER NOT NULL,
    PRIMARY KEY (subscriber_id, component_id)
) WITHOUT ROWID;
CREATE INDEX status_subscriber_components_by_component ON status_subscriber_components (component_id, subscriber_id);

-- Subscription attempts, for the flood limits per address and per client address.
CREATE TABLE status_subscribe_attempts (
    id INTEGER PRIMARY KEY,
    client TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX status_subscribe_attempts_by_client ON status_subscribe_attempts (client, created_at);
CREATE INDEX status_subscribe_attempts_by_address ON status_subscribe_attempts (address, created_at);

-- One row per public update that notifies subscribers, written with the update; expanded into outbox rows in
-- batches (next_subscriber_id is the cursor), each channel paced from created_at by its rate.
CREATE TABLE status_fanouts (
    update_id INTEGER PRIMARY KEY REFERENCES status_updates (id),
    status_incident_id INTEGER NOT NULL REFERENCES status_incidents (id),
    component_ids TEXT NOT NULL,  -- JSON array of the components the incident affects
    next_subscriber_id INTEGER NOT NULL DEFAULT 0,
    email_count INTEGER NOT NULL DEFAULT 0,
    sms_count INTEGER NOT NULL DEFAULT 0,
    webhook_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expanded_at INTEGER
);
CREATE INDEX status_fanouts_pending ON status_fanouts (expanded_at, update_id);

ALTER TABLE outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '';  -- extra email header lines, "Name: value\n"
ALTER TABLE outbox ADD COLUMN signing_secret TEXT NOT NULL DEFAULT '';  -- webhooks: the HMAC key
ALTER TABLE outbox ADD COLUMN status_update_id INTEGER REFERENCES status_updates (id);
ALTER TABLE outbox ADD COLUMN subscriber_id INTEGER;  -- no foreign key: unsubscribing keeps the delivery history
CREATE INDEX outbox_by_status_update ON outbox (status_update_id, state) WHERE status_update_id IS NOT NULL;
-- The outbox worker claims everything else before fan-out messages, so that a page never waits behind a fan-out.
CREATE INDEX outbox_due_urgent ON outbox (state, next_attempt_at) WHERE status_update_id IS NULL;
CREATE INDEX outbox_due_fanout ON outbox (state, next_attempt_at) WHERE status_update_id IS NOT NULL;
