package dev.tollgate.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the runner's version from the jar manifest, so it is written in the pom only. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"tollgate " + (v == null ? "development build" : v)};
  }
}
