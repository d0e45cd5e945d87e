package dev.allotment.core;

/** Behaviours a package can have besides its charges. */
public enum PackageType {
  /** Each period grants the assignment's minutes, limited by the package's destination pattern. */
  FREE_MINUTES
}
