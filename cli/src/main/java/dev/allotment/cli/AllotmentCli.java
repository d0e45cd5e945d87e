package dev.allotment.cli;

/**
 * The {@code allotment} command line: the source system's "Run Package" dialog and the rest of an
 * operator's work (catalog, assignments, runs, calls, free minutes, credit) from a terminal, on an
 * embedded H2 database under {@code ./allotment-data/} or on PostgreSQL ({@code --jdbc-url}).
 * {@code bin/allotment} starts it; {@code allotment --help} lists the commands, and
 * {@code docs/guide/cli.md} describes each.
 *
 * <p>Exit codes: 0 done; 1 refused input (an unknown customer or package, a malformed file, a
 * rule the input breaks), with nothing written; 2 bad usage (an unknown option, a malformed
 * option value); 3 the database cannot be reached, opened or migrated; 4 an internal error.
 *
 * <p>Not instantiable: the program is {@link #main(String[])}.
 */
public final class AllotmentCli {
  private AllotmentCli() {}

  /**
   * Runs one command and exits the JVM with its exit code.
   *
   * @param args the command and its options, e.g. {@code run --date 2026-07-01 --simulate}
   */
  public static void main(String[] args) {
    System.exit(RootCommand.execute(Env.system(), args));
  }
}
