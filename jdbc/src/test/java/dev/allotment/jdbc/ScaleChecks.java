package dev.allotment.jdbc;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.recurring;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Money;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger.Posting;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stores at more than one page, statement or query of data: keyset paging over 10,000
 * assignments, and batches and history reads larger than one chunk.
 */
abstract class ScaleChecks {
  private static final int ASSIGNMENTS = 10_000;

  private JdbcStores stores;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    stores = Fixtures.withContractPackages(db().freshStores());
  }

  /**
   * Ids with upper case, lower case, digits and punctuation: code point order differs from any
   * linguistic collation's, so a database comparing them linguistically would page out of order.
   */
  private static String id(int i) {
    String[] prefixes = {"A", "a", "Z", "_", "b", "B-", "a-", "0"};
    return prefixes[i % prefixes.length] + Integer.toString(i * 7919 % 100_003, 36);
  }

  private List<String> seed() throws SQLException {
    List<String> ids = new ArrayList<>();
    // Written straight to the table: this checks paging, not ten thousand add() round trips.
    try (Connection connection = db().dataSource().getConnection();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO allotment_assignment"
            + " (id, customer_id, package_id, quantity, start_date, auto_decrement_credit) VALUES (?, ?, 'p1', 1, ?, FALSE)")) {
      for (int i = 0; i < ASSIGNMENTS; i++) {
        insert.setString(1, id(i));
        insert.setString(2, "c" + (i % 10));
        insert.setObject(3, JAN_1);
        insert.addBatch();
        ids.add(id(i));
      }
      insert.executeBatch();
    }
    ids.sort(String::compareTo);
    return ids;
  }

  @Test
  void keysetPagesWalkTenThousandAssignmentsOnceInStringOrder() throws SQLException {
    List<String> expected = seed();
    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    int pages = 0;
    List<Assignment> page;
    do {
      page = stores.assignments().page(Optional.empty(), after, 997);
      pages++;
      page.forEach(a -> seen.add(a.id()));
      after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1).id());
    } while (page.size() == 997);
    assertEquals(expected, seen);
    assertEquals(ASSIGNMENTS / 997 + 1, pages);
  }

  @Test
  void customerPagesWalkOneCustomersAssignmentsInStringOrder() throws SQLException {
    seed();
    List<String> expected = new ArrayList<>();
    for (int i = 3; i < ASSIGNMENTS; i += 10) {
      expected.add(id(i));
    }
    expected.sort(String::compareTo);
    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    List<Assignment> page;
    do {
      page = stores.assignments().page(Optional.of("c3"), after, 64);
      page.forEach(a -> seen.add(a.id()));
      after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1).id());
    } while (!page.isEmpty());
    assertEquals(expected, seen);
  }

  @Test
  void commitsAndHistoriesLargerThanOneChunk() {
    int assignments = JdbcChargeJournal.CHUNK * 2 + 500;
    List<ChargeLine> lines = new ArrayList<>();
    Map<String, LocalDate> watermarks = new HashMap<>();
    List<HistoryRequest> requests = new ArrayList<>();
    for (int a = 0; a < assignments; a++) {
      String id = "a-" + a;
      for (int m = 0; m < 3; m++) {
        lines.add(recurring(id, JAN_1.plusMonths(m), "10.00"));
      }
      watermarks.put(id, JAN_1.plusMonths(2));
      // Every third assignment is being repriced from mid-February: its tail reaches back one more month.
      requests.add(new HistoryRequest(id, a % 3 == 0 ? Optional.of(LocalDate.of(2026, 2, 10)) : Optional.empty()));
    }
    requests.add(new HistoryRequest("never-charged", Optional.empty()));
    assertEquals(BatchResult.committed(lines.size()), stores.unitOfWork().commit(Fixtures.lines(lines, watermarks)));
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(Fixtures.lines(lines, watermarks)));

    Map<String, ChargeHistory> histories = stores.journal().histories(requests);
    for (int a = 0; a < assignments; a++) {
      String id = "a-" + a;
      List<LocalDate> expected = a % 3 == 0 ? List.of(JAN_1.plusMonths(1), JAN_1.plusMonths(2))
          : List.of(JAN_1.plusMonths(2));
      ChargeHistory history = histories.get(id);
      assertEquals(Optional.of(JAN_1.plusMonths(2)), history.decidedThrough(), id);
      assertEquals(expected, history.lines().stream().map(l -> l.period().start()).toList(), id);
    }
    assertEquals(ChargeHistory.EMPTY, histories.get("never-charged"));
  }

  private static Posting debit(String key, String customer, Money amount) {
    return new Posting(new CreditEntry(key, customer, amount), true);
  }

  @Test
  void postingsLargerThanOneChunkApplyEachKeyOnce() {
    int count = JdbcChargeJournal.CHUNK * 2 + 500;
    stores.unitOfWork().commit(ChargeBatch.builder().postings(List.of(debit("held", "c0", usd("1.00")))).build());
    List<Posting> postings = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      postings.add(debit("k-" + (count - i), "c" + (i % 7), usd("0.01")));
    }
    postings.add(debit("held", "c0", usd("1.00")));
    ChargeBatch batch = ChargeBatch.builder().postings(postings).build();
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(batch));
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(batch));
    Currency usd = Currency.getInstance("USD");
    long total = 0;
    for (int c = 0; c < 7; c++) {
      total += stores.creditLedger().balance("c" + c, usd).amount().movePointRight(2).longValueExact();
    }
    assertEquals(-(count + 100), total);
  }

  /**
   * A batch debiting many customers, more than a chunk of balances, in two currencies: every
   * balance moves by its customer's sum, and the whole batch takes a few statements, not one per
   * customer (which would make a CHARGE run of auto-decrement lines cost a round trip per line).
   */
  @Test
  void postingsOfThousandsOfCustomersMoveEveryBalanceInAFewStatements() throws SQLException {
    int customers = JdbcChargeJournal.CHUNK * 2 + 500;
    List<Posting> postings = new ArrayList<>();
    for (int c = 0; c < customers; c++) {
      postings.add(debit("usd-" + c, "customer-" + c, usd("1.25")));
      postings.add(debit("eur-" + c, "customer-" + c, Money.of("0.50", "EUR")));
      if (c % 2 == 0) {
        postings.add(debit("usd-again-" + c, "customer-" + c, usd("0.75")));
      }
    }
    CrashingDataSource counting = new CrashingDataSource(db().dataSource());
    JdbcStores countingStores = JdbcStores.builder(counting).dialect(db().dialect()).migrateOnStart(false).build();
    counting.arm(CrashingDataSource.Mode.STATEMENTS, Integer.MAX_VALUE);

    assertEquals(BatchResult.committed(0), countingStores.unitOfWork().commit(ChargeBatch.builder()
        .postings(postings).build()));

    // PostgreSQL: the batch's writes (entries and their balances) in one statement per chunk of entries.
    // H2: one batch of entries, then the balances (one per customer and currency) in batches of a chunk.
    int chunk = JdbcChargeJournal.CHUNK;
    int expected = db().dialect() == JdbcStores.Dialect.POSTGRESQL ? (postings.size() + chunk - 1) / chunk
        : 1 + (2 * customers + chunk - 1) / chunk;
    assertEquals(expected, counting.statements(), "statements for " + postings.size() + " postings of " + customers
        + " customers");
    Map<String, BigDecimal> balances = new HashMap<>();
    try (Connection connection = db().dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT customer_id, currency, balance FROM allotment_credit_balance")) {
      while (rs.next()) {
        balances.put(rs.getString(1) + " " + rs.getString(2), rs.getBigDecimal(3).setScale(2));
      }
    }
    Map<String, BigDecimal> want = new HashMap<>();
    for (int c = 0; c < customers; c++) {
      want.put("customer-" + c + " USD", new BigDecimal(c % 2 == 0 ? "-2.00" : "-1.25"));
      want.put("customer-" + c + " EUR", new BigDecimal("-0.50"));
    }
    assertEquals(want, balances);
    assertEquals(usd("-2.00"), stores.creditLedger().balance("customer-2498", Currency.getInstance("USD")));
  }
}
