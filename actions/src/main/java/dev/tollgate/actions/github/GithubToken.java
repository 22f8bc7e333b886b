package dev.tollgate.actions.github;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A GitHub API token. Its {@link #toString()} never shows the value, so a token cannot leak into a
 * log or a message by accident; only {@link #value()} reads it.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class GithubToken {
  private final String value;

  private GithubToken(String value) {
    this.value = value;
  }

  /**
   * A token with the given value.
   *
   * @throws IllegalArgumentException when it is blank or spans lines
   */
  public static GithubToken of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("token must not be blank");
    }
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("token must be one line");
    }
    return new GithubToken(value.strip());
  }

  /** The secret value, for the Authorization header and {@code ::add-mask::} only. */
  public String value() {
    return value;
  }

  /** Always {@code ***}. */
  @Override
  public String toString() {
    return "***";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GithubToken t && t.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
