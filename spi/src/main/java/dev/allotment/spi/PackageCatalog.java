package dev.allotment.spi;

import dev.allotment.core.ServicePackage;
import java.util.List;
import java.util.Optional;

/**
 * The host's catalog of packages.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Thread-safe: any method may be called from any thread at any time.
 *   <li>{@link #define} is an upsert keyed by package id: storing the same package twice is a
 *       no-op; storing a changed package replaces it. (Which changes are allowed is the engine's
 *       business, not the store's.)
 *   <li>Reads see every completed {@link #define}.
 *   <li>Failures of the underlying storage surface as unchecked exceptions; nothing is half-stored.
 * </ul>
 */
public interface PackageCatalog {
  /**
   * Stores or replaces the package with this id.
   *
   * @param servicePackage the package
   */
  void define(ServicePackage servicePackage);

  /**
   * The package with this id.
   *
   * @param packageId the package id
   * @return the package, or empty when the catalog has no package with this id
   */
  Optional<ServicePackage> find(String packageId);

  /** {@return every package, in id order} Catalogs are small (thousands at most), so this is a list. */
  List<ServicePackage> all();
}
