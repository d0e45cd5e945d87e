/**
 * Allotment's stores over plain JDBC: PostgreSQL for production, H2 2.x as the embedded default.
 *
 * <p>Start at {@link dev.allotment.jdbc.JdbcStores}, which detects the database, migrates its
 * schema and is every SPI store at once ({@code BillingStores}: catalog, assignments, journal,
 * credit ledger, a {@link dev.allotment.jdbc.SpendStore}, free-minute store, and the unit of work
 * that commits a run's batch).
 * Everything else in this package is implementation.
 *
 * <p>How the stores keep billing honest when many nodes share one database:
 * <ul>
 *   <li>Every write is keyed and insert-if-absent (PostgreSQL {@code INSERT ... ON CONFLICT DO
 *       NOTHING}, H2 {@code MERGE ... WHEN NOT MATCHED}); primary keys on the line key, the credit
 *       entry key, the assignment id and the package id make a second copy impossible.
 *   <li>Each store call is one transaction on a connection of its own; a run's batch (lines,
 *       watermarks, grants, credit postings, cleared reprice markers) is one transaction, after
 *       its version and credit checks on locked rows, so it is stored whole or not at all.
 *   <li>Compare-and-set of an assignment's version and taking free seconds from a grant are single
 *       conditional {@code UPDATE}s, never a read in Java followed by a write.
 *   <li>Rows are written in key order so concurrent writers cannot deadlock; conflicts the database
 *       still reports are retried a bounded number of times.
 * </ul>
 */
package dev.allotment.jdbc;
