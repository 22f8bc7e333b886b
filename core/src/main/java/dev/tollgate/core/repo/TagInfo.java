package dev.tollgate.core.repo;

import java.util.Objects;

/**
 * A tag and the commit it points at (annotated tags are peeled).
 *
 * @param name the short name, e.g. {@code v1.2.0}
 * @param commit the id of the commit it names
 */
public record TagInfo(String name, String commit) {
  /** Checks that both parts are present. */
  public TagInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(commit, "commit");
  }
}
