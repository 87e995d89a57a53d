-- Monitors driving status page components: while the monitor is down the component takes down_status; when it
-- comes back the component returns to operational unless an open public incident holds it. A component follows at
-- most one monitor; a monitor may drive several components. Deleting either side drops the link.

CREATE TABLE status_component_monitors (
    component_id INTEGER PRIMARY KEY REFERENCES status_components (id) ON DELETE CASCADE,
    monitor_id INTEGER NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    down_status TEXT NOT NULL DEFAULT 'major_outage' CHECK (down_status IN ('degraded_performance',
        'partial_outage', 'major_outage'))
);
CREATE INDEX status_component_monitors_by_monitor ON status_component_monitors (monitor_id);
