package dev.tollgate.core.db.internal.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.db.SchemaName;
import dev.tollgate.core.runs.Artifact;
import dev.tollgate.core.runs.ArtifactNames;
import dev.tollgate.core.runs.CancelResult;
import dev.tollgate.core.runs.CompletedAndClaimed;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.CompletionResult;
import dev.tollgate.core.runs.Enqueued;
import dev.tollgate.core.runs.Heartbeat;
import dev.tollgate.core.runs.Lease;
import dev.tollgate.core.runs.LogWatch;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.QueueStats;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunFilter;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.runs.RunStep;
import dev.tollgate.core.runs.SweepDecision;
import dev.tollgate.core.util.Sha256;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The PostgreSQL run queue: every operation is one round trip to a function of the Tollgate schema,
 * or a read; every value is bound. The claim and the completion, the statements of every run, are
 * sent in auto-commit mode: one statement, one round trip, committed by the server.
 */
public final class JdbcRunQueue implements RunQueue {

  /** The default artifact size limit: 16 MiB. */
  public static final long DEFAULT_MAX_ARTIFACT_BYTES = 16L << 20;

  /** Artifacts up to this size that are UTF-8 text are kept inline. */
  static final int INLINE_LIMIT = 8 << 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");

  /** The largest claim limit whose statement is kept; a larger one is written for each claim. */
  private static final int CACHED_CLAIM_LIMIT = 1024;

  private final DataSource dataSource;
  private final String schema;
  private final long maxArtifactBytes;
  private final String runColumns;

  /**
   * The claim statements by the number of distinct lanes they name and their limit ({@link
   * #claimStatement}), for limits up to {@link #CACHED_CLAIM_LIMIT}.
   */
  private final ConcurrentMap<Long, String> claimSql = new ConcurrentHashMap<>();

  private final String completeOneSql;
  private final String completeManySql;

  /** Creates a queue over a migrated schema. */
  public JdbcRunQueue(DataSource dataSource, String schema, long maxArtifactBytes) {
    this.dataSource = dataSource;
    this.schema = SchemaName.check(schema);
    this.maxArtifactBytes = maxArtifactBytes;
    this.runColumns =
        "r.id, r.template, encode(r.template_hash, 'hex'), r.lane, r.priority, r.params::text,"
            + " r.status, r.attempt, r.releases, r.max_attempts, r.backoff_ms, r.max_backoff_ms,"
            + " (extract(epoch FROM r.timeout) * 1000)::bigint,"
            + " r.available_at, r.created_at,"
            // A claim writes only its own time: the run's start and heartbeat default to it.
            + " coalesce(r.started_at, CASE WHEN r.claimed_seq IS NOT NULL THEN r.claimed_at END),"
            + " r.finished_at,"
            + " coalesce(r.heartbeat_at, CASE WHEN r.claimed_seq IS NOT NULL THEN r.claimed_at END),"
            + " r.worker_id, r.cancel_requested, r.cancel_reason, r.idempotency_key, r.retry_of,"
            + " r.message, r.sealed_params";
    this.completeOneSql = completeOneStatement(this.schema);
    this.completeManySql = completeManyStatement(this.schema);
  }

  /**
   * The newest finished run of each lane in the array bound to its one parameter: one backward
   * probe of {@code run_history_lane_idx} per lane, whatever the plan. That index is keyed by the
   * lane's {@code hashtext} and the creation time (schema 15), so the lane itself is checked on the
   * row, and runs created in the same instant are ordered by id as they are read. The hash is
   * matched as a range of one value ({@code >=} and {@code <=}) rather than with {@code =}, on
   * purpose: with {@code =} PostgreSQL treats it as a constant, drops it from the order, and may
   * read the order from {@code run_history_created_idx} instead, walking the whole history
   * backwards and filtering by lane; for a lane with no finished run that took about a second at
   * 1,000,000 runs ({@code QueuePlanTest} pins the plan). Ordered by the hash first, only the lane
   * index gives the order.
   */
  static String lastFinishedStatement(String schema, String runColumns) {
    return "SELECT "
        + runColumns
        + " FROM unnest(?::text[]) AS l(lane)"
        + " CROSS JOIN LATERAL (SELECT * FROM "
        + schema
        + ".run_history h WHERE "
        + byName("h.lane", "l.lane")
        + " ORDER BY hashtext(h.lane) DESC, h.created_at DESC, h.id DESC LIMIT 1) r";
  }

  /**
   * The condition that {@code column} is the one value bound to its two parameters, as a range of
   * one value, so that an index led by the name bounds the scan and leads the order.
   */
  private static String byRange(String column) {
    return column + " >= ? AND " + column + " <= ?";
  }

  /**
   * Appends to {@code sql} the condition that {@code column} is {@code name}, by its hash ({@link
   * #byName}) or as a range of one value ({@link #byRange}), with its parameters to {@code args};
   * returns the expression that leads the page order.
   */
  private static String matchName(
      StringBuilder sql, String column, String name, boolean byHash, List<Object> args) {
    sql.append(" AND ").append(byHash ? byName(column, "?::text") : byRange(column));
    for (int i = byHash ? 3 : 2; i > 0; i--) {
      args.add(name);
    }
    return byHash ? "hashtext(" + column + ")" : column;
  }

  /**
   * The condition that {@code column} holds the name {@code value}, written so that the history's
   * index on the name's {@code hashtext} bounds the scan (a range of one hash value, see {@link
   * #lastFinishedStatement}) and the name itself is checked on the row, since two names may share a
   * hash.
   */
  private static String byName(String column, String value) {
    return "hashtext("
        + column
        + ") >= hashtext("
        + value
        + ") AND hashtext("
        + column
        + ") <= hashtext("
        + value
        + ") AND "
        + column
        + " = "
        + value;
  }

  /**
   * The claim over {@code lanes} distinct lanes: the statement of the schema's {@code claim_runs}
   * function, sent by the client as a prepared statement (pgjdbc prepares it on the server after a
   * few uses on a connection), which saves the function call, and joined to each run's template
   * definition. Claimers skip each other's runs with a transaction-scoped advisory lock per run,
   * which writes nothing to the WAL, where a row lock would; once it holds a run's lock, the claim
   * takes a row version nobody has touched ({@code xmax} 0) as it is, and reads any other as
   * committed now ({@code still_claimable}), since the statement's snapshot may predate another
   * claim of it; the update checks the row again, so the lock only keeps claimers apart and never
   * decides who owns a run.
   *
   * <p>Each lane is read by a branch of its own in claim-index order, and PostgreSQL merges the
   * branches (Merge Append): it reads a lane's next run only once it has taken the one before, so
   * the lock filter runs on at most {@code limit + lanes - 1} runs, the ones taken and one waiting
   * at the head of each other lane. Reading every lane up to the limit and then keeping the best
   * would lock up to the limit in each lane, and hold those locks to the end of the transaction,
   * keeping other claimers off runs this claim does not take. Each branch carries the limit of its
   * own as well: that is what makes PostgreSQL plan it as a read of the index in order, which a
   * plain {@code UNION ALL} of the lanes does not get (the lane is not a known constant of the
   * merged rows).
   *
   * <p>The limit is written into the statement, not bound: with a bound limit PostgreSQL's generic
   * plan assumes a tenth of each lane, costs more than any plan for the limit at hand, and so the
   * server planned the statement again on every claim (as it did schema 15's statement; with four
   * branches that cost about 0.2 ms of its CPU per run, one claim per run). With the limit written
   * in, it uses a generic plan from the sixth claim with that limit on a connection. Parameters:
   * each lane, then the worker.
   */
  static String claimStatement(String schema, String runColumns, int lanes, int limit) {
    if (lanes < 1) {
      throw new IllegalArgumentException("a claim names at least one lane, got " + lanes);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("claim limit must be at least 1, got " + limit);
    }
    StringBuilder sql = new StringBuilder("WITH picked AS MATERIALIZED (SELECT c.id FROM (");
    for (int i = 0; i < lanes; i++) {
      sql.append(i == 0 ? "(" : " UNION ALL (")
          .append("SELECT r.id, r.priority FROM ")
          .append(schema)
          .append(".runs r WHERE r.lane = ?::text")
          .append(" AND CASE WHEN r.status = 'queued' AND r.available_at <= now()")
          .append(" THEN CASE WHEN pg_try_advisory_xact_lock(hashtext('")
          .append(schema)
          .append(".runs'), (r.id % 2147483648)::integer)")
          .append(" THEN r.xmax = '0'::xid OR ")
          .append(schema)
          .append(".still_claimable(r.id) ELSE false END")
          .append(" ELSE false END")
          .append(" ORDER BY r.priority DESC, r.id LIMIT ")
          .append(limit)
          .append(')');
    }
    return sql.append(") c ORDER BY c.priority DESC, c.id LIMIT ")
        .append(limit)
        .append("), claimed AS (")
        .append(" UPDATE ")
        .append(schema)
        .append(".runs r")
        .append(" SET status = 'running', attempt = r.attempt + 1, worker_id = ?::text,")
        .append(" event_seq = r.event_seq + 1, claimed_seq = r.event_seq + 1, claimed_at = now()")
        .append(" WHERE r.id = ANY (ARRAY(SELECT id FROM picked)) AND r.status = 'queued'")
        .append(" AND r.available_at <= now()")
        .append(" RETURNING r.*")
        .append(") SELECT ")
        .append(runColumns)
        .append(", t.definition FROM claimed r LEFT JOIN ")
        .append(schema)
        .append(".run_templates t ON t.hash = r.template_hash ORDER BY r.priority DESC, r.id")
        .toString();
  }

  /** The part of {@code complete_runs}' statement that appends the deleted runs to the history. */
  private static String moveToHistory(String schema) {
    return ", moved AS ("
        + " INSERT INTO "
        + schema
        + ".run_history ("
        + " id, template, template_hash, lane, priority, params, status, attempt, releases,"
        + " max_attempts, backoff_ms, max_backoff_ms, timeout, available_at, created_at,"
        + " started_at, finished_at, heartbeat_at, worker_id, cancel_requested, cancel_reason,"
        + " idempotency_key, retry_of, message, event_seq, sealed_params, enqueued_seq,"
        + " claimed_seq, claimed_by, claimed_at, completed_seq, outcome)"
        + " SELECT id, template, template_hash, lane, priority, params, final, attempt, releases,"
        + " max_attempts, backoff_ms, max_backoff_ms, timeout, available_at, created_at,"
        + " started_at, now(), heartbeat_at, NULL, cancel_requested, cancel_reason, idempotency_key,"
        + " retry_of, reported_message, event_seq + 1, sealed_params, enqueued_seq, claimed_seq,"
        + " worker_id, claimed_at, event_seq + 1, nullif(reported, final)"
        + " FROM done"
        + ")";
  }

  /**
   * The completion of one run: {@code complete_runs}' statement for one element, with scalar
   * parameters so that its cached generic plan costs what a custom one does and the server stops
   * planning it after a few calls. Parameters: run, attempt, worker, status, status, message.
   * Returns the final status, or no row when the run is no longer this worker's attempt.
   */
  static String completeOneStatement(String schema) {
    return "WITH done AS ("
        + " DELETE FROM "
        + schema
        + ".runs r"
        + " WHERE r.id = ?::bigint AND r.attempt = ?::integer AND r.worker_id = ?::text"
        + " AND r.status = 'running'"
        + " RETURNING r.*, CASE WHEN r.cancel_requested THEN 'cancelled' ELSE ?::text END AS final,"
        + " ?::text AS reported, ?::text AS reported_message"
        + ")"
        + moveToHistory(schema)
        + " SELECT id, final FROM done";
  }

  /**
   * The completion of several runs: {@code complete_runs}' statement. Parameters: runs, attempts,
   * statuses, messages (arrays), worker. Returns the final status per run, or 'lost'.
   */
  static String completeManyStatement(String schema) {
    return "WITH wanted AS ("
        + " SELECT * FROM unnest(?::bigint[], ?::integer[], ?::text[], ?::text[])"
        + " AS w(id, attempt, status, message)"
        + "), done AS ("
        + " DELETE FROM "
        + schema
        + ".runs r USING wanted w"
        + " WHERE r.id = w.id AND r.attempt = w.attempt AND r.worker_id = ?::text"
        + " AND r.status = 'running'"
        + " RETURNING r.*, CASE WHEN r.cancel_requested THEN 'cancelled' ELSE w.status END AS final,"
        + " w.status AS reported, w.message AS reported_message"
        + ")"
        + moveToHistory(schema)
        + " SELECT w.id, coalesce(d.final, 'lost') FROM wanted w LEFT JOIN done d ON d.id = w.id";
  }

  /** Returns the schema. */
  public String schema() {
    return schema;
  }

  @Override
  public Enqueued enqueue(NewRun run) {
    String sql =
        "SELECT run_id, created FROM "
            + schema
            + ".enqueue_run(?, ?, ?, ?, ?::jsonb, ?, ?, ?, ? * interval '1 millisecond',"
            + " ? * interval '1 millisecond', ? * interval '1 millisecond', ?, ?)";
    return inTransaction(
        c -> {
          long id;
          boolean created;
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, run.template());
            ps.setString(2, run.templateHash());
            ps.setString(3, run.templateDefinition());
            ps.setString(4, run.lane());
            ps.setString(5, run.params().toString());
            ps.setInt(6, run.priority());
            ps.setInt(7, run.maxAttempts());
            ps.setString(8, run.idempotencyKey());
            ps.setLong(9, run.backoff().toMillis());
            ps.setLong(10, run.maxBackoff().toMillis());
            if (run.timeout() == null) {
              ps.setNull(11, Types.BIGINT);
            } else {
              ps.setLong(11, run.timeout().toMillis());
            }
            if (run.retryOf() == null) {
              ps.setNull(12, Types.BIGINT);
            } else {
              ps.setLong(12, run.retryOf());
            }
            ps.setString(13, run.sealedParams());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              id = rs.getLong(1);
              created = rs.getBoolean(2);
            }
          }
          return new Enqueued(findIn(c, id).orElseThrow(), created);
        },
        "enqueue a run of " + run.template());
  }

  @Override
  public List<Run> claim(String workerId, Collection<String> lanes, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("claim limit must be at least 1, got " + limit);
    }
    if (workerId == null || workerId.isEmpty()) {
      throw new IllegalArgumentException("claim: a worker id is required");
    }
    // The definition each run was enqueued with comes along, so the worker need not read it back.
    // One statement: its own transaction.
    return Jdbc.autoCommitted(dataSource, c -> claimIn(c, workerId, lanes, limit), "claim runs");
  }

  /**
   * Claims up to {@code limit} runs of {@code lanes} for {@code workerId} on {@code c}; a lane
   * named twice counts once, and no lane claims nothing.
   */
  private List<Run> claimIn(Connection c, String workerId, Collection<String> lanes, int limit)
      throws SQLException {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(lanes));
    if (distinct.isEmpty()) {
      return List.of();
    }
    int lanesNamed = distinct.size();
    String sql =
        limit <= CACHED_CLAIM_LIMIT
            ? claimSql.computeIfAbsent(
                ((long) lanesNamed << 32) | limit,
                key -> claimStatement(schema, runColumns, lanesNamed, limit))
            : claimStatement(schema, runColumns, lanesNamed, limit);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int p = 1;
      for (String lane : distinct) {
        ps.setString(p++, lane);
      }
      ps.setString(p, workerId);
      return readRuns(ps, true);
    }
  }

  /** Completes one run on {@code c}; its new status, or empty when the lease no longer held. */
  private Optional<RunStatus> completeOneIn(Connection c, String workerId, Completion completion)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(completeOneSql)) {
      bindCompleteOne(ps, workerId, completion);
      return CompletionResult.inOrderOf(List.of(completion), readCompletions(ps))
          .get(0)
          .finalStatus();
    }
  }

  @Override
  public Heartbeat heartbeat(Lease lease) {
    return heartbeat(lease.workerId(), List.of(lease)).get(lease.runId());
  }

  @Override
  public Map<Long, Heartbeat> heartbeat(String workerId, Collection<Lease> leases) {
    Map<Long, Heartbeat> result = new LinkedHashMap<>();
    if (leases.isEmpty()) {
      return result;
    }
    String sql = "SELECT run_id, state FROM " + schema + ".heartbeat_runs(?, ?, ?)";
    // In run-id order, as completions lock several runs: the two do not deadlock.
    List<Lease> ordered = new ArrayList<>(leases);
    ordered.sort(Comparator.comparingLong(Lease::runId));
    return inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, workerId);
            ps.setArray(2, c.createArrayOf("bigint", ordered.stream().map(Lease::runId).toArray()));
            ps.setArray(3, c.createArrayOf("int4", ordered.stream().map(Lease::attempt).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                result.put(
                    rs.getLong(1),
                    switch (rs.getString(2)) {
                      case "ok" -> Heartbeat.OK;
                      case "cancel" -> Heartbeat.CANCEL_REQUESTED;
                      default -> Heartbeat.LOST;
                    });
              }
            }
          }
          return result;
        },
        "heartbeat runs");
  }

  @Override
  public CompletionResult complete(Completion completion) {
    return completeAll(completion.lease().workerId(), List.of(completion)).get(0);
  }

  @Override
  public List<CompletionResult> completeAll(String workerId, List<Completion> completions) {
    checkWorker(workerId, completions);
    if (completions.isEmpty()) {
      return List.of();
    }
    // One statement: its own transaction.
    return Jdbc.autoCommitted(
        dataSource, c -> completeAllIn(c, workerId, completions), "complete runs");
  }

  /**
   * The events and the completions in one transaction. The events are appended in run-id order, the
   * order in which the completion (and every other statement that locks several of a worker's runs)
   * locks the rows, so that two such transactions never wait for each other in a circle.
   */
  @Override
  public List<CompletionResult> completeAll(
      String workerId, List<Completion> completions, List<List<NewEvent>> events) {
    if (events.size() != completions.size()) {
      throw new IllegalArgumentException(
          completions.size() + " completions but " + events.size() + " lists of events");
    }
    checkWorker(workerId, completions);
    if (events.stream().allMatch(List::isEmpty)) {
      return completeAll(workerId, completions);
    }
    List<Integer> byId = new ArrayList<>();
    for (int i = 0; i < completions.size(); i++) {
      byId.add(i);
    }
    byId.sort(Comparator.comparingLong(i -> completions.get(i).lease().runId()));
    return inTransaction(
        c -> {
          List<Completion> accepted = new ArrayList<>();
          for (int i : byId) {
            if (events.get(i).isEmpty() || appendIn(c, completions.get(i).lease(), events.get(i))) {
              accepted.add(completions.get(i));
            }
          }
          return CompletionResult.inOrderOf(completions, completeAllIn(c, workerId, accepted));
        },
        "complete runs");
  }

  private static void checkWorker(String workerId, List<Completion> completions) {
    for (Completion completion : completions) {
      if (!completion.lease().workerId().equals(workerId)) {
        throw new IllegalArgumentException(
            "completion for run "
                + completion.lease().runId()
                + " belongs to worker "
                + completion.lease().workerId()
                + ", not "
                + workerId);
      }
    }
  }

  /** Completes {@code completions} (all of {@code workerId}) on {@code c}, in the given order. */
  private List<CompletionResult> completeAllIn(
      Connection c, String workerId, List<Completion> completions) throws SQLException {
    if (completions.isEmpty()) {
      return List.of();
    }
    if (completions.size() == 1) {
      Completion only = completions.get(0);
      return List.of(new CompletionResult(only.lease().runId(), completeOneIn(c, workerId, only)));
    }
    // Rows are locked in run-id order, the order every statement that locks several of a worker's
    // runs (heartbeats, other completions) uses, so two of them do not deadlock.
    List<Completion> ordered = new ArrayList<>(completions);
    ordered.sort(Comparator.comparingLong(x -> x.lease().runId()));
    try (PreparedStatement ps = c.prepareStatement(completeManySql)) {
      ps.setArray(
          1, c.createArrayOf("bigint", ordered.stream().map(x -> x.lease().runId()).toArray()));
      ps.setArray(
          2, c.createArrayOf("int4", ordered.stream().map(x -> x.lease().attempt()).toArray()));
      ps.setArray(
          3, c.createArrayOf("text", ordered.stream().map(x -> x.status().wireName()).toArray()));
      ps.setArray(
          4, c.createArrayOf("text", ordered.stream().map(x -> storable(x.message())).toArray()));
      ps.setString(5, workerId);
      return CompletionResult.inOrderOf(completions, readCompletions(ps));
    }
  }

  private static void bindCompleteOne(PreparedStatement ps, String workerId, Completion only)
      throws SQLException {
    ps.setLong(1, only.lease().runId());
    ps.setInt(2, only.lease().attempt());
    ps.setString(3, workerId);
    ps.setString(4, only.status().wireName());
    ps.setString(5, only.status().wireName());
    ps.setString(6, storable(only.message()));
  }

  /**
   * The message as PostgreSQL text can hold it: a NUL character, which text refuses, becomes
   * U+FFFD, as in stored events. Without this, one such message failed its completion, and every
   * completion sent in the same batch with it.
   */
  private static String storable(String message) {
    return message == null ? null : message.replace("\u0000", "\uFFFD");
  }

  /** The completions' answers, one per row: the run and its status, {@code lost} as empty. */
  private static List<CompletionResult> readCompletions(PreparedStatement ps) throws SQLException {
    List<CompletionResult> found = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String status = rs.getString(2);
        found.add(
            new CompletionResult(
                rs.getLong(1),
                "lost".equals(status)
                    ? Optional.empty()
                    : Optional.of(RunStatus.fromWire(status))));
      }
    }
    return found;
  }

  @Override
  public CompletionResult completeOrRetry(Completion completion) {
    Lease lease = completion.lease();
    String sql = "SELECT final_status FROM " + schema + ".retry_run(?, ?, ?, ?, ?)";
    String status =
        inTransaction(
            c -> {
              return Jdbc.one(
                  c,
                  sql,
                  rs -> rs.getString(1),
                  lease.runId(),
                  lease.attempt(),
                  lease.workerId(),
                  completion.status().wireName(),
                  completion.message());
            },
            "complete or retry run " + lease.runId());
    return new CompletionResult(
        lease.runId(),
        "lost".equals(status) ? Optional.empty() : Optional.of(RunStatus.fromWire(status)));
  }

  @Override
  public boolean release(Lease lease) {
    String sql = "SELECT " + schema + ".release_run(?, ?, ?)";
    return inTransaction(
        c -> {
          return Jdbc.one(
              c, sql, rs -> rs.getBoolean(1), lease.runId(), lease.attempt(), lease.workerId());
        },
        "release run " + lease.runId());
  }

  @Override
  public CancelResult cancel(long runId, String reason) {
    String sql = "SELECT " + schema + ".cancel_run(?, ?)";
    return inTransaction(
        c -> {
          return Jdbc.one(
              c,
              sql,
              rs ->
                  switch (rs.getString(1)) {
                    case "cancelled" -> CancelResult.CANCELLED;
                    case "cancel_requested" -> CancelResult.CANCEL_REQUESTED;
                    case "unchanged" -> CancelResult.UNCHANGED;
                    default -> CancelResult.NOT_FOUND;
                  },
              runId,
              reason);
        },
        "cancel run " + runId);
  }

  @Override
  public Run retry(long runId) {
    Run original =
        find(runId)
            .orElseThrow(() -> TollgateException.badInput("run " + runId + " does not exist"));
    return enqueue(NewRun.retrying(original)).run();
  }

  @Override
  public boolean appendEvents(Lease lease, List<NewEvent> events) {
    if (events.isEmpty()) {
      return true;
    }
    return inTransaction(c -> appendIn(c, lease, events), "append events to run " + lease.runId());
  }

  /**
   * Appends the events and completes the run in one transaction: one commit where {@link
   * #appendEvents} then {@link #complete(Completion)} take two.
   */
  @Override
  public CompletionResult complete(Completion completion, List<NewEvent> events) {
    if (events.isEmpty()) {
      return complete(completion);
    }
    Lease lease = completion.lease();
    Optional<RunStatus> status =
        inTransaction(
            c -> appendAndCompleteIn(c, completion, events), "complete run " + lease.runId());
    return new CompletionResult(lease.runId(), status);
  }

  /**
   * One statement in its own transaction, committed with {@code synchronous_commit} off for that
   * transaction only ({@code set_config}'s third argument): PostgreSQL reads the setting when the
   * transaction commits and resets it after, so the pooled connection keeps the durable default.
   */
  @Override
  public boolean appendEventsUnflushed(Lease lease, List<NewEvent> events) {
    if (events.isEmpty()) {
      return true;
    }
    return Jdbc.autoCommitted(
        dataSource,
        c ->
            Jdbc.one(
                c,
                "SELECT set_config('synchronous_commit', 'off', true), "
                    + schema
                    + ".append_run_events(?, ?, ?, ?::jsonb)",
                rs -> rs.getInt(2) >= 0,
                lease.runId(),
                lease.attempt(),
                lease.workerId(),
                eventsJson(events)),
        "append events to run " + lease.runId());
  }

  /**
   * The events (when there are any), the completion and the claim in one transaction: one commit
   * where {@link #complete(Completion, List)} and {@link #claim} take two. The claim skips the runs
   * other claims hold (advisory locks, see {@link #claimStatement}), so it never waits on them.
   */
  @Override
  public CompletedAndClaimed completeAndClaim(
      Completion completion, List<NewEvent> events, Collection<String> lanes, int limit) {
    if (limit < 1) {
      return new CompletedAndClaimed(complete(completion, events), List.of());
    }
    Lease lease = completion.lease();
    return inTransaction(
        c -> {
          Optional<RunStatus> status = appendAndCompleteIn(c, completion, events);
          List<Run> claimed = claimIn(c, lease.workerId(), lanes, limit);
          return new CompletedAndClaimed(new CompletionResult(lease.runId(), status), claimed);
        },
        "complete run " + lease.runId() + " and claim runs");
  }

  /**
   * Appends {@code events} (when there are any) and completes the run on {@code c}, both fenced by
   * the lease; empty when the lease no longer held, and then nothing is written.
   */
  private Optional<RunStatus> appendAndCompleteIn(
      Connection c, Completion completion, List<NewEvent> events) throws SQLException {
    Lease lease = completion.lease();
    return events.isEmpty() || appendIn(c, lease, events)
        ? completeOneIn(c, lease.workerId(), completion)
        : Optional.empty();
  }

  private boolean appendIn(Connection c, Lease lease, List<NewEvent> events) throws SQLException {
    return Jdbc.one(
        c,
        "SELECT " + schema + ".append_run_events(?, ?, ?, ?::jsonb)",
        rs -> rs.getInt(1) >= 0,
        lease.runId(),
        lease.attempt(),
        lease.workerId(),
        eventsJson(events));
  }

  private static String eventsJson(List<NewEvent> events) {
    ArrayNode array = JSON.createArrayNode();
    for (NewEvent event : events) {
      ObjectNode o = array.addObject();
      o.put("kind", event.kind());
      if (event.stream() != null) {
        o.put("stream", event.stream());
      }
      if (event.message() != null) {
        o.put("message", event.message().replace("\u0000", "\uFFFD"));
      }
      if (event.data() != null) {
        o.set("data", event.data());
      }
    }
    return array.toString();
  }

  @Override
  public List<SweepDecision> sweep(Duration staleAfter, int limit) {
    String sql =
        "SELECT run_id, decision, attempt, available_at FROM "
            + schema
            + ".sweep_runs(? * interval '1 millisecond', ?)";
    return inTransaction(
        c -> {
          return Jdbc.list(
              c,
              sql,
              rs ->
                  new SweepDecision(
                      rs.getLong(1),
                      switch (rs.getString(2)) {
                        case "requeued" -> SweepDecision.Outcome.REQUEUED;
                        case "cancelled" -> SweepDecision.Outcome.CANCELLED;
                        default -> SweepDecision.Outcome.ERROR;
                      },
                      rs.getInt(3),
                      Jdbc.instant(rs, 4)),
              staleAfter.toMillis(),
              limit);
        },
        "sweep runs");
  }

  @Override
  public Optional<Run> find(long runId) {
    return inTransaction(c -> findIn(c, runId), "read run " + runId);
  }

  @Override
  public Optional<String> templateDefinition(String sha256) {
    if (sha256 == null || !HEX.matcher(sha256).matches()) {
      // Hashes are stored as bytes: what is not hex names no stored template.
      return Optional.empty();
    }
    return inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT definition FROM "
                      + schema
                      + ".run_templates WHERE hash = decode(?, 'hex')")) {
            ps.setString(1, sha256);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
          }
        },
        "read template " + sha256);
  }

  @Override
  public List<RunStep> steps(long runId) {
    return inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT attempt, idx, name, status, started_at, finished_at FROM "
                      + schema
                      + ".run_steps WHERE run_id = ? ORDER BY attempt, idx")) {
            ps.setLong(1, runId);
            List<RunStep> steps = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                steps.add(
                    new RunStep(
                        rs.getInt(1),
                        rs.getInt(2),
                        rs.getString(3),
                        rs.getString(4),
                        Jdbc.instant(rs, 5),
                        Jdbc.instant(rs, 6)));
              }
            }
            return steps;
          }
        },
        "read the steps of run " + runId);
  }

  private Optional<Run> findIn(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + runColumns + " FROM " + schema + ".all_runs r WHERE r.id = ?")) {
      ps.setLong(1, runId);
      List<Run> runs = readRuns(ps);
      return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }
  }

  /**
   * Lists runs newest first, by creation time and then id, over the live queue and the history
   * ({@code all_runs}): each table is read in its own index order and the two are merged, so a page
   * costs about the same at any history size. The keyset cursor is the position of the run {@code
   * beforeId} in that order; a cursor run that no longer exists (pruned) falls back to ids below
   * it.
   */
  @Override
  public List<Run> list(RunFilter filter) {
    return inTransaction(
        c -> {
          Optional<OffsetDateTime> cursor =
              filter.beforeId() == null
                  ? Optional.empty()
                  : Jdbc.first(
                      c,
                      "SELECT created_at FROM " + schema + ".all_runs WHERE id = ?",
                      rs -> rs.getObject(1, OffsetDateTime.class),
                      filter.beforeId());
          List<Object> args = new ArrayList<>();
          String sql = listStatement(schema, runColumns, filter, cursor, args);
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
              ps.setObject(i + 1, args.get(i));
            }
            return readRuns(ps);
          }
        },
        "list runs");
  }

  /**
   * The statement of one {@link #list} page, its parameters appended to {@code args}. {@code
   * cursor} is the creation time of the run {@code filter.beforeId()}, empty when it is not set or
   * that run no longer exists.
   */
  static String listStatement(
      String schema,
      String runColumns,
      RunFilter filter,
      Optional<OffsetDateTime> cursor,
      List<Object> args) {
    StringBuilder sql =
        new StringBuilder("SELECT ").append(runColumns).append(" FROM ").append(schema);
    sql.append(".all_runs r WHERE true");
    if (filter.status() != null) {
      // One of five fixed words, written into the statement rather than bound so that the
      // planner can choose the partial indexes of failed runs (which a parameter defeats
      // once a prepared statement switches to a generic plan).
      sql.append(" AND r.status = '").append(filter.status().wireName()).append('\'');
    }
    // The lane (or else the template) is matched as a range of one value and leads the order, as
    // in lastFinishedStatement: with '=' a generic plan may read the page order from the
    // creation-time index and filter, which for a lane or template with few finished runs walks
    // the whole history; led by it, only that name's index gives the order. Failed and cancelled
    // runs have partial indexes by name, status and time; every other page reads the index by the
    // name's hash and time, and checks the name on the row.
    boolean byHash = filter.status() != RunStatus.ERROR && filter.status() != RunStatus.CANCELLED;
    String leading = null;
    if (filter.lane() != null) {
      leading = matchName(sql, "r.lane", filter.lane(), byHash, args);
    }
    if (filter.template() != null) {
      if (leading == null) {
        leading = matchName(sql, "r.template", filter.template(), byHash, args);
      } else {
        sql.append(" AND r.template = ?");
        args.add(filter.template());
      }
    }
    if (filter.since() != null) {
      sql.append(" AND r.created_at >= ?");
      args.add(OffsetDateTime.ofInstant(filter.since(), ZoneOffset.UTC));
    }
    if (filter.until() != null) {
      sql.append(" AND r.created_at < ?");
      args.add(OffsetDateTime.ofInstant(filter.until(), ZoneOffset.UTC));
    }
    if (filter.beforeId() != null) {
      if (cursor.isPresent()) {
        sql.append(" AND (r.created_at, r.id) < (?, ?)");
        args.add(cursor.get());
      } else {
        sql.append(" AND r.id < ?");
      }
      args.add(filter.beforeId());
    }
    if (filter.search() != null && !filter.search().isBlank()) {
      // Secret parameters live sealed in sealed_params, which is never searched; params
      // holds '***' in their place.
      sql.append(
          " AND strpos(lower(concat_ws(' ', r.template, r.params::text, r.message,"
              + " r.idempotency_key, r.cancel_reason)), lower(?)) > 0");
      args.add(filter.search());
    }
    sql.append(" ORDER BY ");
    if (leading != null) {
      sql.append(leading).append(" DESC, ");
    }
    sql.append("r.created_at DESC, r.id DESC LIMIT ?");
    args.add(filter.limit());
    return sql.toString();
  }

  @Override
  public java.util.Map<String, Run> lastFinished(java.util.Collection<String> lanes) {
    if (lanes.isEmpty()) {
      return java.util.Map.of();
    }
    String sql = lastFinishedStatement(schema, runColumns);
    return inTransaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", lanes.toArray()));
            java.util.Map<String, Run> out = new java.util.TreeMap<>();
            for (Run run : readRuns(ps)) {
              out.put(run.lane(), run);
            }
            return out;
          }
        },
        "read the last finished run of each lane");
  }

  @Override
  public List<RunEvent> events(long runId, int afterSeq, int limit) {
    String sql =
        "SELECT run_id, seq, attempt, at, kind, stream, message, data::text FROM "
            + schema
            + ".run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?";
    return inTransaction(
        c -> {
          return Jdbc.list(
              c,
              sql,
              rs ->
                  new RunEvent(
                      rs.getLong(1),
                      rs.getInt(2),
                      rs.getInt(3),
                      Jdbc.instant(rs, 4),
                      rs.getString(5),
                      rs.getString(6),
                      rs.getString(7),
                      Jdbc.json(rs.getString(8))),
              runId,
              afterSeq,
              limit);
        },
        "read events of run " + runId);
  }

  @Override
  public boolean putArtifact(Lease lease, String name, byte[] content) {
    ArtifactNames.check(name);
    if (content.length > maxArtifactBytes) {
      throw TollgateException.badInput(
          "artifact "
              + name
              + ": expected at most "
              + maxArtifactBytes
              + " bytes, found "
              + content.length);
    }
    String sha = Sha256.hex(content);
    String inline = content.length <= INLINE_LIMIT ? asText(content) : null;
    return inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM "
                      + schema
                      + ".runs WHERE id = ? AND attempt = ? AND worker_id = ? AND status ="
                      + " 'running' FOR SHARE")) {
            ps.setLong(1, lease.runId());
            ps.setInt(2, lease.attempt());
            ps.setString(3, lease.workerId());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return false;
              }
            }
          }
          if (inline == null) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO "
                        + schema
                        + ".artifact_blobs (sha256, size, content) VALUES (?, ?, ?)"
                        + " ON CONFLICT (sha256) DO NOTHING")) {
              ps.setString(1, sha);
              ps.setLong(2, content.length);
              ps.setBytes(3, content);
              ps.executeUpdate();
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + schema
                      + ".artifacts (run_id, name, attempt, sha256, size, inline)"
                      + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, name) DO UPDATE SET"
                      + " attempt = excluded.attempt, sha256 = excluded.sha256,"
                      + " size = excluded.size, inline = excluded.inline, created_at = now()")) {
            ps.setLong(1, lease.runId());
            ps.setString(2, name);
            ps.setInt(3, lease.attempt());
            ps.setString(4, sha);
            ps.setLong(5, content.length);
            ps.setString(6, inline);
            ps.executeUpdate();
          }
          return true;
        },
        "store artifact " + name + " of run " + lease.runId());
  }

  @Override
  public List<Artifact> artifacts(long runId) {
    String sql =
        "SELECT run_id, name, attempt, size, sha256, inline IS NOT NULL, created_at FROM "
            + schema
            + ".artifacts WHERE run_id = ? ORDER BY name";
    return inTransaction(
        c -> {
          return Jdbc.list(
              c,
              sql,
              rs ->
                  new Artifact(
                      rs.getLong(1),
                      rs.getString(2),
                      rs.getInt(3),
                      rs.getLong(4),
                      rs.getString(5),
                      rs.getBoolean(6),
                      Jdbc.instant(rs, 7)),
              runId);
        },
        "list artifacts of run " + runId);
  }

  @Override
  public Optional<byte[]> artifactContent(long runId, String name) {
    String sql =
        "SELECT a.inline, b.content FROM "
            + schema
            + ".artifacts a LEFT JOIN "
            + schema
            + ".artifact_blobs b ON a.inline IS NULL AND b.sha256 = a.sha256"
            + " WHERE a.run_id = ? AND a.name = ?";
    return inTransaction(
        c ->
            Jdbc.first(
                c,
                sql,
                rs -> {
                  String inline = rs.getString(1);
                  return inline != null ? inline.getBytes(StandardCharsets.UTF_8) : rs.getBytes(2);
                },
                runId,
                name),
        "read artifact " + name + " of run " + runId);
  }

  @Override
  public String manifest(long runId) {
    StringBuilder sb = new StringBuilder();
    for (Artifact artifact : artifacts(runId)) {
      sb.append(artifact.sha256()).append("  ").append(artifact.name()).append('\n');
    }
    return sb.toString();
  }

  @Override
  public QueueStats stats() {
    return inTransaction(new StatsQuery(schema)::read, "read queue statistics");
  }

  @Override
  public AutoCloseable listen(Consumer<String> onRunnable, LongConsumer onCancel) {
    return NotificationListener.start(dataSource, schema, onRunnable, onCancel);
  }

  @Override
  public LogWatch watchLogs(LongConsumer onAppended, Runnable onResync) {
    return LogListener.start(dataSource, schema, onAppended, onResync);
  }

  @Override
  public void registerWorker(String workerId, Collection<String> lanes) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown";
    }
    String hostName = host;
    inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + schema
                      + ".worker_sessions (worker_id, host, pid, lanes) VALUES (?, ?, ?, ?)"
                      + " ON CONFLICT (worker_id) DO UPDATE SET host = excluded.host,"
                      + " pid = excluded.pid, lanes = excluded.lanes, started_at = now(),"
                      + " last_seen_at = now(), stopped_at = NULL")) {
            ps.setString(1, workerId);
            ps.setString(2, hostName);
            ps.setLong(3, ProcessHandle.current().pid());
            ps.setArray(4, c.createArrayOf("text", lanes.toArray()));
            ps.executeUpdate();
          }
          return null;
        },
        "register worker " + workerId);
  }

  @Override
  public void unregisterWorker(String workerId) {
    inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + schema
                      + ".worker_sessions SET stopped_at = now() WHERE worker_id = ?")) {
            ps.setString(1, workerId);
            ps.executeUpdate();
          }
          return null;
        },
        "unregister worker " + workerId);
  }

  private List<Run> readRuns(PreparedStatement ps) throws SQLException {
    return readRuns(ps, false);
  }

  /** Reads runs; with {@code withDefinition}, column 26 holds each run's template definition. */
  private List<Run> readRuns(PreparedStatement ps, boolean withDefinition) throws SQLException {
    return Jdbc.list(ps, rs -> readRun(rs, withDefinition));
  }

  private Run readRun(ResultSet rs, boolean withDefinition) throws SQLException {
    return new Run(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getInt(5),
        Jdbc.json(rs.getString(6)),
        rs.getString(25),
        RunStatus.fromWire(rs.getString(7)),
        rs.getInt(8),
        rs.getInt(9),
        rs.getInt(10),
        Duration.ofMillis(rs.getLong(11)),
        Duration.ofMillis(rs.getLong(12)),
        millis(rs, 13),
        Jdbc.instant(rs, 14),
        Jdbc.instant(rs, 15),
        Jdbc.instant(rs, 16),
        Jdbc.instant(rs, 17),
        Jdbc.instant(rs, 18),
        rs.getString(19),
        rs.getBoolean(20),
        rs.getString(21),
        rs.getString(22),
        (Long) rs.getObject(23, Long.class),
        rs.getString(24),
        withDefinition ? rs.getString(26) : null);
  }

  private static Duration millis(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Duration.ofMillis(v);
  }

  private static String asText(byte[] content) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
      return text.indexOf('\u0000') >= 0 ? null : text;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  <T> T inTransaction(Jdbc.Work<T> work, String what) {
    return Jdbc.inTransaction(dataSource, work, what);
  }
}
