package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A named group of work items that delivers one outcome; its progress is computed from its items
 * (see {@link Backlog#progress(String)}).
 *
 * @param id the id items refer to in their {@code epic} field, e.g. {@code BF}
 * @param title a human-readable name
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record Epic(String id, String title) {
  /** Checks that both fields are present and not blank. */
  public Epic {
    if (Objects.requireNonNull(id, "id").isBlank()) {
      throw new IllegalArgumentException("epic id must not be blank");
    }
    if (Objects.requireNonNull(title, "title").isBlank()) {
      throw new IllegalArgumentException("epic title must not be blank");
    }
  }
}
