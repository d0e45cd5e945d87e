-- Allotment schema, version 10, PostgreSQL: each assignment's customer hash, for partitions.
--
-- Applied by dev.allotment.jdbc.Migrations in one transaction under an advisory lock, like V1.
-- V1 to V9 are never edited: databases already at version 9 get these changes from this script.
-- Conventions as in V1 to V9.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- The customer id's String.hashCode() (specified by the JDK, so every node computes the same), so
-- that a partition of a run (floorMod(hash, n) = i) reads its own rows only. The migration's Java
-- step fills it for the rows it finds; every write sets it; a row left NULL (written by an older
-- release after this script ran) is read by every partition and kept by its own in Java.
ALTER TABLE allotment_assignment ADD COLUMN customer_hash INTEGER;
