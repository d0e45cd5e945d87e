/**
 * The {@code allotment} command line ({@link dev.allotment.cli.AllotmentCli}): the operator's
 * commands over the engine and the JDBC stores. Everything but the entry point is package-private:
 * the commands, their options and their output are the interface, described in
 * {@code docs/guide/cli.md}, not these classes.
 */
package dev.allotment.cli;
