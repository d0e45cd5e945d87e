-- Allotment schema, version 9, PostgreSQL: destination patterns of up to 16,000 characters on grants.
--
-- Applied by dev.allotment.jdbc.Migrations in one transaction under an advisory lock, like V1.
-- V1 to V8 are never edited: databases already at version 8 get these changes from this script.
-- Conventions as in V1 to V8.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- A destination of 2,000 prefixes (a real bundle of country and area codes) takes up to 16,000
-- characters; DestinationPattern.MAX_LENGTH is the same bound. Widening keeps every row.
ALTER TABLE allotment_free_minute_grant ALTER COLUMN destination TYPE VARCHAR(16000);
