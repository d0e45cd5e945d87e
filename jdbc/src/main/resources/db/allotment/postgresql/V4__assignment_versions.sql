-- Allotment schema, version 4, PostgreSQL: assignment versions, and the end of pending lines.
--
-- Applied by dev.allotment.jdbc.Migrations in one transaction under an advisory lock, like V1.
-- V1 to V3 are never edited: databases already at version 3 get these changes from this script.
-- After its statements, in the same transaction, Migrations resolves the rows of V3's
-- allotment_pending_line (see PendingLineResolution): a run now commits a batch in one
-- transaction, so no line is pending any more. A pending line the journal holds is kept as
-- COMMITTED; the side effects of one it does not hold (its credit entries, under its key and the
-- correction keys key~1, key~2, ..., and its grant) are undone as a rolled-back transaction would
-- have, and it is kept as UNDONE. Every row moves to allotment_v3_pending_line, then
-- allotment_pending_line is dropped.
--
-- Conventions as in V1 to V3.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- The store's version of each assignment: 0 when added, one more on every replace and on every
-- reprice marker a run clears. A run's batch checks, with the row locked, that every assignment it
-- planned is still at the version it read, so a change made meanwhile is never overwritten.
ALTER TABLE allotment_assignment ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- The pending lines V3 held when the schema moved to V4, as they were, with what became of them.
-- Kept for the record (an audit of a crashed run); nothing reads it.
CREATE TABLE allotment_v3_pending_line (
  assignment_id     VARCHAR(100) COLLATE "C" NOT NULL,
  kind              VARCHAR(16) NOT NULL,
  key_period_start  DATE NOT NULL,
  key_sequence      INTEGER NOT NULL,
  customer_id       VARCHAR(100) COLLATE "C" NOT NULL,
  did               VARCHAR(32),
  package_id        VARCHAR(100) COLLATE "C" NOT NULL,
  period_start      DATE NOT NULL,
  period_end        DATE NOT NULL,
  due_date          DATE NOT NULL,
  reach_date        DATE NOT NULL,
  quantity          INTEGER NOT NULL,
  currency          CHAR(3) NOT NULL,
  unit_price        NUMERIC(19, 6) NOT NULL,
  unit_cost         NUMERIC(19, 6) NOT NULL,
  proration_days    BIGINT NOT NULL,
  proration_of_days BIGINT NOT NULL,
  retail            NUMERIC(19, 6) NOT NULL,
  cost              NUMERIC(19, 6) NOT NULL,
  grant_seconds     BIGINT NOT NULL,
  grant_valid_until DATE,
  auto_decrement    BOOLEAN NOT NULL,
  intended_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  -- COMMITTED: the journal held the line; UNDONE: it did not, and the line's side effects were undone.
  resolution        VARCHAR(16) NOT NULL,
  resolved_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT allotment_v3_pending_line_pk PRIMARY KEY (assignment_id, kind, key_period_start, key_sequence),
  CONSTRAINT allotment_v3_pending_line_resolution_ck CHECK (resolution IN ('COMMITTED', 'UNDONE'))
);
