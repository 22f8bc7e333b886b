package dev.tollgate.core.deploy;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the deploy records, each failing with a message naming the field. */
final class Specs {
  private Specs() {}

  static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be longer than 0 but was " + value);
    }
    return value;
  }

  static Duration notNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative but was " + value);
    }
    return value;
  }

  static String text(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + " but was " + value);
    }
    return value;
  }
}
