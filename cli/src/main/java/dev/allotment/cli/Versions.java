package dev.allotment.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code allotment --version}: the jar's Implementation-Version, or "development" outside a jar. */
final class Versions implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Versions.class.getPackage().getImplementationVersion();
    return new String[] {"allotment " + (version == null ? "development" : version),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
  }
}
