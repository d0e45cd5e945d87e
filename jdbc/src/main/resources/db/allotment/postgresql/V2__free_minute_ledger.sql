-- Allotment schema, version 2, PostgreSQL: the free-minute ledger (grants, consumed calls, takes).
--
-- Applied by dev.allotment.jdbc.Migrations in one transaction under an advisory lock, like V1.
-- V1 is never edited: databases already at version 1 get these tables from this script.
--
-- Conventions as in V1. Seconds are BIGINT (a grant may hold up to Long.MAX_VALUE seconds);
-- instants are TIMESTAMP WITH TIME ZONE, whose microsecond precision the store checks before
-- writing, so a stored grant or call reads back equal to the one written.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- One row per grant. used_seconds is the only column that ever changes after the insert, and
-- only through one conditional UPDATE; the CHECK is the last line of defence for the invariant
-- 0 <= used <= allocated that the store's statements already keep.
CREATE TABLE allotment_free_minute_grant (
  id                         VARCHAR(200) COLLATE "C" NOT NULL,
  assignment_id              VARCHAR(100) COLLATE "C" NOT NULL,
  customer_id                VARCHAR(100) COLLATE "C" NOT NULL,
  did                        VARCHAR(32),
  destination                VARCHAR(4000),
  allocated_seconds          BIGINT NOT NULL,
  used_seconds               BIGINT NOT NULL DEFAULT 0,
  valid_from                 TIMESTAMP WITH TIME ZONE NOT NULL,
  valid_until                TIMESTAMP WITH TIME ZONE,
  rounding_increment_seconds INTEGER NOT NULL,
  granted_at                 TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT allotment_free_minute_grant_pk PRIMARY KEY (id),
  CONSTRAINT allotment_free_minute_grant_used_ck CHECK (used_seconds >= 0 AND used_seconds <= allocated_seconds),
  CONSTRAINT allotment_free_minute_grant_validity_ck CHECK (valid_until IS NULL OR valid_until > valid_from),
  CONSTRAINT allotment_free_minute_grant_rounding_ck CHECK (rounding_increment_seconds BETWEEN 1 AND 3600)
);

-- A call's grants: WHERE customer_id = ? AND valid_from <= ? ... ORDER BY valid_from, id.
CREATE INDEX allotment_free_minute_grant_customer_ix ON allotment_free_minute_grant (customer_id, valid_from, id);

-- One row per consumed call, keyed by the switch's usage id: the primary key is what makes a call
-- consume once. Every field of the usage record is kept, so a replay returns the stored result and
-- the ledger can tell a reused id with other content. A refund deletes the row.
CREATE TABLE allotment_free_minute_usage (
  usage_id         VARCHAR(100) COLLATE "C" NOT NULL,
  customer_id      VARCHAR(100) COLLATE "C" NOT NULL,
  did              VARCHAR(32),
  dialed_number    VARCHAR(32) NOT NULL,
  call_start       TIMESTAMP WITH TIME ZONE NOT NULL,
  duration_seconds BIGINT NOT NULL,
  rounded_seconds  BIGINT NOT NULL,
  consumed_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT allotment_free_minute_usage_pk PRIMARY KEY (usage_id),
  CONSTRAINT allotment_free_minute_usage_seconds_ck
    CHECK (duration_seconds >= 0 AND rounded_seconds >= duration_seconds AND rounded_seconds <= duration_seconds + 3599)
);

-- What a consumed call took from each grant, in the order it took it (take_order 0, 1, ...).
CREATE TABLE allotment_free_minute_take (
  usage_id   VARCHAR(100) COLLATE "C" NOT NULL,
  take_order INTEGER NOT NULL,
  grant_id   VARCHAR(200) COLLATE "C" NOT NULL,
  seconds    BIGINT NOT NULL,
  CONSTRAINT allotment_free_minute_take_pk PRIMARY KEY (usage_id, take_order),
  CONSTRAINT allotment_free_minute_take_usage_fk FOREIGN KEY (usage_id) REFERENCES allotment_free_minute_usage (usage_id),
  CONSTRAINT allotment_free_minute_take_grant_fk FOREIGN KEY (grant_id) REFERENCES allotment_free_minute_grant (id),
  CONSTRAINT allotment_free_minute_take_seconds_ck CHECK (seconds > 0)
);
