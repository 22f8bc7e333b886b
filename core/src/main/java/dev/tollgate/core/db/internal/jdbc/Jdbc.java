package dev.tollgate.core.db.internal.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.TollgateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The JDBC scaffolding the run queue and the deploy store share: one transaction per unit of work,
 * statements with every value bound, rows read into values, and the column types they both read.
 */
final class Jdbc {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Jdbc() {}

  /** A unit of work on one connection in one transaction. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Reads the current row of a result into a value. */
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection: committed when it returns, rolled
   * back when it throws; an SQL failure becomes a COULD_NOT_FINISH saying what could not be done.
   *
   * @param what what the work does, for the message: {@code read run 12}
   */
  static <T> T inTransaction(DataSource dataSource, Work<T> work, String what) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH, "could not " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work}, which must send exactly one statement, on a connection in auto-commit mode:
   * the statement is its own transaction, committed by the server as it ends, in one round trip
   * instead of three (BEGIN with the statement, then COMMIT). The pool's connections are in
   * auto-commit mode unless a caller changes it.
   */
  static <T> T autoCommitted(DataSource dataSource, Work<T> work, String what) {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    } catch (SQLException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH, "could not " + what + ": " + e.getMessage(), e);
    }
  }

  /** Every row {@code sql} returns with {@code args} bound in order, each read by {@code row}. */
  static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return list(ps, row);
    }
  }

  /** Every row of the prepared and bound {@code ps}, each read by {@code row}. */
  static <T> List<T> list(PreparedStatement ps, Row<T> row) throws SQLException {
    List<T> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row.read(rs));
      }
    }
    return out;
  }

  /** The first row {@code sql} returns with {@code args} bound, or empty when none. */
  static <T> Optional<T> first(Connection c, String sql, Row<T> row, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
      }
    }
  }

  /**
   * The one row {@code sql} returns with {@code args} bound, such as the result of a queue or lock
   * function.
   *
   * @throws SQLException when it returns none
   */
  static <T> T one(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
    return first(c, sql, row, args).orElseThrow(() -> new SQLException("no row from " + sql));
  }

  /** Runs an INSERT, UPDATE or DELETE with {@code args} bound; returns the rows it changed. */
  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  /** Binds {@code args} to the parameters of {@code ps} in order, from the first. */
  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  /** A {@code timestamptz} column as an instant; {@code null} when the column is. */
  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  /** A JSON text the database returned as a tree; {@code null} for {@code null}. */
  static JsonNode json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the database returned invalid JSON", e);
    }
  }
}
