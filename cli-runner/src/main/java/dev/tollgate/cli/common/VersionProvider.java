package dev.tollgate.cli.common;

import picocli.CommandLine.IVersionProvider;

/** Reads the runner's version from the jar manifest, so it is written in the pom only. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"tollgate " + version()};
  }

  /** The runner's version, or {@code development build} when not run from the jar. */
  public static String version() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }
}
