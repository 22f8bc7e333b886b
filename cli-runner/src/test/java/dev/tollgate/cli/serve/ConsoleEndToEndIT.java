package dev.tollgate.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.controlplane.Browser;
import dev.tollgate.controlplane.Demo;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.deploy.service.TestProject;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.Completion;
import dev.tollgate.core.runs.NewEvent;
import dev.tollgate.core.runs.NewRun;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import dev.tollgate.core.testing.Chromium;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console end to end: Debian's headless Chromium against a real {@code tollgate serve} process
 * on loopback, with a real {@code tollgate worker} process executing the runs, for a copy of the
 * demo project with a slow run template and two deploy environments. An operator moves a work item,
 * is refused by the WIP limit and reads the recovery, enqueues a run from the template form and
 * cancels it while its log streams, deploys a promotion and sees a failing smoke check roll one
 * back, and keeps the page through a server restart. Every page passes axe-core with no serious or
 * critical violation, and is shot at 360 px and on a desktop (to {@code target/screenshots}, or to
 * {@code docs/images} with {@code -Dtollgate.screenshots=docs}).
 *
 * <p>The tests run in order: each continues the operator's day that the one before left. Waits are
 * on what the page shows, with generous limits for a busy machine; none is a timing assertion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(Chromium.Required.class)
class ConsoleEndToEndIT {
  private static final Path JAR = Path.of("target/tollgate.jar").toAbsolutePath();
  private static final int PHONE_WIDTH = 360;
  private static final int PHONE_HEIGHT = 780;
  private static final int DESKTOP_WIDTH = 1280;
  private static final int DESKTOP_HEIGHT = 800;

  /**
   * Seconds to wait for a page to show what a process or a live stream brings: generous, since the
   * machine may be busy with other builds (load averages of 20 on 2 cores were seen).
   */
  private static final int WAIT = 120;

  @TempDir static Path dir;
  private static Path project;
  private static Database db;
  private static Served serve;
  private static Process worker;
  private static long cancelledRun;
  private static String deployedPromotion;

  @BeforeAll
  static void start() throws Exception {
    project = Demo.copy(dir.resolve("project"));
    // Starting an item needs its prompt file; the demo has one for wi-SF-104 only.
    Files.writeString(
        project.resolve("work-items/prompts/wi-SF-103.prompt.md"),
        "# wi-SF-103\n\nApply discount codes at checkout.\n");
    Files.writeString(
        project.resolve(".tollgate/templates/slow-lines.yml"),
        """
        name: slow-lines
        description: Print numbered lines, one a second
        lane: e2e
        params:
          type: object
          additionalProperties: false
          properties:
            count:
              description: How many lines to print
              type: integer
              minimum: 1
              maximum: 600
              default: 300
        steps:
          - name: count
            shell: |
              for i in $(seq 1 "$TOLLGATE_PARAM_COUNT"); do echo "line $i"; sleep 1; done
        """);
    // A deploy ships a broken service while break-next-deploy exists; the smoke check finds it
    // broken, and the rollback repairs it (so the smoke check after the rollback passes).
    String broken = "\"" + project.resolve("broken") + "\"";
    String smoke =
        "smoke_post:\n"
            + "  - name: health\n"
            + "    shell: 'if [ -f "
            + broken
            + " ]; then echo health check failed >&2; exit 1; fi; echo healthy'\n";
    TestProject repo = new TestProject(project);
    repo.spec(
        "staging",
        "deploy:\n  shell: 'echo migrating; sleep 3; echo shipping to staging'\n" + smoke);
    repo.spec(
        "production",
        "backup:\n  shell: 'echo snapshot-e2e'\n"
            + "deploy:\n  shell: 'echo shipping to production; sleep 3; if [ -f \""
            + project.resolve("break-next-deploy")
            + "\" ]; then touch "
            + broken
            + "; fi'\n"
            + smoke
            + "rollback:\n  shell: 'echo restoring the snapshot; rm -f "
            + broken
            + "'\n");
    repo.commit("the demo with deploy specs");

    db = TestDatabase.freshSchema("console_e2e", 4);
    serve = Served.start(0);
    worker =
        new ProcessBuilder(command("worker", "--lanes", "e2e", "--worker-id", "e2e-worker"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker.log").toFile())
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : new Process[] {serve == null ? null : serve.process, worker}) {
      if (p != null) {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(1)
  void an_operator_moves_an_item_sees_its_lane_change_and_reads_why_the_next_one_is_refused()
      throws Exception {
    ChromeDriver chrome = Browser.start(PHONE_WIDTH, PHONE_HEIGHT);
    try {
      // The first tab reads wi-SF-103 while starting it is still allowed (in progress: 1 of 2).
      chrome.get(url("/items/wi-SF-103"));
      WebElement start103 = action(chrome, "Start execution");
      assertThat(start103.getText()).contains("Enabled");
      String first = chrome.getWindowHandle();

      // A second tab starts wi-SF-104, filling the lane's WIP limit, and sees it on the board.
      chrome.switchTo().newWindow(WindowType.TAB);
      chrome.get(url("/"));
      await(chrome, By.id("conn"), "live");
      assertThat(lane(chrome, "ready")).contains("wi-SF-104");
      chrome.findElement(By.partialLinkText("wi-SF-104")).click();
      chrome.findElement(By.cssSelector("form[action$='/actions/start-execution'] button")).click();
      await(chrome, By.cssSelector(".notice"), "Done: start-execution by alice.");
      chrome.get(url("/"));
      assertThat(lane(chrome, "in-progress")).startsWith("In progress 2/2").contains("wi-SF-104");
      assertThat(lane(chrome, "ready")).doesNotContain("wi-SF-104");

      // Back in the first tab, the button read a moment ago is now refused, with the recovery.
      chrome.close();
      chrome.switchTo().window(first);
      action(chrome, "Start execution")
          .findElement(By.cssSelector("form[action$='/actions/start-execution'] button"))
          .click();
      await(chrome, By.cssSelector(".notice.bad"), "Start execution is blocked");
      assertThat(chrome.findElement(By.cssSelector(".notice.bad")).getText()).contains("wip-limit");
      WebElement refused = action(chrome, "Start execution");
      assertThat(refused.getText())
          .contains("Blocked")
          .contains("Cause")
          .contains("Next step")
          .contains("Safe retry");
      assertThat(refused.findElements(By.tagName("button"))).isEmpty();
      chrome.get(url("/"));
      assertThat(lane(chrome, "ready")).contains("wi-SF-103");
    } finally {
      chrome.quit();
    }
  }

  @Test
  @Order(2)
  void a_run_enqueued_from_the_template_form_streams_its_log_and_is_cancelled_after_confirmation()
      throws Exception {
    ChromeDriver chrome = Browser.start(DESKTOP_WIDTH, DESKTOP_HEIGHT);
    try {
      chrome.get(url("/templates"));
      chrome.findElement(By.linkText("slow-lines")).click();
      chrome.findElement(By.id("p-count")).clear();
      chrome.findElement(By.id("p-count")).sendKeys("300");
      chrome.findElement(By.xpath("//form[@class='params']//button[text()='Enqueue']")).click();
      await(chrome, By.cssSelector("h1"), "slow-lines");
      cancelledRun = Long.parseLong(chrome.getCurrentUrl().replaceAll(".*/runs/(\\d+).*", "$1"));

      // The worker process claims the run; its lines arrive in the open page as it prints them.
      await(chrome, By.id("conn"), "live");
      await(chrome, By.id("log"), "line 1");
      int shown = lastLine(chrome.findElement(By.id("log")).getText());
      await(chrome, By.id("log"), "line " + (shown + 2));
      assertThat(chrome.getCurrentUrl()).endsWith("/runs/" + cancelledRun + "?done=enqueued");

      chrome.findElement(By.cssSelector("a.button.danger")).click();
      assertThat(chrome.findElement(By.tagName("h1")).getText())
          .isEqualTo("Cancel run " + cancelledRun + "?");
      chrome.findElement(By.id("reason")).sendKeys("wrong replica count");
      chrome.findElement(By.cssSelector("form button.danger")).click();

      // The worker finishes the cancel in its own time: the page is read again until it shows the
      // run cancelled, either as rendered or as its log stream reports on connecting.
      for (int i = 0; i < WAIT; i++) {
        chrome.navigate().refresh();
        if (chrome.findElement(By.cssSelector("h1 .status")).getText().equals("cancelled")) {
          break;
        }
        Thread.sleep(1000);
      }
      assertThat(chrome.findElement(By.cssSelector("h1 .status")).getText()).isEqualTo("cancelled");
      assertThat(chrome.findElement(By.cssSelector("dl.fields")).getText())
          .contains("wrong replica count")
          .contains("alice");
      // Cancel is gone, or hidden by the page when its stream reported the end.
      assertThat(chrome.findElements(By.cssSelector("a.button.danger")))
          .noneMatch(org.openqa.selenium.WebElement::isDisplayed);
    } finally {
      chrome.quit();
    }
  }

  @Test
  @Order(3)
  void deploy_now_follows_one_promotion_to_deployed_and_a_failing_smoke_check_to_rolled_back()
      throws Exception {
    ChromeDriver chrome = Browser.start(PHONE_WIDTH, PHONE_HEIGHT);
    try {
      deployedPromotion = proposeAndApprove(chrome, "staging");
      chrome.findElement(By.cssSelector("button.deploy")).click();
      await(chrome, By.id("promotion-status"), "executing");
      await(chrome, By.id("log"), "migrating");
      await(chrome, By.id("promotion-status"), "deployed");
      await(chrome, By.id("log"), "shipping to staging");
      await(chrome, By.id("promotion-fields"), "deployed by alice");
      assertThat(chrome.findElements(By.cssSelector("button.deploy"))).isEmpty();

      Files.writeString(project.resolve("break-next-deploy"), "ship a broken service\n");
      proposeAndApprove(chrome, "production");
      chrome.findElement(By.cssSelector("button.deploy")).click();
      await(chrome, By.id("promotion-status"), "rolled_back");
      await(chrome, By.id("log"), "health check failed");
      await(chrome, By.id("log"), "restoring the snapshot");
      await(chrome, By.id("promotion-fields"), "snapshot-e2e");
      assertThat(chrome.findElement(By.id("promotion-fields")).getText())
          .contains("rolled_back by alice")
          .doesNotContain("failed_rollback");
      chrome.get(url("/operations"));
      assertThat(chrome.findElement(By.cssSelector("article.env.held")).getText())
          .contains("production")
          .contains("Unlock");
    } finally {
      chrome.quit();
    }
  }

  @Test
  @Order(4)
  void the_page_reconnects_by_itself_when_the_server_process_is_killed_and_started_again()
      throws Exception {
    ChromeDriver chrome = Browser.start(PHONE_WIDTH, PHONE_HEIGHT);
    try {
      chrome.get(url("/runs"));
      await(chrome, By.id("conn"), "live");

      int port = serve.uri.getPort();
      serve.process.destroyForcibly();
      assertThat(serve.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      await(chrome, By.id("conn"), "reconnecting");

      serve = Served.start(port);
      assertThat(serve.uri.getPort()).isEqualTo(port);
      await(chrome, By.id("conn"), "live");

      // The reconnected page follows the new process: a run enqueued now appears in its lanes.
      Process enqueue =
          new ProcessBuilder(command("runs", "enqueue", "slow-lines", "--lane", "after-restart"))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("enqueue.log").toFile())
              .start();
      assertThat(enqueue.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(enqueue.exitValue())
          .as(Files.readString(dir.resolve("enqueue.log"), StandardCharsets.UTF_8))
          .isZero();
      await(chrome, By.id("live-runboard"), "after-restart");
    } finally {
      chrome.quit();
    }
  }

  @Test
  @Order(5)
  void every_page_passes_axe_core_and_is_shot_on_a_phone_and_a_desktop() throws Exception {
    assertThat(cancelledRun).as("the run of the template test").isPositive();
    assertThat(deployedPromotion).as("the promotion of the deploy test").isNotNull();
    long report = runWithArtifacts();
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("board", "/");
    pages.put("item", "/items/wi-SF-102");
    pages.put("runs", "/runs");
    pages.put("run", "/runs/" + cancelledRun);
    pages.put("run-artifacts", "/runs/" + report);
    pages.put("artifact", "/runs/" + report + "/artifact?name=summary.md");
    pages.put("templates", "/templates");
    pages.put("template", "/templates/slow-lines");
    pages.put("spec-kit", "/spec-kit");
    pages.put("operations", "/operations");
    pages.put("environment", "/operations/environments/production");
    pages.put("promotion", "/operations/promotions/" + deployedPromotion);
    pages.put("cancel", "/runs/" + queuedRun() + "/cancel");
    List<String> violations = new ArrayList<>();
    for (String size : List.of("phone", "desktop")) {
      ChromeDriver chrome =
          size.equals("phone")
              ? Browser.start(PHONE_WIDTH, PHONE_HEIGHT)
              : Browser.start(DESKTOP_WIDTH, DESKTOP_HEIGHT);
      try {
        for (Map.Entry<String, String> page : pages.entrySet()) {
          chrome.get(url(page.getValue()));
          assertThat(chrome.findElement(By.tagName("h1")).getText())
              .as("the heading of %s", page.getValue())
              .isNotBlank()
              .doesNotContain("There is no");
          if (!chrome.findElements(By.id("live")).isEmpty()
              && chrome.findElement(By.id("live")).getAttribute("data-live") != null) {
            await(chrome, By.id("conn"), "live");
          }
          Browser.screenshot(chrome, "console-" + page.getKey() + "-" + size);
          for (String id : Browser.seriousViolations(chrome)) {
            violations.add(size + " " + page.getValue() + ": " + id);
          }
        }
      } finally {
        chrome.quit();
      }
    }
    assertThat(violations).as("serious or critical axe-core violations").isEmpty();
  }

  /**
   * Waits for the first element found {@code by} to show {@code text}; when it does not, the
   * failure carries the end of the server's and the worker's output.
   */
  private static void await(ChromeDriver chrome, By by, String text) throws IOException {
    try {
      Browser.awaitText(chrome, by, text, WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for '" + text + "'", e);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "\n--- tollgate serve:\n"
              + tail(serve.log)
              + "\n--- tollgate worker:\n"
              + tail(dir.resolve("worker.log"))
              + "\n--- the run's events as stored:\n"
              + storedEvents(chrome.getCurrentUrl())
              + "\n--- the worker's threads and child processes:\n"
              + workerState(),
          e);
    }
  }

  /**
   * The last events stored for the run the page at {@code url} shows, if it shows one: what the
   * page should have received, to tell a log never written from one never delivered.
   */
  private static String storedEvents(String url) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("/runs/(\\d+)").matcher(url);
    if (!m.find()) {
      return "(the page shows no run)";
    }
    try {
      long runId = Long.parseLong(m.group(1));
      List<dev.tollgate.core.runs.RunEvent> events =
          PostgresRunQueue.open(db.dataSource(), db.schema()).events(runId, 0, 10_000);
      StringBuilder out = new StringBuilder(events.size() + " events; the last ones:\n");
      events.stream()
          .skip(Math.max(0, events.size() - 5))
          .forEach(
              e ->
                  out.append(e.seq())
                      .append(' ')
                      .append(e.kind())
                      .append(' ')
                      .append(e.message())
                      .append('\n'));
      return out.toString();
    } catch (RuntimeException e) {
      return "(could not read them: " + e.getMessage() + ")";
    }
  }

  /**
   * The worker's thread dump ({@code jcmd Thread.print}) and its descendant processes, so a wait
   * that fails says where the worker stood (a step that never started, or a log never written).
   */
  private static String workerState() {
    if (worker == null || !worker.isAlive()) {
      return "(the worker is not running)";
    }
    StringBuilder out = new StringBuilder();
    worker
        .descendants()
        .forEach(
            d ->
                out.append(d.pid())
                    .append(' ')
                    .append(d.info().commandLine().orElse("?"))
                    .append('\n'));
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process dump =
          new ProcessBuilder(jcmd.toString(), Long.toString(worker.pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String threads = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      dump.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      out.append(threads);
    } catch (IOException e) {
      out.append("(no thread dump: ").append(e.getMessage()).append(')');
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out.toString();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** A finished run with a Markdown report, as a worker embedding the library would store it. */
  private static long runWithArtifacts() {
    RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    Run run = queue.enqueue(NewRun.builder("nightly-report").lane("reports").build()).run();
    Run claimed = queue.claim("e2e-reporter", List.of("reports"), 1).get(0);
    assertThat(claimed.id()).isEqualTo(run.id());
    queue.appendEvents(
        claimed.lease(), List.of(NewEvent.output("stdout", "collecting last night's deploys")));
    queue.putArtifact(
        claimed.lease(),
        "summary.md",
        "# Nightly report\n\n- staging: *deployed*\n- production: *rolled back*, then held\n"
            .getBytes(StandardCharsets.UTF_8));
    queue.complete(new Completion(claimed.lease(), RunStatus.SUCCESS, null));
    return run.id();
  }

  /** A run waiting in the queue, one that its cancel page can still cancel. */
  private static long queuedRun() {
    RunQueue queue = PostgresRunQueue.open(db.dataSource(), db.schema());
    return queue.enqueue(NewRun.builder("nightly-report").lane("reports").build()).run().id();
  }

  /** Proposes a promotion to {@code environment} from Operations, approves it, returns its id. */
  private static String proposeAndApprove(ChromeDriver chrome, String environment)
      throws IOException {
    chrome.get(url("/operations"));
    chrome.findElement(By.cssSelector("#promote-env option[value='" + environment + "']")).click();
    chrome
        .findElement(By.xpath("//form[.//select[@id='promote-env']]//button[text()='Propose']"))
        .click();
    await(chrome, By.id("promotion-status"), "pending");
    String id = chrome.getCurrentUrl().replaceAll(".*/operations/promotions/([^?/]+).*", "$1");
    chrome.findElement(By.xpath("//button[text()='Approve']")).click();
    await(chrome, By.id("promotion-status"), "approved");
    return id;
  }

  private static WebElement action(ChromeDriver chrome, String title) {
    return chrome.findElements(By.cssSelector("article.action")).stream()
        .filter(a -> a.findElement(By.tagName("h3")).getText().startsWith(title))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no action '" + title + "' on " + chrome.getTitle()));
  }

  /** The text of a lane on the board, read again if the live board replaces it meanwhile. */
  private static String lane(ChromeDriver chrome, String lane) {
    By column = By.cssSelector("section[aria-labelledby='lane-" + lane + "']");
    for (int attempt = 1; ; attempt++) {
      try {
        return chrome.findElement(column).getText();
      } catch (StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static int lastLine(String log) {
    Matcher m = Pattern.compile("line (\\d+)").matcher(log);
    int last = 0;
    while (m.find()) {
      last = Math.max(last, Integer.parseInt(m.group(1)));
    }
    return last;
  }

  private static String url(String path) {
    return serve.uri.resolve(path.substring(1)).toString();
  }

  /** {@code java -jar tollgate.jar ARGS…} for the project and its database schema. */
  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--database-url",
            TestDatabase.settings().jdbcUrl() + "?user=" + TestDatabase.settings().user(),
            "--schema",
            db.schema(),
            "--dir",
            project.toString()));
    return command;
  }

  /** One {@code tollgate serve} process and the URL it printed. */
  private static final class Served {
    private static int starts;
    final Process process;
    final URI uri;
    final Path log;

    private Served(Process process, URI uri, Path log) {
      this.process = process;
      this.uri = uri;
      this.log = log;
    }

    static Served start(int port) throws IOException, InterruptedException {
      Path log = dir.resolve("serve-" + ++starts + ".log");
      List<String> command = new ArrayList<>(command("serve", "--user", "alice"));
      command.addAll(List.of("--port", String.valueOf(port)));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      String prefix = "Tollgate control plane at ";
      for (int i = 0; i < 1200; i++) {
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        int at = printed.indexOf(prefix);
        if (at >= 0 && printed.indexOf('\n', at) > 0) {
          return new Served(
              process,
              URI.create(printed.substring(at + prefix.length(), printed.indexOf('\n', at))),
              log);
        }
        if (!process.isAlive()) {
          throw new AssertionError(
              "tollgate serve exited with " + process.exitValue() + " before serving: " + printed);
        }
        Thread.sleep(100);
      }
      process.destroyForcibly();
      throw new AssertionError(
          "tollgate serve printed no URL within 120 s: " + Files.readString(log));
    }
  }
}
