/**
 * Allotment's stores over plain JDBC: PostgreSQL for production, H2 2.x as the embedded default.
 *
 * <p>Start at {@link dev.allotment.jdbc.JdbcStores}, which detects the database, migrates its
 * schema and hands out every SPI store ({@code PackageCatalog}, {@code AssignmentStore},
 * {@code ChargeJournal}, {@code CreditLedger}, {@code FreeMinuteStore}) and a
 * {@link dev.allotment.jdbc.SpendStore}.
 * Everything else in this package is implementation.
 *
 * <p>How the stores keep billing honest when many nodes share one database:
 * <ul>
 *   <li>Every write is keyed and insert-if-absent (PostgreSQL {@code INSERT ... ON CONFLICT DO
 *       NOTHING}, H2 {@code MERGE ... WHEN NOT MATCHED}); primary keys on the line key, the credit
 *       entry key, the assignment id and the package id make a second copy impossible.
 *   <li>Each store call is one transaction on a connection of its own; a charge commit stores its
 *       lines and watermarks together or not at all.
 *   <li>Compare-and-set, covered debits and taking free seconds from a grant are single conditional
 *       {@code UPDATE}s, never a read in Java followed by a write.
 *   <li>Rows are written in key order so concurrent writers cannot deadlock; conflicts the database
 *       still reports are retried a bounded number of times.
 * </ul>
 */
package dev.allotment.jdbc;
