-- Scheduled maintenance on the public status page: a window with the components it affects and its updates, with
-- the component transitions each update made. The status is the state of the automatic transitions: a due transition
-- is the row's status not yet matching its window, so a restart finds it and runs it once.

CREATE TABLE status_maintenances (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'verifying', 'completed')),
    scheduled_for INTEGER NOT NULL,
    scheduled_until INTEGER NOT NULL CHECK (scheduled_until > scheduled_for),
    auto_start INTEGER NOT NULL DEFAULT 1 CHECK (auto_start IN (0, 1)),
    auto_complete INTEGER NOT NULL DEFAULT 1 CHECK (auto_complete IN (0, 1)),
    auto_maintenance_state INTEGER NOT NULL DEFAULT 1 CHECK (auto_maintenance_state IN (0, 1)),
    auto_operational_state INTEGER NOT NULL DEFAULT 1 CHECK (auto_operational_state IN (0, 1)),
    cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER
);
-- The timer worker's question every tick: which open maintenance has reached an edge of its window.
CREATE INDEX status_maintenances_open ON status_maintenances (scheduled_for) WHERE status != 'completed';

CREATE TABLE status_maintenance_components (
    maintenance_id INTEGER NOT NULL REFERENCES status_maintenances (id),
    component_id INTEGER NOT NULL REFERENCES status_components (id) ON DELETE CASCADE,
    PRIMARY KEY (maintenance_id, component_id)
);

CREATE TABLE status_maintenance_updates (
    id INTEGER PRIMARY KEY,
    maintenance_id INTEGER NOT NULL REFERENCES status_maintenances (id),
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'verifying', 'completed')),
    body TEXT NOT NULL,
    deliver_notifications INTEGER NOT NULL DEFAULT 1,
    author_id INTEGER REFERENCES users (id),  -- NULL: written by an automatic transition
    created_at INTEGER NOT NULL
);
CREATE INDEX status_maintenance_updates_by_maintenance ON status_maintenance_updates (maintenance_id, id);

-- What each update did to each component; the name as it was then.
CREATE TABLE status_maintenance_update_components (
    update_id INTEGER NOT NULL REFERENCES status_maintenance_updates (id),
    component_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    old_status TEXT NOT NULL,
    new_status TEXT NOT NULL,
    PRIMARY KEY (update_id, component_id)
);
