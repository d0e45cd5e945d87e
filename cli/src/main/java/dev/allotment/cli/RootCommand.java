package dev.allotment.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code allotment}: the options every command shares (where the database is, the billing zone,
 * quiet) and the commands. The options are inherited, so they may stand before or after the
 * command's name; their values land here, where {@link Storage} and the commands read them.
 */
@Command(name = "allotment", mixinStandardHelpOptions = true, versionProvider = Versions.class, scope = ScopeType.INHERIT,
    description = "Bill telecom packages: catalog, assignments, runs (charge or simulate), calls against free"
        + " minutes, credit. Data in ./allotment-data/ (H2) unless --data or --jdbc-url says otherwise.",
    subcommands = {InitCommand.class, CatalogCommand.class, AssignCommand.class, UnassignCommand.class,
        ReinstateCommand.class, ChangeCommand.class, SuspendCommand.class, ResumeCommand.class, RunCommand.class, ConsumeCommand.class, BalancesCommand.class, UpcomingCommand.class,
        CreditCommand.class, EventsCommand.class, GenerateCompletion.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 done, 1 refused input (nothing written), 2 bad usage, 3 database unreachable,"
        + " 4 internal error."})
final class RootCommand implements Runnable {
  static final String DEFAULT_DATA = "allotment-data";

  final Env env;

  @Spec
  CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "Directory of the embedded H2 database (created and migrated on first use); default"
          + " ./allotment-data, or $ALLOTMENT_DATA.")
  Path data;

  @Option(names = "--jdbc-url", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "A PostgreSQL (or H2) JDBC URL instead of the embedded database, e.g."
          + " jdbc:postgresql://db:5432/billing; default $ALLOTMENT_JDBC_URL.")
  String jdbcUrl;

  @Option(names = "--user", paramLabel = "USER", scope = ScopeType.INHERIT,
      description = "Database user for --jdbc-url; default $ALLOTMENT_JDBC_USER.")
  String user;

  @Option(names = "--password", paramLabel = "PASSWORD", scope = ScopeType.INHERIT, arity = "0..1",
      interactive = true, description = "Database password for --jdbc-url (asked for when given without a value);"
          + " default $ALLOTMENT_JDBC_PASSWORD.")
  char[] password;

  @Option(names = "--zone", paramLabel = "ZONE", scope = ScopeType.INHERIT,
      description = "The provider's zone: billing dates and call times are counted in it; default $ALLOTMENT_ZONE,"
          + " else UTC.")
  String zone;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
      description = "No progress bar (there is none when standard error is not a terminal either).")
  boolean quiet;

  RootCommand(Env env) {
    this.env = env;
  }

  /** Runs {@code args} against {@code env}: the program's entry, and the tests'. */
  static int execute(Env env, String... args) {
    CommandLine commandLine = new CommandLine(new RootCommand(env), new CommandFactory(env));
    commandLine.registerConverter(LocalDate.class, Converters::date);
    commandLine.registerConverter(Instant.class, Converters::instant);
    commandLine.registerConverter(BigDecimal.class, Converters::amount);
    commandLine.setOut(new PrintWriter(env.out(), true));
    commandLine.setErr(new PrintWriter(env.err(), true));
    commandLine.setParameterExceptionHandler(Failures::usage);
    commandLine.setExecutionExceptionHandler(Failures::execution);
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(env.out());
  }

  /** The billing zone: --zone, else $ALLOTMENT_ZONE, else UTC. */
  ZoneId zone() {
    String text = Optional.ofNullable(zone).or(() -> env.variable("ALLOTMENT_ZONE")).orElse("UTC");
    try {
      return ZoneId.of(text.strip());
    } catch (DateTimeException e) {
      throw CliException.input("--zone: '" + text + "' is not a time zone (e.g. UTC, Europe/London)");
    }
  }

  /** Whether a long operation may draw a progress bar on standard error. */
  boolean progressAllowed() {
    return !quiet && env.errIsTerminal();
  }
}
