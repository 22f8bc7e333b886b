package dev.tollgate.core.db.internal.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.db.SchemaName;
import dev.tollgate.core.deploy.Approval;
import dev.tollgate.core.deploy.ChangeRequest;
import dev.tollgate.core.deploy.ChangeStatus;
import dev.tollgate.core.deploy.ChangeType;
import dev.tollgate.core.deploy.Promotion;
import dev.tollgate.core.deploy.PromotionStatus;
import dev.tollgate.core.deploy.Risk;
import dev.tollgate.core.deploy.store.AuditEntry;
import dev.tollgate.core.deploy.store.DeployStore;
import dev.tollgate.core.deploy.store.LockAttempt;
import dev.tollgate.core.deploy.store.LockHolder;
import dev.tollgate.core.deploy.store.NewRelease;
import dev.tollgate.core.deploy.store.PromotionEntry;
import dev.tollgate.core.deploy.store.Release;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The PostgreSQL deploy store: the lock functions of migration V002 and fenced writes. */
public final class JdbcDeployStore implements DeployStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCK_COLUMNS =
      "environment, kind, holder, author, reason, fencing_token, acquired_at, heartbeat_at,"
          + " kind = 'deploy' AND heartbeat_at < now() - stale_after"
          + " AND acquired_at < now() - stale_after";
  private final DataSource dataSource;
  private final String schema;

  /**
   * The columns of a release aliased {@code r}, its artifacts last as one JSON array of {@code
   * [path, sha256, size]} sorted by path, so that a release, or a list of them, is one statement.
   */
  private final String releaseColumns;

  /** Creates a store over a migrated schema. */
  public JdbcDeployStore(DataSource dataSource, String schema) {
    this.dataSource = dataSource;
    this.schema = SchemaName.check(schema);
    this.releaseColumns =
        "r.id, r.environment, r.version, r.commit_sha, r.ref, r.actor, r.approvers, r.change_id,"
            + " r.window_decision, r.override_reason, r.status, r.backup_ref, r.rollback_of,"
            + " r.run_id, r.message, r.started_at, r.finished_at,"
            + " (SELECT coalesce(json_agg(json_build_array(a.path, a.sha256, a.size)"
            + " ORDER BY a.path), '[]'::json)::text FROM "
            + this.schema
            + ".release_artifacts a WHERE a.release_id = r.id)";
  }

  @Override
  public LockAttempt acquireLock(
      String environment,
      String kind,
      String holder,
      String author,
      String reason,
      Duration lease,
      Duration staleAfter) {
    String sql =
        "SELECT acquired, fencing_token, holder, author, reason, kind, acquired_at,"
            + " taken_over_from FROM "
            + schema
            + ".acquire_deploy_lock(?, ?, ?, ?, ?, ? * interval '1 millisecond',"
            + " ? * interval '1 millisecond')";
    return tx(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, environment);
            ps.setString(2, kind);
            ps.setString(3, holder);
            ps.setString(4, author);
            ps.setString(5, reason);
            ps.setLong(6, lease.toMillis());
            ps.setLong(7, staleAfter.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              if (rs.getBoolean(1)) {
                return new LockAttempt.Acquired(
                    rs.getLong(2), Optional.ofNullable(rs.getString(8)));
              }
            }
          }
          return new LockAttempt.Held(lockIn(c, environment).orElseThrow());
        },
        "lock " + environment);
  }

  @Override
  public boolean renewLock(String environment, long fencingToken) {
    return bool("SELECT " + schema + ".renew_deploy_lock(?, ?)", environment, fencingToken);
  }

  @Override
  public boolean releaseLock(String environment, long fencingToken, String actor) {
    return bool(
        "SELECT " + schema + ".release_deploy_lock(?, ?, ?)", environment, fencingToken, actor);
  }

  @Override
  public boolean holdLock(String environment, long fencingToken, String reason) {
    return bool(
        "SELECT " + schema + ".convert_deploy_lock_to_hold(?, ?, ?)",
        environment,
        fencingToken,
        reason);
  }

  @Override
  public UnlockResult unlock(String environment, String actor, boolean force) {
    return tx(
        c -> {
          return Jdbc.one(
              c,
              "SELECT " + schema + ".unlock_environment(?, ?, ?)",
              rs ->
                  switch (rs.getString(1)) {
                    case "unlocked" -> UnlockResult.UNLOCKED;
                    case "held_by_deploy" -> UnlockResult.HELD_BY_DEPLOY;
                    default -> UnlockResult.NOT_LOCKED;
                  },
              environment,
              actor,
              force);
        },
        "unlock " + environment);
  }

  @Override
  public Optional<LockHolder> lock(String environment) {
    return tx(c -> lockIn(c, environment), "read the lock of " + environment);
  }

  private Optional<LockHolder> lockIn(Connection c, String environment) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + LOCK_COLUMNS + " FROM " + schema + ".deploy_locks WHERE environment = ?")) {
      ps.setString(1, environment);
      List<LockHolder> locks = readLocks(ps);
      return locks.isEmpty() ? Optional.empty() : Optional.of(locks.get(0));
    }
  }

  @Override
  public List<LockHolder> locks() {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT " + LOCK_COLUMNS + " FROM " + schema + ".deploy_locks ORDER BY 1")) {
            return readLocks(ps);
          }
        },
        "read the locks");
  }

  @Override
  public Optional<Release> startRelease(NewRelease r) {
    return tx(
        c -> {
          if (!fenced(c, r.environment(), r.fencingToken())) {
            return Optional.<Release>empty();
          }
          long id;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + schema
                      + ".releases (environment, version, commit_sha, ref, actor, approvers,"
                      + " change_id, window_decision, override_reason, status, rollback_of,"
                      + " fencing_token, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                      + " 'in_progress', ?, ?, ?) RETURNING id")) {
            ps.setString(1, r.environment());
            ps.setString(2, r.version());
            ps.setString(3, r.commitSha());
            ps.setString(4, r.ref());
            ps.setString(5, r.actor());
            ps.setArray(6, c.createArrayOf("text", r.approvers().toArray()));
            ps.setString(7, r.changeId());
            ps.setString(8, r.windowDecision());
            ps.setString(9, r.overrideReason());
            setLong(ps, 10, r.rollbackOf());
            ps.setLong(11, r.fencingToken());
            setLong(ps, 12, r.runId());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              id = rs.getLong(1);
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + schema
                      + ".deploy_locks SET release_id = ? WHERE environment = ? AND"
                      + " fencing_token = ?")) {
            ps.setLong(1, id);
            ps.setString(2, r.environment());
            ps.setLong(3, r.fencingToken());
            ps.executeUpdate();
          }
          return releaseIn(c, id);
        },
        "start a release of " + r.environment());
  }

  @Override
  public boolean recordBackup(
      long releaseId, String environment, long fencingToken, String backupRef) {
    return fencedUpdate(
        environment,
        fencingToken,
        "UPDATE " + schema + ".releases SET backup_ref = ? WHERE id = ?",
        backupRef,
        releaseId);
  }

  @Override
  public boolean recordArtifacts(
      long releaseId,
      String environment,
      long fencingToken,
      List<Release.ReleaseArtifact> artifacts) {
    return tx(
        c -> {
          if (!fenced(c, environment, fencingToken)) {
            return false;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + schema
                      + ".release_artifacts (release_id, path, sha256, size) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (release_id, path) DO UPDATE SET sha256 = excluded.sha256,"
                      + " size = excluded.size")) {
            for (Release.ReleaseArtifact a : artifacts) {
              ps.setLong(1, releaseId);
              ps.setString(2, a.path());
              ps.setString(3, a.sha256());
              ps.setLong(4, a.size());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return true;
        },
        "record artifacts of release " + releaseId);
  }

  @Override
  public boolean finishRelease(
      long releaseId, String environment, long fencingToken, String status, String message) {
    return fencedUpdate(
        environment,
        fencingToken,
        "UPDATE "
            + schema
            + ".releases SET status = ?, message = ?, finished_at = now() WHERE id = ?",
        status,
        message,
        releaseId);
  }

  @Override
  public Optional<Release> release(long id) {
    return tx(c -> releaseIn(c, id), "read release " + id);
  }

  @Override
  public List<Release> releases(String environment, int limit) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + releaseColumns
                      + " FROM "
                      + schema
                      + ".releases r WHERE r.environment = ? ORDER BY r.id DESC LIMIT ?")) {
            ps.setString(1, environment);
            ps.setInt(2, limit);
            return readReleases(ps);
          }
        },
        "read the releases of " + environment);
  }

  @Override
  public void audit(String environment, String actor, String kind, String message, JsonNode data) {
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + schema
                      + ".deploy_audit (environment, actor, kind, message, data) VALUES (?, ?, ?,"
                      + " ?, ?::jsonb)")) {
            ps.setString(1, environment);
            ps.setString(2, actor);
            ps.setString(3, kind);
            ps.setString(4, message);
            ps.setString(5, data == null ? null : data.toString());
            ps.executeUpdate();
          }
          return null;
        },
        "write the audit trail of " + environment);
  }

  @Override
  public List<AuditEntry> auditLog(String environment, int limit) {
    return tx(
        c -> {
          return Jdbc.list(
              c,
              "SELECT id, environment, at, actor, kind, message, data::text FROM "
                  + schema
                  + ".deploy_audit WHERE environment = ? ORDER BY id DESC LIMIT ?",
              rs ->
                  new AuditEntry(
                      rs.getLong(1),
                      rs.getString(2),
                      Jdbc.instant(rs, 3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getString(6),
                      Jdbc.json(rs.getString(7))),
              environment,
              limit);
        },
        "read the audit trail of " + environment);
  }

  @Override
  public ChangeRequest createChange(
      String environment,
      ChangeType type,
      Risk risk,
      String commitSha,
      String author,
      Optional<String> reason) {
    long id =
        tx(
            c -> {
              return Jdbc.one(
                  c,
                  "INSERT INTO "
                      + schema
                      + ".change_requests (environment, type, risk, commit_sha, author, reason)"
                      + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                  rs -> rs.getLong(1),
                  environment,
                  type.label(),
                  risk.label(),
                  commitSha,
                  author,
                  reason.orElse(null));
            },
            "create a change request");
    return change(String.valueOf(id)).orElseThrow();
  }

  @Override
  public Optional<ChangeRequest> change(String id) {
    Optional<Long> parsed = number(id);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    long number = parsed.get();
    return tx(
        c -> {
          List<Approval> approvals =
              Jdbc.list(
                  c,
                  "SELECT actor, commit_sha, at FROM "
                      + schema
                      + ".change_approvals WHERE change_id = ? AND verdict = 'approve' ORDER BY at",
                  rs -> new Approval(rs.getString(1), rs.getString(2), Jdbc.instant(rs, 3)),
                  number);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT environment, type, risk, commit_sha, author, reason, status FROM "
                      + schema
                      + ".change_requests WHERE id = ?")) {
            ps.setLong(1, number);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.<ChangeRequest>empty();
              }
              return Optional.of(
                  new ChangeRequest(
                      id,
                      rs.getString(1),
                      byLabel(ChangeType.values(), rs.getString(2)),
                      byLabel(Risk.values(), rs.getString(3)),
                      rs.getString(4),
                      rs.getString(5),
                      Optional.ofNullable(rs.getString(6)),
                      byLabel(ChangeStatus.values(), rs.getString(7)),
                      approvals));
            }
          }
        },
        "read change request " + id);
  }

  @Override
  public List<ChangeRequest> changes(String environment, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
    }
    return tx(
        c -> {
          List<Object[]> rows =
              environment == null
                  ? Jdbc.list(
                      c,
                      "SELECT id, environment, type, risk, commit_sha, author, reason, status FROM "
                          + schema
                          + ".change_requests ORDER BY id DESC LIMIT ?",
                      JdbcDeployStore::changeRow,
                      limit)
                  : Jdbc.list(
                      c,
                      "SELECT id, environment, type, risk, commit_sha, author, reason, status FROM "
                          + schema
                          + ".change_requests WHERE environment = ? ORDER BY id DESC LIMIT ?",
                      JdbcDeployStore::changeRow,
                      environment,
                      limit);
          if (rows.isEmpty()) {
            return List.<ChangeRequest>of();
          }
          Long[] ids = rows.stream().map(r -> (Long) r[0]).toArray(Long[]::new);
          Map<Long, List<Approval>> approvals = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT change_id, actor, commit_sha, at FROM "
                      + schema
                      + ".change_approvals WHERE change_id = ANY (?) AND verdict = 'approve'"
                      + " ORDER BY at")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                approvals
                    .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                    .add(new Approval(rs.getString(2), rs.getString(3), Jdbc.instant(rs, 4)));
              }
            }
          }
          List<ChangeRequest> out = new ArrayList<>();
          for (Object[] r : rows) {
            out.add(
                new ChangeRequest(
                    String.valueOf(r[0]),
                    (String) r[1],
                    byLabel(ChangeType.values(), (String) r[2]),
                    byLabel(Risk.values(), (String) r[3]),
                    (String) r[4],
                    (String) r[5],
                    Optional.ofNullable((String) r[6]),
                    byLabel(ChangeStatus.values(), (String) r[7]),
                    approvals.getOrDefault((Long) r[0], List.of())));
          }
          return out;
        },
        "list change requests");
  }

  private static Object[] changeRow(ResultSet rs) throws SQLException {
    return new Object[] {
      rs.getLong(1),
      rs.getString(2),
      rs.getString(3),
      rs.getString(4),
      rs.getString(5),
      rs.getString(6),
      rs.getString(7),
      rs.getString(8)
    };
  }

  @Override
  public boolean addApproval(String changeId, Approval approval) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + schema
                      + ".change_approvals (change_id, actor, commit_sha, verdict, at)"
                      + " VALUES (?, ?, ?, 'approve', ?) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, Long.parseLong(changeId));
            ps.setString(2, approval.actor().toLowerCase(java.util.Locale.ROOT));
            ps.setString(3, approval.commitSha());
            ps.setObject(
                4, java.time.OffsetDateTime.ofInstant(approval.at(), java.time.ZoneOffset.UTC));
            return ps.executeUpdate() == 1;
          }
        },
        "record an approval of change request " + changeId);
  }

  @Override
  public boolean setChangeStatus(String changeId, ChangeStatus from, ChangeStatus to) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + schema
                      + ".change_requests SET status = ?, updated_at = now() WHERE id = ? AND"
                      + " status = ?")) {
            ps.setString(1, to.label());
            ps.setLong(2, Long.parseLong(changeId));
            ps.setString(3, from.label());
            return ps.executeUpdate() == 1;
          }
        },
        "update change request " + changeId);
  }

  @Override
  public Promotion createPromotion(String environment, String releaseRef, String commitSha) {
    long id =
        tx(
            c -> {
              return Jdbc.one(
                  c,
                  "INSERT INTO "
                      + schema
                      + ".promotions (environment, release_ref, commit_sha) VALUES (?, ?, ?)"
                      + " RETURNING id",
                  rs -> rs.getLong(1),
                  environment,
                  releaseRef,
                  commitSha);
            },
            "create a promotion");
    return promotion(String.valueOf(id)).orElseThrow();
  }

  @Override
  public Optional<Promotion> promotion(String id) {
    return number(id).flatMap(n -> readPromotions("id = ?", n, 1).stream().findFirst());
  }

  @Override
  public List<Promotion> promotions(String environment, int limit) {
    return environment == null
        ? readPromotions("true", null, limit)
        : readPromotions("environment = ?", environment, limit);
  }

  @Override
  public Optional<PromotionEntry> promotionEntry(String id) {
    return number(id).flatMap(n -> readPromotionEntries("p.id = ?", n, 1).stream().findFirst());
  }

  @Override
  public List<PromotionEntry> promotionEntries(String environment, int limit) {
    return environment == null
        ? readPromotionEntries("true", null, limit)
        : readPromotionEntries("p.environment = ?", environment, limit);
  }

  /** One statement: the promotions joined to the releases that executed them, newest first. */
  private List<PromotionEntry> readPromotionEntries(String where, Object arg, int limit) {
    String sql =
        "SELECT p.id, p.environment, p.release_ref, p.status, p.commit_sha, "
            + releaseColumns
            + " FROM "
            + schema
            + ".promotions p LEFT JOIN "
            + schema
            + ".releases r ON r.id = p.release_id WHERE "
            + where
            + " ORDER BY p.id DESC LIMIT ?";
    return tx(
        c ->
            Jdbc.list(
                c,
                sql,
                rs -> {
                  Promotion p = readPromotion(rs);
                  rs.getLong(6);
                  Optional<Release> release =
                      rs.wasNull() ? Optional.empty() : Optional.of(readRelease(rs, 6));
                  return new PromotionEntry(p, rs.getString(5), release);
                },
                whereArgs(arg, limit)),
        "read promotions");
  }

  @Override
  public void linkPromotion(String id, long releaseId) {
    tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + schema
                      + ".promotions p SET release_id = r.id, backup_ref = r.backup_ref,"
                      + " updated_at = now() FROM "
                      + schema
                      + ".releases r WHERE p.id = ? AND r.id = ?")) {
            ps.setLong(1, Long.parseLong(id));
            ps.setLong(2, releaseId);
            ps.executeUpdate();
          }
          return null;
        },
        "link promotion " + id);
  }

  @Override
  public Optional<Release> promotionRelease(String id) {
    return promotionEntry(id).flatMap(PromotionEntry::release);
  }

  @Override
  public Optional<String> promotionCommit(String id) {
    return promotionEntry(id).map(PromotionEntry::commitSha);
  }

  @Override
  public boolean setPromotionStatus(
      String id, PromotionStatus from, PromotionStatus to, String actor) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + schema
                      + ".promotions SET status = ?, updated_at = now(), approved_by ="
                      + " CASE WHEN ? = 'approved' THEN ? ELSE approved_by END WHERE id = ? AND"
                      + " status = ?")) {
            ps.setString(1, to.label());
            ps.setString(2, to.label());
            ps.setString(3, actor);
            ps.setLong(4, Long.parseLong(id));
            ps.setString(5, from.label());
            return ps.executeUpdate() == 1;
          }
        },
        "update promotion " + id);
  }

  private List<Promotion> readPromotions(String where, Object arg, int limit) {
    String sql =
        "SELECT id, environment, release_ref, status FROM "
            + schema
            + ".promotions WHERE "
            + where
            + " ORDER BY id DESC LIMIT ?";
    return tx(
        c -> Jdbc.list(c, sql, JdbcDeployStore::readPromotion, whereArgs(arg, limit)),
        "read promotions");
  }

  /** The first four columns of a row as a promotion: id, environment, release ref, status. */
  private static Promotion readPromotion(ResultSet rs) throws SQLException {
    return new Promotion(
        String.valueOf(rs.getLong(1)),
        rs.getString(2),
        rs.getString(3),
        byLabel(PromotionStatus.values(), rs.getString(4)));
  }

  /** The values of a promotion query: the filter's argument, if it has one, then the limit. */
  private static Object[] whereArgs(Object arg, int limit) {
    return arg == null ? new Object[] {limit} : new Object[] {arg, limit};
  }

  /** A change request's or promotion's id as the number it is stored under; empty if none. */
  private static Optional<Long> number(String id) {
    try {
      return Optional.of(Long.parseLong(id));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static <E extends Enum<E>> E byLabel(E[] values, String label) {
    for (E e : values) {
      if (e.name().equalsIgnoreCase(label.replace('-', '_'))) {
        return e;
      }
    }
    throw new IllegalStateException("unknown value in the database: " + label);
  }

  private boolean fenced(Connection c, String environment, long token) throws SQLException {
    // FOR SHARE: a takeover (which updates the row) waits until this write commits, and a write
    // after a takeover sees the new token and is refused.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM "
                + schema
                + ".deploy_locks WHERE environment = ? AND fencing_token = ? FOR SHARE")) {
      ps.setString(1, environment);
      ps.setLong(2, token);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private boolean fencedUpdate(String environment, long token, String sql, Object... args) {
    return tx(
        c -> {
          if (!fenced(c, environment, token)) {
            return false;
          }
          return Jdbc.update(c, sql, args) == 1;
        },
        "update a release of " + environment);
  }

  private Optional<Release> releaseIn(Connection c, long id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + releaseColumns + " FROM " + schema + ".releases r WHERE r.id = ?")) {
      ps.setLong(1, id);
      List<Release> list = readReleases(ps);
      return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }
  }

  private static List<Release> readReleases(PreparedStatement ps) throws SQLException {
    return Jdbc.list(ps, rs -> readRelease(rs, 1));
  }

  /** The release whose {@link #releaseColumns} start at column {@code at} of the current row. */
  private static Release readRelease(ResultSet rs, int at) throws SQLException {
    Array approvers = rs.getArray(at + 6);
    return new Release(
        rs.getLong(at),
        rs.getString(at + 1),
        rs.getString(at + 2),
        rs.getString(at + 3),
        rs.getString(at + 4),
        rs.getString(at + 5),
        approvers == null ? List.of() : Arrays.asList((String[]) approvers.getArray()),
        rs.getString(at + 7),
        rs.getString(at + 8),
        rs.getString(at + 9),
        rs.getString(at + 10),
        rs.getString(at + 11),
        rs.getObject(at + 12, Long.class),
        rs.getObject(at + 13, Long.class),
        rs.getString(at + 14),
        artifacts(rs.getString(at + 17)),
        Jdbc.instant(rs, at + 15),
        Jdbc.instant(rs, at + 16));
  }

  private static List<Release.ReleaseArtifact> artifacts(String json) {
    List<Release.ReleaseArtifact> list = new ArrayList<>();
    for (JsonNode a : Jdbc.json(json)) {
      list.add(
          new Release.ReleaseArtifact(a.get(0).asText(), a.get(1).asText(), a.get(2).asLong()));
    }
    return List.copyOf(list);
  }

  private static List<LockHolder> readLocks(PreparedStatement ps) throws SQLException {
    return Jdbc.list(ps, JdbcDeployStore::readLock);
  }

  private static LockHolder readLock(ResultSet rs) throws SQLException {
    return new LockHolder(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getLong(6),
        Jdbc.instant(rs, 7),
        Jdbc.instant(rs, 8),
        rs.getBoolean(9));
  }

  private boolean bool(String sql, Object... args) {
    return tx(
        c -> {
          return Jdbc.one(c, sql, rs -> rs.getBoolean(1), args);
        },
        "update a deploy lock");
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private <T> T tx(Jdbc.Work<T> work, String what) {
    return Jdbc.inTransaction(dataSource, work, what);
  }
}
