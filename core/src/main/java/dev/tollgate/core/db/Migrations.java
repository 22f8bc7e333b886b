package dev.tollgate.core.db;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.util.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The versioned schema changes Tollgate ships, and the code that applies them.
 *
 * <p>Each migration is a SQL file in {@code dev/tollgate/core/db/migrations/} named {@code
 * V<version>__<description>.sql} and listed in that folder's {@code index.txt}. {@link #apply}
 * applies the missing ones in order, each in its own transaction together with its row in {@code
 * <schema>.schema_version}, under a transaction-scoped advisory lock so concurrent starts do not
 * race. A database whose schema is newer than this code, or whose applied migration differs from
 * the shipped file, is refused with a message saying so.
 */
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
    String checked = SchemaName.check(schema);
    List<Integer> applied = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (Migration migration : shipped()) {
          lock(c, checked);
          Map<Integer, String> done = appliedVersions(c, checked);
          refuseNewer(done, checked);
          String recorded = done.get(migration.version());
          if (recorded != null) {
            if (!recorded.equals(migration.checksum())) {
              throw new TollgateException(
                  TollgateException.Kind.COULD_NOT_FINISH,
                  "migration V"
                      + migration.version()
                      + " in schema "
                      + checked
                      + " was applied from a different file than this Tollgate ships; do not"
                      + " edit applied migrations");
            }
            c.commit();
            continue;
          }
          try (Statement st = c.createStatement()) {
            st.execute(migration.sql().replace("${schema}", checked));
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + checked
                      + ".schema_version (version, description, checksum) VALUES (?, ?, ?)")) {
            ps.setInt(1, migration.version());
            ps.setString(2, migration.description());
            ps.setString(3, migration.checksum());
            ps.executeUpdate();
          }
          c.commit();
          applied.add(migration.version());
        }
        lock(c, checked);
        Map<Integer, String> done = appliedVersions(c, checked);
        refuseNewer(done, checked);
        c.commit();
        int current = done.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new Result(List.copyOf(applied), current);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "could not migrate schema " + checked + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Returns the version the schema is at (0 when it does not exist), refusing a database newer than
   * this code.
   */
  public static int currentVersion(DataSource dataSource, String schema) {
    String checked = SchemaName.check(schema);
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        ps.setString(1, checked + ".schema_version");
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            return 0;
          }
        }
      }
      Map<Integer, String> done = appliedVersions(c, checked);
      refuseNewer(done, checked);
      return done.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    } catch (SQLException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "could not read schema " + checked + ": " + e.getMessage(),
          e);
    }
  }

  private static void lock(Connection c, String schema) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      ps.setString(1, "tollgate-migrate:" + schema);
      ps.execute();
    }
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + schema
              + ".schema_version (version integer PRIMARY KEY, description text NOT NULL,"
              + " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    }
  }

  private static Map<Integer, String> appliedVersions(Connection c, String schema)
      throws SQLException {
    Map<Integer, String> done = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version, checksum FROM " + schema + ".schema_version ORDER BY version")) {
      while (rs.next()) {
        done.put(rs.getInt(1), rs.getString(2));
      }
    }
    return done;
  }

  private static void refuseNewer(Map<Integer, String> done, String schema) {
    int latest = latestVersion();
    int newest = done.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (newest > latest) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "schema "
              + schema
              + " is at version "
              + newest
              + ", newer than this Tollgate knows (up to "
              + latest
              + "); upgrade Tollgate, or point it at another schema with --schema");
    }
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
