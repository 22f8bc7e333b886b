package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.testing.Chromium;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Pages that follow the server without a reload, in a real browser: the header's counts and the
 * runboard's lanes when a run is enqueued, the board when an item moves, and the connection state
 * through a server restart (the stream reconnects by itself).
 */
@ExtendWith(Chromium.Required.class)
class LiveUpdatesBrowserTest {
  private static Database db;
  private static RunQueue queue;
  private static ControlPlane plane;
  private static WorkItemService items;

  @TempDir static Path dir;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.freshSchema("cp_live", 4);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    Path project = Demo.copy(dir.resolve("project"));
    Clock clock = Clock.systemUTC();
    items = WorkItemService.of(PolicyEngine.load(project, clock), clock);
    plane =
        ControlPlane.builder()
            .workItems(items)
            .runs(queue)
            .authenticator(Authenticator.loopback("alice"))
            .build();
  }

  @AfterAll
  static void tearDown() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void the_runboard_and_header_follow_an_enqueued_run_without_a_reload() throws Exception {
    ControlPlaneServer server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "");
    ChromeDriver chrome = Browser.start(390, 844);
    try {
      chrome.get(server.uri().resolve("runs").toString());
      Browser.awaitText(chrome, By.id("conn"), "live", 10);
      String before = chrome.findElement(By.id("h-queued")).getText();

      queue.enqueue(NewRun.builder("live-update").lane("live-lane").build());

      Browser.awaitText(chrome, By.id("live-runboard"), "live-lane", 15);
      assertThat(chrome.findElement(By.id("h-queued")).getText())
          .isEqualTo(String.valueOf(Long.parseLong(before) + 1));
    } finally {
      chrome.quit();
      server.close();
    }
  }

  @Test
  void the_board_refreshes_its_columns_when_an_item_moves() throws Exception {
    ControlPlaneServer server = ControlPlaneServer.start(plane, "127.0.0.1", 0, "");
    ChromeDriver chrome = Browser.start(1280, 800);
    try {
      chrome.get(server.uri().toString());
      Browser.awaitText(chrome, By.id("conn"), "live", 10);
      assertThat(
              chrome
                  .findElement(By.cssSelector("section[aria-labelledby='lane-in-progress']"))
                  .getText())
          .doesNotContain("wi-SF-104");

      items.engine().perform("wi-SF-104", "start-execution", "alice", Clock.systemUTC());

      Browser.awaitText(
          chrome, By.cssSelector("section[aria-labelledby='lane-in-progress']"), "wi-SF-104", 15);
    } finally {
      chrome.quit();
      server.close();
    }
  }

  @Test
  void the_connection_state_shows_a_restart_and_the_stream_comes_back_by_itself() throws Exception {
    ControlPlaneServer first = ControlPlaneServer.start(plane, "127.0.0.1", 0, "");
    int port = first.uri().getPort();
    ChromeDriver chrome = Browser.start(390, 844);
    ControlPlaneServer second = null;
    try {
      chrome.get(first.uri().resolve("runs").toString());
      Browser.awaitText(chrome, By.id("conn"), "live", 10);

      first.close();
      Browser.awaitText(chrome, By.id("conn"), "reconnecting", 15);
      second = ControlPlaneServer.start(plane, "127.0.0.1", port, "");
      Browser.awaitText(chrome, By.id("conn"), "live", 20);

      queue.enqueue(NewRun.builder("after-restart").lane("restart-lane").build());
      Browser.awaitText(chrome, By.id("live-runboard"), "restart-lane", 15);
    } finally {
      chrome.quit();
      if (second != null) {
        second.close();
      }
    }
  }
}
