package host;

import dev.allotment.core.Frequency;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.PackageBilling;
import dev.allotment.jdbc.JdbcStores;
import dev.allotment.spi.BillingClock;
import java.time.ZoneId;
import org.h2.jdbcx.JdbcConnectionPool;

/** A host that brought its own driver (H2; allotment-jdbc's is optional) and stores in it. */
public final class HostOnH2 {
  private HostOnH2() {}

  public static void main(String[] args) {
    JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:host;DB_CLOSE_DELAY=-1", "sa", "");
    try {
      PackageBilling billing = PackageBilling.builder().clock(BillingClock.system(ZoneId.of("UTC")))
          .stores(JdbcStores.create(pool)).build();
      billing.define(ServicePackage.builder("uk-500").name("500 UK minutes").currency("GBP").retail("5.00")
          .frequency(Frequency.MONTHLY).build());
      System.out.println("host-on-h2 export: " + billing.exportCatalog());
    } finally {
      pool.dispose();
    }
  }
}
