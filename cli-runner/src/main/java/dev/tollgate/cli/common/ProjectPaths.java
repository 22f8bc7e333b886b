package dev.tollgate.cli.common;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.TollgateException;

/**
 * How the runner shows a file of the project to the person who typed the command: {@code --dir} as
 * they typed it, then the file's path inside the project, so that every path in a message opens
 * from the folder they stand in ({@code work-items/wi-1.yml} with the default {@code --dir .},
 * {@code ../shop/.tollgate/templates/deploy.yml} with {@code --dir ../shop}).
 *
 * <p>The library reports paths relative to the project root; only the runner knows where the user
 * stands, so the prefix is added here, once, for items, policy, templates and deploy specs alike.
 */
public final class ProjectPaths {
  private ProjectPaths() {}

  /** What goes before a path inside the project: {@code --dir} with a trailing {@code /}. */
  public static String prefix(String dir) {
    String d = dir.replace('\\', '/');
    if (d.equals(".") || d.equals("./") || d.isEmpty()) {
      return "";
    }
    return d.endsWith("/") ? d : d + "/";
  }

  /**
   * {@code e} with every diagnostic's file shown under {@code --dir}; an exception without
   * diagnostics, or with the default {@code --dir}, is returned as it is.
   */
  public static TollgateException located(String dir, TollgateException e) {
    String prefix = prefix(dir);
    if (prefix.isEmpty() || e.diagnostics().isEmpty()) {
      return e;
    }
    StringBuilder message = new StringBuilder();
    for (Diagnostic d : e.diagnostics()) {
      if (message.length() > 0) {
        message.append('\n');
      }
      message.append(prefix).append(d.location()).append(": ").append(d.message());
    }
    return new TollgateException(e.kind(), message.toString(), e.diagnostics(), e);
  }
}
