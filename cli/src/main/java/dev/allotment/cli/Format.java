package dev.allotment.cli;

import dev.allotment.core.Money;
import java.math.RoundingMode;

/** How amounts and seconds read in tables. Stateless. */
final class Format {
  private Format() {}

  /** The amount at its currency's scale ({@code 5.00}); an amount finer than that keeps its digits. */
  static String money(Money money) {
    int digits = money.currency().getDefaultFractionDigits();
    return (money.isRounded() ? money.amount().setScale(digits, RoundingMode.UNNECESSARY) : money.amount())
        .toPlainString();
  }

  /** Seconds as {@code m:ss}, e.g. {@code 16:40} for 1000. */
  static String minutes(long seconds) {
    return (seconds / 60) + ":" + String.format("%02d", seconds % 60);
  }
}
