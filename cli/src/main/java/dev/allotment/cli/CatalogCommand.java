package dev.allotment.cli;

import dev.allotment.core.AllotmentException;
import dev.allotment.core.ServicePackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code allotment catalog import|export|list}: the packages, as JSON or as a table. */
@Command(name = "catalog", description = "Import, export or list the catalog of packages.",
    subcommands = {CatalogCommand.Import.class, CatalogCommand.Export.class, CatalogCommand.Listing.class})
final class CatalogCommand {
  @ParentCommand
  RootCommand root;

  /** {@code catalog import FILE}. */
  @Command(name = "import", description = "Define every package of a catalog JSON file (new ones added, held ones"
      + " updated). The whole file is checked first: a bad file defines nothing.")
  static final class Import extends DatabaseCommand {
    @ParentCommand
    CatalogCommand catalog;

    @Parameters(paramLabel = "FILE", description = "The catalog JSON, as 'catalog export' writes it.")
    Path file;

    @Override
    RootCommand root() {
      return catalog.root;
    }

    @Override
    int run(Storage storage) {
      Path path = root().env.workingDirectory().resolve(file);
      String json = CatalogFile.read(path);
      List<ServicePackage> packages;
      try {
        packages = storage.billing().importCatalog(json);
      } catch (IllegalArgumentException | AllotmentException e) {
        throw CatalogFile.refusal(file, json, Failures.firstLine(e.getMessage()));
      }
      out().println("Imported " + packages.size() + " package" + (packages.size() == 1 ? "" : "s") + " from " + file
          + ": " + packages.stream().map(ServicePackage::id).collect(Collectors.joining(", ")));
      return 0;
    }
  }

  /** {@code catalog export [-o FILE]}. */
  @Command(name = "export", description = "Write the catalog as JSON (every field of every package).")
  static final class Export extends DatabaseCommand {
    @ParentCommand
    CatalogCommand catalog;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    RootCommand root() {
      return catalog.root;
    }

    @Override
    int run(Storage storage) throws IOException {
      String json = storage.billing().exportCatalog();
      if (output == null) {
        out().println(json);
      } else {
        Files.writeString(root().env.workingDirectory().resolve(output), json + "\n", StandardCharsets.UTF_8);
        out().println("Exported " + storage.billing().packages().size() + " packages to " + output);
      }
      return 0;
    }
  }

  /** {@code catalog list}. */
  @Command(name = "list", description = "List the packages as a table.")
  static final class Listing extends DatabaseCommand {
    @ParentCommand
    CatalogCommand catalog;

    @Override
    RootCommand root() {
      return catalog.root;
    }

    @Override
    int run(Storage storage) {
      List<ServicePackage> packages = storage.billing().packages();
      Table table = new Table("Id", "Name", "Cur", ">Retail", ">Cost", ">Setup", "Frequency", "Match", "First",
          "Kinds", "Destination", ">Min days");
      for (ServicePackage p : packages) {
        table.add(p.id(), p.name(), p.currency().getCurrencyCode(), Format.money(p.retail()), Format.money(p.cost()),
            Format.money(p.setupRetail()), p.frequency(), p.frequencyMatch().isEmpty() ? "-" : p.frequencyMatch(),
            p.firstPeriod(), kinds(p), p.destination().map(d -> d.source()).orElse("-"), p.minimumDays());
      }
      if (table.isEmpty()) {
        out().println("No packages (" + storage.where() + "): 'allotment catalog import FILE' defines some.");
      } else {
        table.print(out());
        out().println(packages.size() + " package" + (packages.size() == 1 ? "" : "s"));
      }
      return 0;
    }

    /** The package's types, and MINIMUM_SPEND for a minimum-spend package (a flag, not a type). */
    private static String kinds(ServicePackage p) {
      List<String> kinds = new ArrayList<>();
      p.types().stream().map(Enum::name).sorted().forEach(kinds::add);
      if (p.minimumSpend()) {
        kinds.add("MINIMUM_SPEND");
      }
      return kinds.isEmpty() ? "-" : String.join(",", kinds);
    }
  }
}
