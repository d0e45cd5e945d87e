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
   * Stores or replaces every package of {@code packages} (ids distinct), all or nothing: when one
   * cannot be stored, none is. The engine imports a catalog document through this.
   *
   * <p>The default calls {@link #define} for each package in order, which is all or nothing only
   * when {@code define} cannot fail for a package core accepted (as in memory); a store that
   * writes to storage that can fail overrides it with one transaction.
   *
   * @param packages the packages, in order
   */
  default void defineAll(List<ServicePackage> packages) {
    java.util.Objects.requireNonNull(packages, "packages");
    packages.forEach(this::define);
  }

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
