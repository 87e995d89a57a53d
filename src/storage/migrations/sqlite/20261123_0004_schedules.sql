-- On-call schedules. Layers, restrictions and overrides are one JSON document per schedule: they are always read
-- and written whole, and who-is-on-call is computed from them in memory.

CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
