package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BadInputCorpusChecks} on H2. */
final class H2BadInputCorpusTest extends BadInputCorpusChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.h2();

  @Override
  BillingStores freshStores() {
    return DB.freshStores();
  }

  @Override
  Optional<DataSource> dataSource() {
    return Optional.of(DB.dataSource());
  }
}
