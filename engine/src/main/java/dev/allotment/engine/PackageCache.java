package dev.allotment.engine;

import dev.allotment.core.ServicePackage;
import dev.allotment.spi.PackageCatalog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The packages one operation looked up, so that a run asks the catalog once per package, not once
 * per assignment (on JDBC a lookup is a transaction). Lives as long as the operation.
 *
 * <p>Thread-safe: a run's read-ahead thread and its committing thread share one.
 */
final class PackageCache {
  private final PackageCatalog catalog;
  private final Map<String, ServicePackage> packages = new ConcurrentHashMap<>();

  PackageCache(PackageCatalog catalog) {
    this.catalog = catalog;
  }

  /** The package an assignment names; {@link UnknownPackageException} when the catalog lacks it. */
  ServicePackage get(String packageId, String assignmentId) {
    ServicePackage held = packages.get(packageId);
    if (held != null) {
      return held;
    }
    ServicePackage found = catalog.find(packageId).orElseThrow(() -> new UnknownPackageException(
        "assignment '" + assignmentId + "' names package '" + packageId + "', which the catalog does not hold"));
    packages.put(packageId, found);
    return found;
  }
}
