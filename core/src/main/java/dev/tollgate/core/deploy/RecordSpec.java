package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a deploy keeps as evidence besides its own record: the files matching {@code globs}
 * (relative to the project root, {@code java.nio} glob syntax), stored with their SHA-256.
 *
 * @param globs the artifact patterns; empty records no files
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RecordSpec(List<String> globs) {
  /** A spec that records no files. */
  public static final RecordSpec NONE = new RecordSpec(List.of());

  /** Checks that no pattern is blank or absolute. */
  public RecordSpec {
    globs = List.copyOf(Objects.requireNonNull(globs, "globs"));
    for (String g : globs) {
      Specs.text(g, "record.globs entry");
      if (g.startsWith("/")) {
        throw new IllegalArgumentException(
            "record.globs entries are relative to the project root but '" + g + "' is absolute");
      }
    }
  }
}
