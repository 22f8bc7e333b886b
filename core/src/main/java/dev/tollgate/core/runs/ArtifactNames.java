package dev.tollgate.core.runs;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.tollgate.core.TollgateException;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The rules an artifact name must follow: a relative path of safe segments, so no name can climb
 * out of a folder it is later written into.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class ArtifactNames {

  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

  private ArtifactNames() {}

  /**
   * Returns {@code name} if it is safe.
   *
   * @throws TollgateException of kind BAD_INPUT saying what was expected and what was found
   */
  public static String check(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw TollgateException.badInput(
          "artifact name: expected a relative path of segments made of letters, digits, '.', '_'"
              + " and '-' (not starting with '.' or '-', at most 200 characters), found '"
              + name
              + "' ("
              + problem
              + ")");
    }
    return name;
  }

  private static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "empty";
    }
    if (name.length() > 200) {
      return "too long";
    }
    if (name.startsWith("/")) {
      return "absolute path";
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        return "'..' climbs out of the run's folder";
      }
      if (!SEGMENT.matcher(segment).matches()) {
        return "bad segment '" + segment + "'";
      }
    }
    return null;
  }
}
