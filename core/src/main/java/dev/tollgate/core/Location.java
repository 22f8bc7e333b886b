package dev.tollgate.core;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A place in a file: a path relative to the project root with {@code /} separators, and a 1-based
 * line and column.
 *
 * <p>A line or column of {@code 0} means "unknown": a finding about a whole file has line 0, a
 * finding about a whole line has column 0. Renderers print only the parts that are known.
 */
@API(status = STABLE, since = "0.1.0")
public record Location(String file, int line, int column) {

  /** Checks that the path is present and the line and column are not negative. */
  public Location {
    Objects.requireNonNull(file, "file");
    if (file.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("file must use '/' separators but was '" + file + "'");
    }
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0 but was " + line);
    }
    if (column < 0) {
      throw new IllegalArgumentException("column must be >= 0 but was " + column);
    }
    if (line == 0 && column != 0) {
      throw new IllegalArgumentException("column must be 0 when line is unknown but was " + column);
    }
  }

  /** A location naming a whole file. */
  public static Location ofFile(String file) {
    return new Location(file, 0, 0);
  }

  /** A location naming a line and column of a file. */
  public static Location of(String file, int line, int column) {
    return new Location(file, line, column);
  }

  /** {@code file}, {@code file:line} or {@code file:line:column}, as compilers print them. */
  @Override
  public String toString() {
    if (line == 0) {
      return file;
    }
    return column == 0 ? file + ":" + line : file + ":" + line + ":" + column;
  }
}
