package dev.allotment.bench;

/** The phases of a JdbcChargeBench round, in the order they run. Immutable. */
enum ChargePhase {
  RAW_FIRST("raw INSERT, empty table", false),
  PLAIN_FIRST("plain CHARGE, first run", false),
  BUNDLE_FIRST("bundle CHARGE, first run", true),
  RAW_STEADY("raw INSERT, one month held", false),
  PLAIN_STEADY("plain CHARGE, steady run", false),
  BUNDLE_STEADY("bundle CHARGE, steady run", true);

  final String label;
  final boolean bundle;

  ChargePhase(String label, boolean bundle) {
    this.label = label;
    this.bundle = bundle;
  }
}
