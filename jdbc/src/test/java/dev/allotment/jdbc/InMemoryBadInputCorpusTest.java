package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.InMemoryStores;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link BadInputCorpusChecks} on the in-memory stores. */
final class InMemoryBadInputCorpusTest extends BadInputCorpusChecks {
  @Override
  BillingStores freshStores() {
    return new InMemoryStores();
  }

  @Override
  Optional<DataSource> dataSource() {
    return Optional.empty();
  }
}
