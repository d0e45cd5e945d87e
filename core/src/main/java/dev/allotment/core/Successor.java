package dev.allotment.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The assignment a plan change starts: the same customer, DID, auto-decrement, end date and billing
 * days as the assignment it replaces, with a new package and/or quantity. Free minutes per unit are
 * carried when the new package grants free minutes; own prices only when the package stays the
 * same. Its {@link Assignment#previous()} names the replaced assignment, so it charges no setup on
 * the same package and its first period is never free.
 *
 * <p>Thread-safe (stateless).
 */
public final class Successor {
  private Successor() {}

  /**
   * The successor of {@code predecessor} starting on {@code effective}, with id {@link #id},
   * carrying its free minutes per unit.
   *
   * @param predecessor the assignment the change replaces
   * @param newPackage the successor's package
   * @param newQuantity the successor's quantity
   * @param effective the successor's first day
   * @return the successor, at version 0
   * @throws IllegalArgumentException naming the field when the successor would break a rule
   *     (minutes missing for a free-minutes package, an end date before effective)
   */
  public static Assignment of(Assignment predecessor, ServicePackage newPackage, int newQuantity, LocalDate effective) {
    return of(predecessor, newPackage, newQuantity, OptionalInt.empty(), effective);
  }

  /**
   * The successor of {@code predecessor} starting on {@code effective}, with id {@link #id}.
   *
   * @param predecessor the assignment the change replaces
   * @param newPackage the successor's package
   * @param newQuantity the successor's quantity
   * @param newMinutes its free minutes per period and unit; empty to carry the predecessor's
   * @param effective the successor's first day
   * @return the successor, at version 0
   * @throws IllegalArgumentException naming the field when the successor would break a rule
   *     (minutes missing for a free-minutes package or given for another, an end date before effective)
   */
  public static Assignment of(Assignment predecessor, ServicePackage newPackage, int newQuantity,
      OptionalInt newMinutes, LocalDate effective) {
    Objects.requireNonNull(predecessor, "predecessor");
    Objects.requireNonNull(newMinutes, "newMinutes");
    Objects.requireNonNull(newPackage, "newPackage");
    AssignmentBuilder b = Assignment.builder(id(predecessor.id(), effective)).customerId(predecessor.customerId())
        .packageId(newPackage.id()).quantity(newQuantity).startDate(effective)
        .autoDecrementCredit(predecessor.autoDecrementCredit()).previous(Predecessor.of(predecessor))
        .scheduleAnchor(predecessor.scheduleAnchor());
    predecessor.did().ifPresent(b::did);
    predecessor.endDate().ifPresent(b::endDate);
    if (newMinutes.isPresent() && !newPackage.grantsFreeMinutes()) {
      throw new IllegalArgumentException("newMinutes is only allowed for a free-minutes package, was "
          + newMinutes.getAsInt() + " for package '" + newPackage.id() + "'");
    }
    if (newPackage.grantsFreeMinutes()) {
      OptionalInt minutes = newMinutes.isPresent() ? newMinutes : predecessor.minutes();
      b.minutes(minutes.orElseThrow(() -> new IllegalArgumentException("newMinutes is required for free-minutes"
          + " package '" + newPackage.id() + "': assignment '" + predecessor.id() + "' has no minutes to carry over")));
    }
    if (newPackage.id().equals(predecessor.packageId())) {
      b.ownPrices(predecessor.ownPrices());
    }
    return b.build();
  }

  /**
   * The id of the successor of assignment {@code id} starting on {@code effective}:
   * {@code id~effective}, with the id shortened and a hash of it added when the whole would pass
   * {@link Ids#MAX_LENGTH}. The same change asked twice names the same successor.
   *
   * @param id the replaced assignment's id
   * @param effective the successor's first day
   * @return the successor's id
   */
  public static String id(String id, LocalDate effective) {
    Ids.require("id", id);
    String suffix = "~" + Objects.requireNonNull(effective, "effective");
    if (id.codePointCount(0, id.length()) + suffix.length() <= Ids.MAX_LENGTH) {
      return id + suffix;
    }
    String hash = "-" + sha256Hex(id).substring(0, 12);
    int keep = Ids.MAX_LENGTH - suffix.length() - hash.length();
    return id.substring(0, id.offsetByCodePoints(0, keep)) + hash + suffix;
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
