package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A GitHub repository's full name, {@code owner/name}, as {@code $GITHUB_REPOSITORY} gives it.
 *
 * @param owner the user or organisation that owns it
 * @param name the repository's name
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record RepositoryName(String owner, String name) {
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]+");

  /** Checks both parts: GitHub's letters, digits, {@code _ . -}. */
  public RepositoryName {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    if (!PART.matcher(owner).matches() || !PART.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "repository must be 'owner/name' with letters, digits, '_', '.' or '-' but was '"
              + owner
              + "/"
              + name
              + "'");
    }
  }

  /**
   * Parses {@code owner/name}.
   *
   * @throws IllegalArgumentException naming the text when it is not {@code owner/name}
   */
  public static RepositoryName parse(String text) {
    Objects.requireNonNull(text, "text");
    int slash = text.indexOf('/');
    if (slash <= 0 || slash != text.lastIndexOf('/') || slash == text.length() - 1) {
      throw new IllegalArgumentException("repository must be 'owner/name' but was '" + text + "'");
    }
    return new RepositoryName(text.substring(0, slash), text.substring(slash + 1));
  }

  /** {@code owner/name}. */
  @Override
  public String toString() {
    return owner + "/" + name;
  }

  // Written out: a record's generated equals and hashCode link method handles on first use, which
  // costs a fresh JVM dozens of generated classes on the runner's start (docs/benchmarks.md,
  // "Runner start-up", fourth round).
  @Override
  public boolean equals(Object o) {
    return o instanceof RepositoryName r && owner.equals(r.owner) && name.equals(r.name);
  }

  @Override
  public int hashCode() {
    return owner.hashCode() * 31 + name.hashCode();
  }
}
