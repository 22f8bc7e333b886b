package dev.tollgate.core.db;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.tollgate.core.TollgateException;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Checks a PostgreSQL schema name before it is written into SQL text.
 *
 * <p>Identifiers cannot be bound as parameters, so the schema name is the one piece of text
 * Tollgate places into SQL; it must be a plain lower-case identifier, which needs no quoting.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class SchemaName {

  /** The default schema. */
  public static final String DEFAULT = "tollgate";

  private static final Pattern VALID = Pattern.compile("[a-z_][a-z0-9_]{0,49}");

  private SchemaName() {}

  /**
   * Returns {@code name} if it is a valid schema name.
   *
   * @throws TollgateException of kind BAD_INPUT otherwise
   */
  public static String check(String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw TollgateException.badInput(
          "schema name: expected a lower-case identifier ([a-z_][a-z0-9_]*, at most 50"
              + " characters), found '"
              + name
              + "'");
    }
    return name;
  }
}
