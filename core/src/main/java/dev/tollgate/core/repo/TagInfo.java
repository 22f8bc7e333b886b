package dev.tollgate.core.repo;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A tag and the commit it points at (annotated tags are peeled).
 *
 * @param name the short name, e.g. {@code v1.2.0}
 * @param commit the id of the commit it names
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record TagInfo(String name, String commit) {
  /** Checks that both parts are present. */
  public TagInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(commit, "commit");
  }
}
