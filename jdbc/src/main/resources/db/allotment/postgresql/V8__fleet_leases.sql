-- Allotment schema, version 8, PostgreSQL: the leases of fleet runs.
--
-- Applied by dev.allotment.jdbc.Migrations in one transaction under an advisory lock, like V1.
-- V1 to V7 are never edited: databases already at version 7 get this table from this script, and
-- keep every row they hold.
-- Conventions as in V1 to V7. Plain SQL that CockroachDB and YugabyteDB accept too: claims use
-- SELECT ... FOR UPDATE SKIP LOCKED on these rows, never an advisory lock.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- One row per partition of a fleet run. Open: lease_token NULL, done_at NULL. Leased: a token and
-- an expiry (the claiming engine's clock plus the lease duration). Done: done_at set; the token of
-- the lease that completed it stays, so completing again with it is idempotent.
CREATE TABLE allotment_run_partition (
  run_id           VARCHAR(100) COLLATE "C" NOT NULL,
  partition_no     INTEGER NOT NULL,
  partition_count  INTEGER NOT NULL,
  lease_owner      VARCHAR(100),
  lease_token      VARCHAR(100),
  lease_expires_at TIMESTAMP WITH TIME ZONE,
  claims           INTEGER NOT NULL DEFAULT 0,
  done_at          TIMESTAMP WITH TIME ZONE,
  CONSTRAINT allotment_run_partition_pk PRIMARY KEY (run_id, partition_no),
  CONSTRAINT allotment_run_partition_no_ck CHECK (partition_no >= 0 AND partition_no < partition_count)
);
