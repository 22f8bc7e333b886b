package dev.tollgate.core.gate;

import java.util.Objects;
import java.util.regex.Pattern;

/** Argument checks shared by the gate values, with precise messages. */
final class Checks {
  /** Gate ids are lower-case kebab case: {@code wip-limit}, {@code acme-change-freeze}. */
  static final Pattern GATE_ID = Pattern.compile("[a-z][a-z0-9]*(?:-[a-z0-9]+)*");

  private Checks() {}

  static String gateId(String id) {
    Objects.requireNonNull(id, "gate");
    if (!GATE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "gate id must be lower-case kebab case like 'wip-limit' but was '" + id + "'");
    }
    return id;
  }

  static String text(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
