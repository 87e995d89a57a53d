-- A secret token per schedule for its iCalendar feed; only its hash is stored.
ALTER TABLE schedules ADD COLUMN feed_token_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX schedules_by_feed_token ON schedules (feed_token_hash);
