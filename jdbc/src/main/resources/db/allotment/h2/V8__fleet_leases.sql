-- Allotment schema, version 8, H2 2.x: the leases of fleet runs.
--
-- Idempotent like V1 to V7 (IF NOT EXISTS): H2 commits each DDL statement on its own, so a
-- migration cut short is completed by running it again.
-- V1 to V7 are never edited: databases already at version 7 get this table from this script, and
-- keep every row they hold.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- One row per partition of a fleet run; see the PostgreSQL script. On H2 claims queue on the
-- run's partition 0 row (plain FOR UPDATE) instead of SKIP LOCKED: see JdbcRunLeases.
CREATE TABLE IF NOT EXISTS allotment_run_partition (
  run_id           VARCHAR(100) NOT NULL,
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
