package dev.allotment.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * A command that works on the database: opens it (see {@link Storage}), runs, and closes it
 * whatever happens. Subclasses check their input before their first write, so a refused command
 * changes nothing.
 */
abstract class DatabaseCommand implements Callable<Integer> {
  /** The root command, whose options say where the database is. */
  abstract RootCommand root();

  /** Does the command's work on an open database; returns the exit code. */
  abstract int run(Storage storage) throws Exception;

  @Override
  public final Integer call() throws Exception {
    try (Storage storage = Storage.open(root())) {
      return run(storage);
    }
  }

  PrintStream out() {
    return root().env.out();
  }
}
