package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BadInputCorpusChecks} on Postgres. */
final class PostgresBadInputCorpusTest extends BadInputCorpusChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  @Override
  BillingStores freshStores() {
    return DB.freshStores();
  }

  @Override
  Optional<DataSource> dataSource() {
    return Optional.of(DB.dataSource());
  }
}
