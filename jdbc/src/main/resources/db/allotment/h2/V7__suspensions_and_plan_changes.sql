-- Allotment schema, version 7, H2 2.x: suspensions, plan changes, and revised grants.
--
-- Idempotent like V1 to V6 (IF NOT EXISTS, IF EXISTS): H2 commits each DDL statement on its own,
-- so a migration cut short is completed by running it again.
-- V1 to V6 are never edited: databases already at version 6 get these changes from this script.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- An assignment's suspensions (Suspension.format: 2026-03-10..2026-03-20,2026-05-01..; at most 150,
-- so within 4,000 characters); NULL or '' is none, so every assignment stored before this script is
-- not suspended.
ALTER TABLE allotment_assignment ADD COLUMN IF NOT EXISTS suspensions VARCHAR(4000);
-- The assignment a plan change replaced by this one (Predecessor): both NULL for one made by assign.
ALTER TABLE allotment_assignment ADD COLUMN IF NOT EXISTS previous_assignment_id VARCHAR(100);
ALTER TABLE allotment_assignment ADD COLUMN IF NOT EXISTS previous_package_id VARCHAR(100);
-- The date the package's frequency rule counts from; NULL is the start date.
ALTER TABLE allotment_assignment ADD COLUMN IF NOT EXISTS schedule_anchor DATE;

-- A revision (a GRANT_ADJUSTMENT line) may end a grant's validity at its start: a grant that serves
-- no call, kept for the calls that took from it. V2's check asked for an end after the start.
ALTER TABLE allotment_free_minute_grant DROP CONSTRAINT IF EXISTS allotment_free_minute_grant_validity_ck;
ALTER TABLE allotment_free_minute_grant ADD CONSTRAINT IF NOT EXISTS allotment_free_minute_grant_validity_ck
  CHECK (valid_until IS NULL OR valid_until >= valid_from);
