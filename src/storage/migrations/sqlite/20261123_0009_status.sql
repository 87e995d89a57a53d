-- The public status page: components and groups of them (one table; a group is a component with is_group), public
-- incidents (optionally published from an internal incident) with their public updates and the component
-- transitions each update made.

CREATE TABLE status_components (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    is_group INTEGER NOT NULL DEFAULT 0 CHECK (is_group IN (0, 1)),
    group_id INTEGER REFERENCES status_components (id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'operational' CHECK (status IN ('operational', 'under_maintenance',
        'degraded_performance', 'partial_outage', 'major_outage')),
    showcase INTEGER NOT NULL DEFAULT 1,
    only_show_if_degraded INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX status_components_name ON status_components (is_group, name);

CREATE TABLE status_incidents (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER REFERENCES incidents (id),
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem')),
    impact TEXT NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    monitoring_at INTEGER,
    resolved_at INTEGER
);
CREATE INDEX status_incidents_unresolved ON status_incidents (id) WHERE status NOT IN ('resolved', 'postmortem');

CREATE TABLE status_incident_components (
    status_incident_id INTEGER NOT NULL REFERENCES status_incidents (id),
    component_id INTEGER NOT NULL REFERENCES status_components (id) ON DELETE CASCADE,
    PRIMARY KEY (status_incident_id, component_id)
);

CREATE TABLE status_updates (
    id INTEGER PRIMARY KEY,
    status_incident_id INTEGER NOT NULL REFERENCES status_incidents (id),
    status TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem')),
    body TEXT NOT NULL,
    next_update_at INTEGER,
    deliver_notifications INTEGER NOT NULL DEFAULT 1,
    author_id INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX status_updates_by_incident ON status_updates (status_incident_id, id);

-- What each update did to each component; the name as it was then (components may be renamed or deleted later).
CREATE TABLE status_update_components (
    update_id INTEGER NOT NULL REFERENCES status_updates (id),
    component_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    old_status TEXT NOT NULL,
    new_status TEXT NOT NULL,
    PRIMARY KEY (update_id, component_id)
);
