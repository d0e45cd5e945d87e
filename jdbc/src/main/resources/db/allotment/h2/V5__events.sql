-- Allotment schema, version 5, H2 2.x: the event outbox, and the package fields of events.
--
-- Idempotent like V1 to V4 (IF NOT EXISTS): H2 commits each DDL statement on its own, so a
-- migration cut short is completed by running it again.
-- V1 to V4 are never edited: databases already at version 4 get these changes from this script.
-- Conventions as in V1 to V4 (H2 compares strings by String.compareTo already, so no collation).
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- The outbox: every event, written in the transaction of its effect. cursor_position rises in commit
-- order: a transaction that writes events takes them from allotment_event_cursor as its last write,
-- holding that row locked until it commits, so a later committer always gets larger cursors, and a
-- reader that sees an event sees every event with a smaller cursor. A NULL payload is an event
-- deleted by retention: its id stays, so its cause never writes it again.
CREATE TABLE IF NOT EXISTS allotment_event (
  cursor_position BIGINT NOT NULL,
  event_id        VARCHAR(300) NOT NULL,
  event_type      VARCHAR(32) NOT NULL,
  customer_id     VARCHAR(100) NOT NULL,
  committed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  payload         VARCHAR(8000),
  CONSTRAINT allotment_event_pk PRIMARY KEY (cursor_position),
  CONSTRAINT allotment_event_id_uq UNIQUE (event_id)
);

-- The last cursor given out: one row (id 1), updated (and so locked) by every transaction that writes
-- events. The stores add it on their first write of events, from the largest cursor held.
CREATE TABLE IF NOT EXISTS allotment_event_cursor (
  id          INTEGER NOT NULL,
  last_cursor BIGINT NOT NULL,
  CONSTRAINT allotment_event_cursor_pk PRIMARY KEY (id),
  CONSTRAINT allotment_event_cursor_one_ck CHECK (id = 1)
);

-- How many days ahead a package announces its lines (CHARGE_UPCOMING); 0: none.
ALTER TABLE allotment_package ADD COLUMN IF NOT EXISTS notification_days INTEGER NOT NULL DEFAULT 0;

-- The remaining percent of a grant at or below which it is low (GRANT_LOW); 0: none.
ALTER TABLE allotment_package ADD COLUMN IF NOT EXISTS low_balance_percent INTEGER NOT NULL DEFAULT 0;

-- The package's low-balance percent when the grant was issued.
ALTER TABLE allotment_free_minute_grant ADD COLUMN IF NOT EXISTS low_balance_percent INTEGER NOT NULL DEFAULT 0;
