package dev.allotment.core;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * An assignment's own unit prices: a negotiated or grandfathered recurring retail and cost, setup
 * retail and setup cost, each in the package's currency and per unit of quantity. A price left
 * out is the package's, as the catalog holds it when a line is planned; one given replaces it for
 * every line planned from then on. Lines already charged keep the prices they were charged at
 * (their unit price is in the journal), so changing an assignment's own prices never touches them.
 *
 * <p>Each price is not negative and within {@link Limits#unitAmount}; it is kept without trailing
 * zeros ({@code 25.50} is kept as {@code 25.5}), so a price reads back equal from every store.
 *
 * <p>Immutable and thread-safe.
 */
public final class OwnPrices {
  /** No own price: every line at the package's prices. */
  public static final OwnPrices NONE = new OwnPrices(null, null, null, null);

  private final BigDecimal retail;
  private final BigDecimal cost;
  private final BigDecimal setupRetail;
  private final BigDecimal setupCost;

  private OwnPrices(BigDecimal retail, BigDecimal cost, BigDecimal setupRetail, BigDecimal setupCost) {
    this.retail = retail;
    this.cost = cost;
    this.setupRetail = setupRetail;
    this.setupCost = setupCost;
  }

  /**
   * A copy with {@code retail} as the own recurring retail per unit.
   *
   * @param retail the price, not negative, within {@link Limits#unitAmount}
   * @return the prices with it
   * @throws IllegalArgumentException naming the field when the price is out of bounds
   */
  public OwnPrices withRetail(BigDecimal retail) {
    return new OwnPrices(price("retail", retail), cost, setupRetail, setupCost);
  }

  /**
   * A copy with {@code cost} as the own recurring cost per unit.
   *
   * @param cost the cost, not negative, within {@link Limits#unitAmount}
   * @return the prices with it
   * @throws IllegalArgumentException naming the field when the cost is out of bounds
   */
  public OwnPrices withCost(BigDecimal cost) {
    return new OwnPrices(retail, price("cost", cost), setupRetail, setupCost);
  }

  /**
   * A copy with {@code setupRetail} as the own setup retail per unit ({@code 0} waives the fee).
   *
   * @param setupRetail the fee, not negative, within {@link Limits#unitAmount}
   * @return the prices with it
   * @throws IllegalArgumentException naming the field when the fee is out of bounds
   */
  public OwnPrices withSetupRetail(BigDecimal setupRetail) {
    return new OwnPrices(retail, cost, price("setupRetail", setupRetail), setupCost);
  }

  /**
   * A copy with {@code setupCost} as the own setup cost per unit.
   *
   * @param setupCost the cost, not negative, within {@link Limits#unitAmount}
   * @return the prices with it
   * @throws IllegalArgumentException naming the field when the cost is out of bounds
   */
  public OwnPrices withSetupCost(BigDecimal setupCost) {
    return new OwnPrices(retail, cost, setupRetail, price("setupCost", setupCost));
  }

  private static BigDecimal price(String field, BigDecimal amount) {
    Limits.unitAmount(field, amount);
    if (amount.signum() < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, was " + Limits.shown(amount));
    }
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** {@return the own recurring retail per unit; empty for the package's} */
  public Optional<BigDecimal> retail() {
    return Optional.ofNullable(retail);
  }

  /** {@return the own recurring cost per unit; empty for the package's} */
  public Optional<BigDecimal> cost() {
    return Optional.ofNullable(cost);
  }

  /** {@return the own setup retail per unit; empty for the package's} */
  public Optional<BigDecimal> setupRetail() {
    return Optional.ofNullable(setupRetail);
  }

  /** {@return the own setup cost per unit; empty for the package's} */
  public Optional<BigDecimal> setupCost() {
    return Optional.ofNullable(setupCost);
  }

  /** {@return true when no price is the assignment's own} */
  public boolean isEmpty() {
    return retail == null && cost == null && setupRetail == null && setupCost == null;
  }

  /** The recurring retail lines of {@code servicePackage} are planned at for this assignment. */
  Money retail(ServicePackage servicePackage) {
    return retail == null ? servicePackage.retail() : inCurrency(retail, servicePackage);
  }

  /** The recurring cost lines are planned at. */
  Money cost(ServicePackage servicePackage) {
    return cost == null ? servicePackage.cost() : inCurrency(cost, servicePackage);
  }

  /** The setup retail. */
  Money setupRetail(ServicePackage servicePackage) {
    return setupRetail == null ? servicePackage.setupRetail() : inCurrency(setupRetail, servicePackage);
  }

  /** The setup cost. */
  Money setupCost(ServicePackage servicePackage) {
    return setupCost == null ? servicePackage.setupCost() : inCurrency(setupCost, servicePackage);
  }

  private static Money inCurrency(BigDecimal amount, ServicePackage servicePackage) {
    // At the currency's scale, as the catalog keeps the package's prices: a line's unit price then
    // reads the same whichever store journaled it.
    return Money.of(amount, servicePackage.currency()).atCurrencyScale();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OwnPrices p && Objects.equals(retail, p.retail) && Objects.equals(cost, p.cost)
        && Objects.equals(setupRetail, p.setupRetail) && Objects.equals(setupCost, p.setupCost);
  }

  @Override
  public int hashCode() {
    return Objects.hash(retail, cost, setupRetail, setupCost);
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "OwnPrices[none]";
    }
    StringBuilder text = new StringBuilder("OwnPrices[");
    append(text, "retail", retail);
    append(text, "cost", cost);
    append(text, "setupRetail", setupRetail);
    append(text, "setupCost", setupCost);
    return text.append(']').toString();
  }

  private static void append(StringBuilder text, String name, BigDecimal price) {
    if (price != null) {
      text.append(text.charAt(text.length() - 1) == '[' ? "" : " ").append(name).append('=')
          .append(price.toPlainString());
    }
  }
}
