package dev.allotment.core;

/** The rule of every builder in this package: each setter may be called once. */
final class SetOnce {
  private SetOnce() {}

  /**
   * Throws when {@code current} is already set: a second call of a setter is a bug in the caller,
   * and silently keeping the last value would hide it.
   */
  static void check(Object current, String field) {
    if (current != null) {
      throw new IllegalStateException(field + " is already set");
    }
  }
}
