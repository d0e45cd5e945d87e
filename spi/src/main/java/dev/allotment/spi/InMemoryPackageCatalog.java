package dev.allotment.spi;

import dev.allotment.core.ServicePackage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A {@link PackageCatalog} in memory: the embedded default.
 *
 * <p>Thread-safe.
 */
public final class InMemoryPackageCatalog implements PackageCatalog {
  private final ConcurrentSkipListMap<String, ServicePackage> packages = new ConcurrentSkipListMap<>();

  @Override
  public void define(ServicePackage servicePackage) {
    Objects.requireNonNull(servicePackage, "servicePackage");
    packages.put(servicePackage.id(), servicePackage);
  }

  @Override
  public Optional<ServicePackage> find(String packageId) {
    Objects.requireNonNull(packageId, "packageId");
    return Optional.ofNullable(packages.get(packageId));
  }

  @Override
  public List<ServicePackage> all() {
    return List.copyOf(packages.values());
  }
}
