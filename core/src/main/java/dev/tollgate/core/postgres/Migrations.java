package dev.tollgate.core.postgres;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.internal.jdbc.SchemaMigrator;
import dev.tollgate.core.util.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apiguardian.api.API;

/**
 * The versioned schema changes Tollgate ships, and the entry point that applies them.
 *
 * <p>Each migration is a SQL file in {@code dev/tollgate/core/db/migrations/} named {@code
 * V<version>__<description>.sql} and listed in that folder's {@code index.txt}. {@link #apply}
 * applies the missing ones in order, each in its own transaction together with its row in {@code
 * <schema>.schema_version}, under a transaction-scoped advisory lock so concurrent starts do not
 * race. A database whose schema is newer than this code, or whose applied migration differs from
 * the shipped file, is refused with a message saying so.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class Migrations {

  private static final String FOLDER = "dev/tollgate/core/db/migrations/";
  private static final Pattern FILE = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

  /** One shipped migration. */
  public record Migration(int version, String description, String sql, String checksum) {}

  /** What {@link #apply} did: the versions applied now, and the version the schema is at. */
  public record Result(List<Integer> applied, int current) {}

  private Migrations() {}

  /** Returns the shipped migrations, in version order. */
  public static List<Migration> shipped() {
    List<Migration> list = new ArrayList<>();
    for (String name : read(FOLDER + "index.txt").lines().map(String::strip).toList()) {
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Matcher m = FILE.matcher(name);
      if (!m.matches()) {
        throw new IllegalStateException("badly named migration in index.txt: " + name);
      }
      String sql = read(FOLDER + name);
      int version = Integer.parseInt(m.group(1));
      if (!list.isEmpty() && list.get(list.size() - 1).version() >= version) {
        throw new IllegalStateException("migrations out of order in index.txt at " + name);
      }
      list.add(new Migration(version, m.group(2).replace('_', ' '), sql, Sha256.hex(sql)));
    }
    return List.copyOf(list);
  }

  /** Returns the newest version this code knows. */
  public static int latestVersion() {
    List<Migration> all = shipped();
    return all.isEmpty() ? 0 : all.get(all.size() - 1).version();
  }

  /**
   * Brings {@code schema} up to date.
   *
   * @throws TollgateException of kind COULD_NOT_FINISH when the database is newer than this code, a
   *     shipped migration was changed after it was applied, or SQL fails
   */
  public static Result apply(DataSource dataSource, String schema) {
    SchemaMigrator.Outcome outcome = SchemaMigrator.apply(dataSource, schema, steps());
    return new Result(outcome.applied(), outcome.current());
  }

  /**
   * Returns the version the schema is at (0 when it does not exist), refusing a database newer than
   * this code.
   */
  public static int currentVersion(DataSource dataSource, String schema) {
    return SchemaMigrator.currentVersion(dataSource, schema, steps());
  }

  private static List<SchemaMigrator.Step> steps() {
    return shipped().stream()
        .map(m -> new SchemaMigrator.Step(m.version(), m.description(), m.sql(), m.checksum()))
        .toList();
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
