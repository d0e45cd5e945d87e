-- Allotment schema, version 6, PostgreSQL: an assignment's own prices.
--
-- Applied by dev.allotment.jdbc.Migrations in one transaction under an advisory lock, like V1.
-- V1 to V5 are never edited: databases already at version 5 get these changes from this script.
-- Conventions as in V1 to V5.
-- Statements end with a semicolon at the end of a line; the runner splits on that.

-- An assignment's own unit prices (OwnPrices): a negotiated or grandfathered recurring retail and
-- cost, setup retail and setup cost, per unit of quantity in the package's currency. NULL is the
-- package's price, so every assignment stored before this script keeps the package's prices.
ALTER TABLE allotment_assignment ADD COLUMN own_retail NUMERIC(19, 6);
ALTER TABLE allotment_assignment ADD COLUMN own_cost NUMERIC(19, 6);
ALTER TABLE allotment_assignment ADD COLUMN own_setup_retail NUMERIC(19, 6);
ALTER TABLE allotment_assignment ADD COLUMN own_setup_cost NUMERIC(19, 6);
