-- Allotment schema, version 11, H2: event pages, several events of one commit in one row.
--
-- Applied by dev.allotment.jdbc.Migrations in one transaction under an advisory lock, like V1.
-- V1 to V10 are never edited: databases already at version 10 get these changes from this script.
-- Conventions as in V1 to V10.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- A CHARGE batch's events whose effect is itself keyed (LINE_CHARGED and GRANT_CUT of a line,
-- GRANT_ISSUED of a grant, CREDIT_POSTED of a credit entry) are written only when their effect is
-- new, so their ids need no unique index: a few of them share one row, numbered first_cursor to
-- last_cursor with no gap, one event per line of events (type, id, customer and payload, separated
-- by tabs; backslash, tab and newline escaped with a backslash). Cursors come from
-- allotment_event_cursor like allotment_event's, so both tables are read as one sequence.
-- Retention deletes a page whose last event it deletes, and otherwise raises deleted_through.
-- The H2 stores (embedded: a row costs no round trip) write every event as a row of allotment_event;
-- they read this table too, so a database moved between the dialects reads alike.
CREATE TABLE IF NOT EXISTS allotment_event_page (
  first_cursor    BIGINT NOT NULL,
  last_cursor     BIGINT NOT NULL,
  committed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  deleted_through BIGINT NOT NULL DEFAULT 0,
  events          CHARACTER LARGE OBJECT NOT NULL,
  CONSTRAINT allotment_event_page_pk PRIMARY KEY (first_cursor),
  CONSTRAINT allotment_event_page_range_ck CHECK (last_cursor >= first_cursor)
);
