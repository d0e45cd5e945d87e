-- Allotment schema, version 1, H2 2.x: catalog, assignments, charge journal, credit ledger, spend.
--
-- H2 commits every DDL statement on its own, so a migration cannot be one transaction here.
-- Instead every statement is idempotent (IF NOT EXISTS): a migration cut short, or run by two
-- starters at once, is completed by running it again. Keep later H2 scripts idempotent too.
--
-- Conventions: money is NUMERIC(19, 6) next to a CHAR(3) ISO 4217 currency; billing dates are
-- DATE; instants are TIMESTAMP WITH TIME ZONE. H2 compares strings by Java's String.compareTo
-- already, which keyset paging relies on. Free text is VARCHAR (H2's TEXT would be a CLOB).
-- Statements end with a semicolon at the end of a line; the runner splits on that.

CREATE TABLE IF NOT EXISTS allotment_package (
  id                         VARCHAR(100) NOT NULL,
  name                       VARCHAR NOT NULL,
  description                VARCHAR NOT NULL,
  currency                   CHAR(3) NOT NULL,
  retail                     NUMERIC(19, 6) NOT NULL,
  cost                       NUMERIC(19, 6) NOT NULL,
  setup_retail               NUMERIC(19, 6) NOT NULL,
  setup_cost                 NUMERIC(19, 6) NOT NULL,
  frequency                  VARCHAR(16) NOT NULL,
  frequency_match            VARCHAR(200) NOT NULL,
  minimum_days               INTEGER NOT NULL,
  types                      VARCHAR(200) NOT NULL,
  destination                VARCHAR,
  minimum_spend              BOOLEAN NOT NULL,
  features                   VARCHAR NOT NULL,
  first_period               VARCHAR(16) NOT NULL,
  month_end                  VARCHAR(16) NOT NULL,
  rounding_increment_seconds INTEGER NOT NULL,
  defined_at                 TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT allotment_package_pk PRIMARY KEY (id),
  CONSTRAINT allotment_package_amounts_ck CHECK (retail >= 0 AND cost >= 0 AND setup_retail >= 0 AND setup_cost >= 0)
);

CREATE TABLE IF NOT EXISTS allotment_assignment (
  id                    VARCHAR(100) NOT NULL,
  customer_id           VARCHAR(100) NOT NULL,
  did                   VARCHAR(32),
  package_id            VARCHAR(100) NOT NULL,
  quantity              INTEGER NOT NULL,
  start_date            DATE NOT NULL,
  end_date              DATE,
  auto_decrement_credit BOOLEAN NOT NULL,
  minutes               INTEGER,
  reprice_from          DATE,
  CONSTRAINT allotment_assignment_pk PRIMARY KEY (id),
  CONSTRAINT allotment_assignment_package_fk FOREIGN KEY (package_id) REFERENCES allotment_package (id),
  CONSTRAINT allotment_assignment_quantity_ck CHECK (quantity >= 1),
  CONSTRAINT allotment_assignment_dates_ck CHECK (end_date IS NULL OR end_date >= start_date)
);

-- The per-customer keyset page: WHERE customer_id = ? AND id > ? ORDER BY id.
CREATE INDEX IF NOT EXISTS allotment_assignment_customer_ix ON allotment_assignment (customer_id, id);

-- One row per committed line. No foreign key to allotment_assignment: the journal is the record of
-- what was charged and must accept lines of assignments a host keeps in another store (the SPI lets
-- a host mix stores); the package reference stays, because a line must be in its package's currency.
CREATE TABLE IF NOT EXISTS allotment_charge_line (
  assignment_id     VARCHAR(100) NOT NULL,
  kind              VARCHAR(16) NOT NULL,
  key_period_start  DATE NOT NULL,
  key_sequence      INTEGER NOT NULL,
  customer_id       VARCHAR(100) NOT NULL,
  did               VARCHAR(32),
  package_id        VARCHAR(100) NOT NULL,
  period_start      DATE NOT NULL,
  period_end        DATE NOT NULL,
  due_date          DATE NOT NULL,
  -- GREATEST(due_date, period_end): a history needs exactly the lines whose reach is on or after
  -- its cutoff, which one index range scan per assignment finds.
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
  committed_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT allotment_charge_line_pk PRIMARY KEY (assignment_id, kind, key_period_start, key_sequence),
  CONSTRAINT allotment_charge_line_package_fk FOREIGN KEY (package_id) REFERENCES allotment_package (id),
  CONSTRAINT allotment_charge_line_reach_ck CHECK (reach_date >= due_date AND reach_date >= period_end)
);

CREATE INDEX IF NOT EXISTS allotment_charge_line_reach_ix ON allotment_charge_line (assignment_id, reach_date);

-- Per assignment, the date through which every line due has been decided; only ever raised.
CREATE TABLE IF NOT EXISTS allotment_watermark (
  assignment_id   VARCHAR(100) NOT NULL,
  decided_through DATE NOT NULL,
  CONSTRAINT allotment_watermark_pk PRIMARY KEY (assignment_id)
);

CREATE TABLE IF NOT EXISTS allotment_credit_entry (
  entry_key   VARCHAR(200) NOT NULL,
  customer_id VARCHAR(100) NOT NULL,
  debit       BOOLEAN NOT NULL,
  currency    CHAR(3) NOT NULL,
  amount      NUMERIC(19, 6) NOT NULL,
  posted_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT allotment_credit_entry_pk PRIMARY KEY (entry_key),
  CONSTRAINT allotment_credit_entry_amount_ck CHECK (amount > 0)
);

CREATE INDEX IF NOT EXISTS allotment_credit_entry_customer_ix ON allotment_credit_entry (customer_id, posted_at);

-- The running balance per customer and currency, kept in the entry's transaction.
CREATE TABLE IF NOT EXISTS allotment_credit_balance (
  customer_id VARCHAR(100) NOT NULL,
  currency    CHAR(3) NOT NULL,
  balance     NUMERIC(19, 6) NOT NULL,
  CONSTRAINT allotment_credit_balance_pk PRIMARY KEY (customer_id, currency)
);

-- Customers' spend (package charges excluded), filled by the host; minimum-spend packages sum it.
CREATE TABLE IF NOT EXISTS allotment_spend (
  entry_key   VARCHAR(200) NOT NULL,
  customer_id VARCHAR(100) NOT NULL,
  spend_date  DATE NOT NULL,
  currency    CHAR(3) NOT NULL,
  amount      NUMERIC(19, 6) NOT NULL,
  recorded_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT allotment_spend_pk PRIMARY KEY (entry_key),
  CONSTRAINT allotment_spend_amount_ck CHECK (amount >= 0)
);

CREATE INDEX IF NOT EXISTS allotment_spend_customer_ix ON allotment_spend (customer_id, spend_date);
