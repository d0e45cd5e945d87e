package dev.allotment.engine;

import dev.allotment.core.ServicePackage;
import dev.allotment.spi.PackageCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Defines packages in the catalog, refusing updates that would reinterpret lines already charged
 * (a new currency, frequency, frequency match, month end, first period, minimum spend or types).
 *
 * <p>Thread-safe; the check and the store are atomic within this engine only (the catalog SPI has
 * no compare-and-set).
 */
final class PackageChanges {
  private final PackageCatalog catalog;
  /** Serialises this engine's check-then-store. */
  private final Object lock = new Object();

  PackageChanges(PackageCatalog catalog) {
    this.catalog = catalog;
  }

  void define(ServicePackage servicePackage) {
    Objects.requireNonNull(servicePackage, "servicePackage");
    synchronized (lock) {
      catalog.find(servicePackage.id()).ifPresent(held -> checkCompatible(held, servicePackage));
      catalog.define(servicePackage);
    }
  }

  /** Checks every package against the held one before the first is stored, so a bad document stores nothing. */
  List<ServicePackage> importAll(List<ServicePackage> parsed) {
    synchronized (lock) {
      for (ServicePackage servicePackage : parsed) {
        catalog.find(servicePackage.id()).ifPresent(held -> checkCompatible(held, servicePackage));
      }
      // Every package passed the check under the lock (and a document names an id once), so
      // defining them cannot fail on it: store them without reading each one again.
      catalog.defineAll(parsed); // one transaction where the catalog has them: a failure stores nothing
    }
    return parsed;
  }

  private static void checkCompatible(ServicePackage held, ServicePackage updated) {
    List<String> changed = new ArrayList<>();
    compare(changed, "currency", held.currency().getCurrencyCode(), updated.currency().getCurrencyCode());
    compare(changed, "frequency", held.frequency(), updated.frequency());
    compare(changed, "frequencyMatch", "'" + held.frequencyMatch() + "'", "'" + updated.frequencyMatch() + "'");
    compare(changed, "monthEnd", held.monthEnd(), updated.monthEnd());
    compare(changed, "firstPeriod", held.firstPeriod(), updated.firstPeriod());
    compare(changed, "minimumSpend", held.minimumSpend(), updated.minimumSpend());
    compare(changed, "types", held.types(), updated.types());
    if (!changed.isEmpty()) {
      throw new PackageChangeException("package '" + held.id() + "' cannot change " + String.join(", ", changed)
          + ": lines already charged would be reinterpreted; define a new package instead");
    }
  }

  private static void compare(List<String> changed, String field, Object held, Object updated) {
    if (!held.equals(updated)) {
      changed.add(field + " (" + held + " -> " + updated + ")");
    }
  }
}
