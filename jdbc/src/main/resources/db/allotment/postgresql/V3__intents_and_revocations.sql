-- Allotment schema, version 3, PostgreSQL: the lines a run intends to commit, and revoked grants.
--
-- Applied by dev.allotment.jdbc.Migrations in one transaction under an advisory lock, like V1.
-- V1 and V2 are never edited: databases already at version 2 get these changes from this script.
--
-- Conventions as in V1 and V2.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- One row per pending line: intended by a run (ChargeJournal.intend) before it writes the line's
-- grant and credit posting, removed by the commit that journals the line (in the commit's
-- transaction) or by abandon. The columns are those of allotment_charge_line, so a pending line
-- reads back as the line intended. The primary key leads with assignment_id, so it is also the
-- index that reads an assignment's pending lines. Usually empty: a line is pending only between
-- the first side effect of an attempt and its journal commit.
CREATE TABLE allotment_pending_line (
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
  intended_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT allotment_pending_line_pk PRIMARY KEY (assignment_id, kind, key_period_start, key_sequence),
  CONSTRAINT allotment_pending_line_package_fk FOREIGN KEY (package_id) REFERENCES allotment_package (id),
  CONSTRAINT allotment_pending_line_reach_ck CHECK (reach_date >= due_date AND reach_date >= period_end)
);

-- When the grant was revoked (FreeMinuteStore.revokeGrant); NULL while it serves calls. Set, and
-- cleared again by FreeMinuteStore.addGrantsIfAbsent (a revival), by conditional UPDATEs of the
-- grant's row, the row every take and give-back updates too, so revocations, revivals and takes are
-- ordered by the row lock: no take succeeds while the grant is revoked.
ALTER TABLE allotment_free_minute_grant ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;
