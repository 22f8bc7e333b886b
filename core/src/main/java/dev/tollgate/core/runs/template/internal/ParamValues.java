package dev.tollgate.core.runs.template.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** How a parameter's value is turned into text, and the environment variable that carries it. */
public final class ParamValues {
  private ParamValues() {}

  /** The prefix of the variable carrying each parameter. */
  public static final String ENV_PREFIX = "TOLLGATE_PARAM_";

  /**
   * The environment variable carrying parameter {@code name}: {@code TOLLGATE_PARAM_} followed by
   * the name in upper case, every character other than {@code A-Z}, {@code 0-9} and {@code _}
   * replaced by {@code _}; {@code replica-count} becomes {@code TOLLGATE_PARAM_REPLICA_COUNT}.
   */
  public static String envName(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(ENV_PREFIX.length() + upper.length());
    out.append(ENV_PREFIX);
    for (int i = 0; i < upper.length(); i++) {
      char c = upper.charAt(i);
      out.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
    }
    return out.toString();
  }

  /** The text of a value: a string as it is, anything else as compact JSON. */
  public static String text(JsonNode value) {
    return value.isTextual() ? value.textValue() : value.toString();
  }
}
