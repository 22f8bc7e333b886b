package dev.tollgate.core.db.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.runs.RunFilter;
import dev.tollgate.core.runs.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plan regression: over a large backlog and a large history (by default 100,000 queued and
 * 1,000,000 finished runs; {@code -Dtollgate.planTest.queued} and {@code .finished} change them),
 * the statements inside {@code claim_runs} and {@code complete_runs}, and the same statements sent
 * by the client ({@link JdbcRunQueue#claimStatement}, {@link JdbcRunQueue#completeOneStatement},
 * {@link JdbcRunQueue#completeManyStatement}), use the intended indexes, with custom and with
 * generic plans, and so does the runboard's newest finished run per lane ({@link
 * JdbcRunQueue#lastFinishedStatement}). The plans are the ones PostgreSQL executes, read back
 * through {@code auto_explain} (nested statements, sent to the client as notices).
 */
class QueuePlanTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUEUED = Integer.getInteger("tollgate.planTest.queued", 100_000);
  private static final int FINISHED = Integer.getInteger("tollgate.planTest.finished", 1_000_000);

  private static Database db;
  private static String schema;

  @BeforeAll
  static void fill() {
    db = TestDatabase.freshSchema("plans", 2);
    schema = db.schema();
    TestDatabase.execute(
        db.dataSource(),
        "INSERT INTO "
            + schema
            + ".run_history (id, template, lane, params, status, attempt, max_attempts,"
            + " created_at, available_at, started_at, finished_at, message, event_seq)"
            + " SELECT g, 'tpl-' || (g % 20), 'lane-' || (g % 8), '{}'::jsonb,"
            + " CASE WHEN g % 100 = 0 THEN 'error' ELSE 'success' END, 1, 3,"
            + " now() - make_interval(secs => "
            + FINISHED
            + " - g), now(), now(), now(), NULL, 3 FROM generate_series(1, "
            + FINISHED
            + ") g");
    TestDatabase.execute(
        db.dataSource(),
        "SELECT setval(pg_get_serial_sequence('" + schema + ".runs', 'id'), " + FINISHED + ")");
    TestDatabase.execute(
        db.dataSource(),
        "INSERT INTO "
            + schema
            + ".runs (template, lane, priority, event_seq) SELECT 'noop', 'lane-' || (g % 4),"
            + " g % 3, 1 FROM generate_series(1, "
            + QUEUED
            + ") g");
    TestDatabase.execute(db.dataSource(), "ANALYZE " + schema + ".runs");
    TestDatabase.execute(db.dataSource(), "ANALYZE " + schema + ".run_history");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void custom_plans_claim_in_claim_index_order_and_complete_by_primary_key() throws Exception {
    check("force_custom_plan");
  }

  @Test
  void generic_plans_claim_in_claim_index_order_and_complete_by_primary_key() throws Exception {
    check("force_generic_plan");
  }

  @Test
  void the_runboards_last_finished_run_per_lane_probes_the_lane_index_with_any_plan()
      throws Exception {
    for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
      try (Connection c = db.dataSource().getConnection();
          Statement st = c.createStatement()) {
        explainEverything(st, mode);
        long newest;
        try (ResultSet rs =
            st.executeQuery(
                "SELECT id FROM "
                    + schema
                    + ".run_history WHERE lane = 'lane-1' ORDER BY created_at DESC, id DESC"
                    + " LIMIT 1")) {
          assertThat(rs.next()).isTrue();
          newest = rs.getLong(1);
        }
        // Run it past the five executions after which PostgreSQL may keep a generic plan.
        for (int i = 0; i < 7; i++) {
          try (PreparedStatement ps =
              c.prepareStatement(JdbcRunQueue.lastFinishedStatement(schema, "r.id, r.lane"))) {
            // A lane with history, and one without (where a walk of the whole history hid).
            ps.setArray(1, c.createArrayOf("text", new Object[] {"lane-1", "live-0"}));
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.add(rs.getString(2) + " " + rs.getLong(1));
              }
            }
            assertThat(rows).containsExactly("lane-1 " + newest);
            List<JsonNode> scans = new ArrayList<>();
            for (JsonNode plan : plans(ps.getWarnings())) {
              collectScans(plan, "run_history", scans);
            }
            assertThat(scans).as(mode).isNotEmpty();
            for (JsonNode scan : scans) {
              assertThat(scan.path("Index Name").asText())
                  .as("%s: %s", mode, scan)
                  .isEqualTo("run_history_lane_idx");
              assertThat(scan.path("Index Cond").asText())
                  .as("%s", scan)
                  .contains("hashtext(lane) >= ");
            }
          }
        }
      }
    }
  }

  /**
   * A page of the runs list and the history index that should give it in page order. The lane and
   * the template match no finished run: for a value the statistics call common, reading the
   * creation-time index and filtering is as good, but for a rare one it walks the whole history.
   */
  private record Page(String index, RunFilter filter) {}

  @Test
  void each_history_page_reads_its_index_in_page_order_with_any_plan() throws Exception {
    Instant now = Instant.now();
    List<Page> pages =
        List.of(
            new Page("run_history_created_idx", new RunFilter(null, null, null, null, null, 50)),
            new Page(
                "run_history_created_idx",
                new RunFilter(
                    null,
                    null,
                    null,
                    now.minusSeconds(FINISHED * 3L / 4),
                    null,
                    50,
                    now.minusSeconds(FINISHED / 2),
                    null)),
            new Page("run_history_lane_idx", new RunFilter(null, "lane-9", null, null, null, 50)),
            new Page(
                "run_history_template_idx", new RunFilter(null, null, "tpl-99", null, null, 50)),
            new Page(
                "run_history_failed_idx",
                new RunFilter(RunStatus.ERROR, null, null, null, null, 50)),
            new Page(
                "run_history_lane_failed_idx",
                new RunFilter(RunStatus.ERROR, "lane-4", null, null, null, 50)),
            new Page(
                "run_history_template_failed_idx",
                new RunFilter(RunStatus.ERROR, null, "tpl-0", null, null, 50)),
            new Page(
                "run_history_lane_idx", new RunFilter(null, "lane-9", "tpl-7", null, null, 50)),
            new Page(
                "run_history_lane_idx",
                new RunFilter(
                    null, "lane-9", null, now.minusSeconds(FINISHED / 2), null, 50, null, null)));
    for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
      try (Connection c = db.dataSource().getConnection();
          Statement st = c.createStatement()) {
        explainEverything(st, mode);
        for (Page page : pages) {
          List<Object> args = new ArrayList<>();
          String sql =
              JdbcRunQueue.listStatement(schema, "r.id", page.filter(), Optional.empty(), args);
          // Past the five executions after which PostgreSQL may keep a generic plan.
          for (int i = 0; i < 7; i++) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              for (int a = 0; a < args.size(); a++) {
                ps.setObject(a + 1, args.get(a));
              }
              int rows = 0;
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  rows++;
                }
              }
              assertThat(rows).as("%s %s", mode, page.filter()).isLessThanOrEqualTo(50);
              List<JsonNode> plans = plans(ps.getWarnings());
              List<JsonNode> scans = new ArrayList<>();
              for (JsonNode plan : plans) {
                collectScans(plan, "run_history", scans);
              }
              assertThat(scans).as("%s %s", mode, page.filter()).isNotEmpty();
              for (JsonNode scan : scans) {
                assertThat(scan.path("Index Name").asText())
                    .as("%s %s: %s", mode, page.filter(), scan)
                    .isEqualTo(page.index());
                if (!page.index().equals("run_history_created_idx")) {
                  // Bounded by the filter, not a walk of the whole index.
                  assertThat(scan.path("Index Cond").asText())
                      .as("%s %s: %s", mode, page.filter(), scan)
                      .isNotEmpty();
                }
              }
              if (page.index().equals("run_history_created_idx")) {
                // The page order comes from the index: nothing sorts the history.
                for (JsonNode sort : nodes(plans, "Sort")) {
                  List<JsonNode> sorted = new ArrayList<>();
                  collectScans(sort, "run_history", sorted);
                  assertThat(sorted).as("a Sort over the history: %s", sort).isEmpty();
                }
              }
            }
          }
        }
      }
    }
  }

  private static void collectScans(JsonNode node, String relation, List<JsonNode> found) {
    if (relation.equals(node.path("Relation Name").asText())) {
      found.add(node);
    }
    for (JsonNode child : node.path("Plans")) {
      collectScans(child, relation, found);
    }
  }

  /** Sends every plan the session executes, nested ones too, to the client as a JSON notice. */
  private static void explainEverything(Statement st, String mode) throws SQLException {
    try {
      st.execute("LOAD 'auto_explain'");
      st.execute("SET auto_explain.log_level = 'notice'");
    } catch (SQLException e) {
      Assumptions.abort("auto_explain cannot be loaded on this server: " + e.getMessage());
    }
    st.execute("SET auto_explain.log_min_duration = 0");
    st.execute("SET auto_explain.log_nested_statements = on");
    st.execute("SET auto_explain.log_format = 'json'");
    st.execute("SET plan_cache_mode = " + mode);
  }

  private static void check(String mode) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      explainEverything(st, mode);
      for (int round = 0; round < 3; round++) {
        List<long[]> leases = new ArrayList<>();
        List<JsonNode> claimPlans = new ArrayList<>();
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, attempt FROM "
                    + schema
                    + ".claim_runs(?, ARRAY['lane-1', 'lane-2'], 10)")) {
          ps.setString(1, "planner");
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              leases.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
          }
          claimPlans.addAll(plans(ps.getWarnings()));
        }
        assertThat(leases).hasSize(10);
        assertClaimPlans(claimPlans);

        StringBuilder ids = new StringBuilder();
        StringBuilder attempts = new StringBuilder();
        for (long[] lease : leases) {
          ids.append(ids.length() == 0 ? "" : ",").append(lease[0]);
          attempts.append(attempts.length() == 0 ? "" : ",").append(lease[1]);
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM "
                    + schema
                    + ".complete_runs('planner', ?::bigint[], ?::int[], array_fill('success'::text,"
                    + " ARRAY[?]), array_fill(NULL::text, ARRAY[?])) WHERE final_status = 'success'")) {
          ps.setString(1, "{" + ids + "}");
          ps.setString(2, "{" + attempts + "}");
          ps.setInt(3, leases.size());
          ps.setInt(4, leases.size());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(leases.size());
          }
          assertCompletionPlans(plans(ps.getWarnings()));
        }

        // The client's statements: a claim, then one completion alone and the rest together.
        leases.clear();
        try (PreparedStatement ps =
            c.prepareStatement(JdbcRunQueue.claimStatement(schema, "r.id, r.attempt", 2, 10))) {
          ps.setString(1, "lane-1");
          ps.setString(2, "lane-2");
          ps.setString(3, "client");
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              leases.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
          }
          assertThat(leases).hasSize(10);
          assertClaimPlans(plans(ps.getWarnings()));
        }
        try (PreparedStatement ps = c.prepareStatement(JdbcRunQueue.completeOneStatement(schema))) {
          ps.setLong(1, leases.get(0)[0]);
          ps.setInt(2, (int) leases.get(0)[1]);
          ps.setString(3, "client");
          ps.setString(4, "success");
          ps.setString(5, "success");
          ps.setString(6, null);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).isEqualTo("success");
          }
          assertCompletionPlans(plans(ps.getWarnings()));
        }
        List<long[]> rest = leases.subList(1, leases.size());
        try (PreparedStatement ps =
            c.prepareStatement(JdbcRunQueue.completeManyStatement(schema))) {
          ps.setArray(1, c.createArrayOf("bigint", rest.stream().map(l -> l[0]).toArray()));
          ps.setArray(2, c.createArrayOf("int4", rest.stream().map(l -> (int) l[1]).toArray()));
          ps.setArray(3, c.createArrayOf("text", rest.stream().map(l -> "success").toArray()));
          ps.setArray(4, c.createArrayOf("text", new Object[rest.size()]));
          ps.setString(5, "client");
          int done = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              assertThat(rs.getString(2)).isEqualTo("success");
              done++;
            }
          }
          assertThat(done).isEqualTo(rest.size());
          assertCompletionPlans(plans(ps.getWarnings()));
        }
      }
    }
  }

  /**
   * The claim reads runs in claim-index order without sorting the backlog: each lane's Limit reads
   * {@code runs_claim_idx} with no Sort beneath it, and no row is locked (claimers skip each other
   * with advisory locks, which the filter takes).
   */
  private static void assertClaimPlans(List<JsonNode> claimPlans) {
    assertThat(nodes(claimPlans, "LockRows")).as("row locks in the claim plans").isEmpty();
    List<JsonNode> perLane = new ArrayList<>();
    for (JsonNode limit : nodes(claimPlans, "Limit")) {
      // The innermost Limits over runs: one per lane (the outer one takes the best of all lanes).
      if (!indexesOf(limit, "runs").isEmpty() && nodes(List.of(limit), "Limit").size() == 1) {
        perLane.add(limit);
      }
    }
    assertThat(perLane).as("a Limit over runs in the claim plans").isNotEmpty();
    // Schema 16: the lanes' reads are merged, so that each lane is read (and its runs locked) only
    // as far as the claim takes runs from it.
    assertThat(nodes(claimPlans, "Merge Append"))
        .as("the lanes merged in the claim plans")
        .isNotEmpty();
    for (JsonNode limit : perLane) {
      assertThat(nodes(List.of(limit), "Sort"))
          .as("Sort under the claim's Limit: %s", limit)
          .isEmpty();
      assertThat(indexesOf(limit, "runs"))
          .as("claim plan %s", limit)
          .containsOnly("runs_claim_idx");
      assertThat(limit.toString()).as("claim plan %s", limit).contains("pg_try_advisory_xact_lock");
    }
    // The update finds the picked runs by key: a merge join with the picked runs would read the
    // primary key from its start, through every run claimed before, on each claim.
    List<JsonNode> updates = new ArrayList<>();
    for (JsonNode node : nodes(claimPlans, "ModifyTable")) {
      if ("Update".equals(node.path("Operation").asText())
          && "runs".equals(node.path("Relation Name").asText())) {
        updates.add(node);
      }
    }
    assertThat(updates).as("the claim's update of runs").isNotEmpty();
    for (JsonNode update : updates) {
      assertThat(scansOf(update, "runs")).as("%s", update).isNotEmpty();
      for (JsonNode scan : scansOf(update, "runs")) {
        assertThat(scan.path("Node Type").asText()).as("%s", scan).isEqualTo("Index Scan");
        assertThat(scan.path("Index Name").asText()).as("%s", scan).isEqualTo("runs_pkey");
        assertThat(scan.path("Index Cond").asText()).as("%s", scan).contains("id = ANY");
      }
    }
  }

  /** The completion finds each run by its primary key. */
  private static void assertCompletionPlans(List<JsonNode> completePlans) {
    List<JsonNode> deletes = new ArrayList<>();
    for (JsonNode node : nodes(completePlans, "ModifyTable")) {
      if ("Delete".equals(node.path("Operation").asText())
          && "runs".equals(node.path("Relation Name").asText())) {
        deletes.add(node);
      }
    }
    assertThat(deletes).as("the completion's delete from runs").isNotEmpty();
    for (JsonNode delete : deletes) {
      for (JsonNode scan : scansOf(delete, "runs")) {
        assertThat(scan.path("Node Type").asText()).as("%s", scan).isEqualTo("Index Scan");
        assertThat(scan.path("Index Name").asText()).as("%s", scan).isEqualTo("runs_pkey");
        assertThat(scan.path("Index Cond").asText()).as("%s", scan).contains("id = ");
      }
      assertThat(scansOf(delete, "runs")).isNotEmpty();
    }
  }

  /** The JSON plans auto_explain sent as notices. */
  private static List<JsonNode> plans(SQLWarning warning) throws Exception {
    List<JsonNode> plans = new ArrayList<>();
    for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
      String message = w.getMessage();
      int at = message.indexOf('{');
      if (message.contains("plan:") && at >= 0) {
        plans.add(JSON.readTree(message.substring(at)).path("Plan"));
      }
    }
    return plans;
  }

  /** Every node of the given type in these plans, at any depth. */
  private static List<JsonNode> nodes(List<JsonNode> plans, String type) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode plan : plans) {
      collect(plan, type, found);
    }
    return found;
  }

  private static void collect(JsonNode node, String type, List<JsonNode> found) {
    if (type.equals(node.path("Node Type").asText())) {
      found.add(node);
    }
    for (JsonNode child : node.path("Plans")) {
      collect(child, type, found);
    }
  }

  /** The scans of {@code relation} under {@code node}. */
  private static List<JsonNode> scansOf(JsonNode node, String relation) {
    List<JsonNode> scans = new ArrayList<>();
    for (JsonNode child : node.path("Plans")) {
      if (relation.equals(child.path("Relation Name").asText())
          && child.path("Node Type").asText().contains("Scan")) {
        scans.add(child);
      }
      scans.addAll(scansOf(child, relation));
    }
    return scans;
  }

  /** The names of the indexes, or the scan types without one, that read {@code relation}. */
  private static List<String> indexesOf(JsonNode node, String relation) {
    return scansOf(node, relation).stream()
        .map(
            s -> s.has("Index Name") ? s.path("Index Name").asText() : s.path("Node Type").asText())
        .toList();
  }
}
