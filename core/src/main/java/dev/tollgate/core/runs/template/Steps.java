package dev.tollgate.core.runs.template;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Checks shared by the step records. */
final class Steps {
  private Steps() {}

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  static String name(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "step name must start with a letter or digit and contain only letters, digits, '.', '_'"
              + " and '-' but was '"
              + name
              + "'");
    }
    return name;
  }

  static Duration positive(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be longer than 0 but was " + value);
    }
    return value;
  }

  static Duration notNegative(Duration value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative but was " + value);
    }
    return value;
  }

  /** An unmodifiable copy that keeps the order written, after checking every name. */
  static Map<String, String> env(Map<String, String> env, String what) {
    Objects.requireNonNull(env, what);
    Map<String, String> copy = new LinkedHashMap<>();
    env.forEach(
        (k, v) -> {
          Objects.requireNonNull(k, what + " name");
          Objects.requireNonNull(v, what + " value of " + k);
          if (!ENV_NAME.matcher(k).matches()) {
            throw new IllegalArgumentException(
                what
                    + " name must be letters, digits and '_', not starting with a digit, but was '"
                    + k
                    + "'");
          }
          if (k.startsWith(RunTemplate.RESERVED_ENV_PREFIX)) {
            throw new IllegalArgumentException(
                what
                    + " name '"
                    + k
                    + "' starts with "
                    + RunTemplate.RESERVED_ENV_PREFIX
                    + ", which Tollgate reserves for its own variables");
          }
          if (v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                what + " value of " + k + " contains a NUL character");
          }
          copy.put(k, v);
        });
    return java.util.Collections.unmodifiableMap(copy);
  }
}
