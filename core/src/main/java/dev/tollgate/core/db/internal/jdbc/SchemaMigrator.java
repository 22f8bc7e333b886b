package dev.tollgate.core.db.internal.jdbc;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.SchemaName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The SQL that applies shipped schema migrations and reads a schema's version.
 *
 * <p>Each migration runs in its own transaction together with its row in {@code
 * <schema>.schema_version}, under a transaction-scoped advisory lock so concurrent starts do not
 * race. A database whose schema is newer than the shipped migrations, or whose applied migration
 * differs from the shipped file, is refused with a message saying so.
 */
public final class SchemaMigrator {

  /** One shipped migration as this class applies it. */
  public record Step(int version, String description, String sql, String checksum) {}

  /** The versions applied now, and the version the schema is at. */
  public record Outcome(List<Integer> applied, int current) {}

  private SchemaMigrator() {}

  /**
   * Brings {@code schema} up to date with {@code shipped} (in version order).
   *
   * @throws TollgateException of kind COULD_NOT_FINISH when the database is newer than this code, a
   *     shipped migration was changed after it was applied, or SQL fails
   */
  public static Outcome apply(DataSource dataSource, String schema, List<Step> shipped) {
    String checked = SchemaName.check(schema);
    List<Integer> applied = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (Step migration : shipped) {
          lock(c, checked);
          Map<Integer, String> done = appliedVersions(c, checked);
          refuseNewer(done, checked, shipped);
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
        refuseNewer(done, checked, shipped);
        c.commit();
        int current = done.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new Outcome(List.copyOf(applied), current);
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
  public static int currentVersion(DataSource dataSource, String schema, List<Step> shipped) {
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
      refuseNewer(done, checked, shipped);
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

  private static void refuseNewer(Map<Integer, String> done, String schema, List<Step> shipped) {
    int latest = shipped.isEmpty() ? 0 : shipped.get(shipped.size() - 1).version();
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
}
