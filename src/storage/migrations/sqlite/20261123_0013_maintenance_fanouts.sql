-- Subscribers hear of scheduled maintenance as they hear of incidents: each maintenance update that notifies gets a
-- fan-out, recorded in the update's transaction and expanded into outbox rows in batches (as status_fanouts).
CREATE TABLE status_maintenance_fanouts (
    update_id INTEGER PRIMARY KEY REFERENCES status_maintenance_updates (id),
    maintenance_id INTEGER NOT NULL REFERENCES status_maintenances (id),
    component_ids TEXT NOT NULL,  -- JSON array of the components the maintenance affects
    next_subscriber_id INTEGER NOT NULL DEFAULT 0,
    email_count INTEGER NOT NULL DEFAULT 0,
    sms_count INTEGER NOT NULL DEFAULT 0,
    webhook_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expanded_at INTEGER
);
CREATE INDEX status_maintenance_fanouts_pending ON status_maintenance_fanouts (expanded_at, update_id);
