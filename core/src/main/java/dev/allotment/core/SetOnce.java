package dev.allotment.core;

/**
 * The rule of every builder in Allotment: each setter may be called once. A second call is a bug
 * in the caller, and silently keeping the last value would hide it.
 *
 * <p>Thread-safe (stateless).
 */
public final class SetOnce {
  private SetOnce() {}

  /**
   * Throws when {@code current} is already set (not null).
   *
   * @param current the setter's current value, null while unset
   * @param field the setter's name, for the message
   * @throws IllegalStateException naming the field
   */
  public static void check(Object current, String field) {
    if (current != null) {
      throw new IllegalStateException(field + " is already set");
    }
  }
}
