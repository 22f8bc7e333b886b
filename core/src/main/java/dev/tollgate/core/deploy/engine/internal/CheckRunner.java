package dev.tollgate.core.deploy.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.deploy.Check;
import dev.tollgate.core.deploy.HttpCheck;
import dev.tollgate.core.deploy.ServerStart;
import dev.tollgate.core.deploy.ShellCheck;
import dev.tollgate.core.runs.exec.StepRunner;
import dev.tollgate.core.runs.exec.internal.ProcessSupervisor;
import dev.tollgate.core.runs.exec.internal.StepEnvironment;
import dev.tollgate.core.runs.step.CancellationSignal;
import dev.tollgate.core.runs.step.EventSink;
import dev.tollgate.core.runs.step.Secrets;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.ShellStep;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one check of a deploy spec: a shell command (parameters only as environment variables) or an
 * HTTP probe (expected status, optional JSON field, retries, consecutive successes), optionally
 * after starting a server and waiting for its health URL. Every text it reports, in events and in
 * results, has the given secrets masked.
 */
public final class CheckRunner {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a check ended. */
  public record Result(boolean ok, String message, Optional<String> lastLine) {}

  private static final ProcessSupervisor.Options SERVERS =
      new ProcessSupervisor.Options(
          "bash", ProcessSupervisor.findSessionLauncher(), Duration.ofSeconds(5));

  private final StepRunner steps;
  private final Clock clock;
  // Built on the first http check (see StepRunner's client: a deploy without one never needs it).
  private HttpClient http;
  private final Path workDir;
  private final ObjectNode params;
  private final long runId;
  private final Secrets secrets;
  private final Consumer<StepEvent> log;

  /**
   * A runner whose shell checks see {@code params} as {@code TOLLGATE_PARAM_*} variables, whose
   * reports mask {@code secrets} and whose events are stamped by {@code clock}.
   */
  public CheckRunner(
      StepRunner steps,
      Clock clock,
      Path workDir,
      ObjectNode params,
      long runId,
      Secrets secrets,
      Consumer<StepEvent> log) {
    this.runId = runId;
    this.steps = steps;
    this.clock = clock;
    this.workDir = workDir;
    this.params = params;
    this.secrets = secrets;
    this.log = log;
  }

  /** Runs {@code check}, stopping when {@code cancel} fires; the result's texts are masked. */
  public Result run(Check check, CancellationSignal cancel) {
    Result r = runUnmasked(check, cancel);
    return new Result(r.ok(), secrets.mask(r.message()), r.lastLine().map(secrets::mask));
  }

  private Result runUnmasked(Check check, CancellationSignal cancel) {
    Optional<ServerStart> start =
        check instanceof ShellCheck s ? s.start() : ((HttpCheck) check).start();
    ProcessSupervisor.Background server = null;
    try {
      if (start.isPresent()) {
        server = startServer(start.get(), check);
        Result health = waitHealthy(start.get(), cancel);
        if (!health.ok()) {
          return health;
        }
      }
      return check instanceof ShellCheck s ? shell(s, cancel) : http((HttpCheck) check, cancel);
    } catch (IOException e) {
      return new Result(
          false,
          "could not start the server of " + check.name() + ": " + e.getMessage(),
          Optional.empty());
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /** The command a check runs, as the plan shows it. */
  public static String describe(Check check) {
    String prefix =
        (check instanceof ShellCheck s ? s.start() : ((HttpCheck) check).start())
            .map(st -> "start `" + st.command() + "`, wait for " + st.healthUrl() + "; then ")
            .orElse("");
    if (check instanceof ShellCheck s) {
      return prefix + "bash -c '" + s.command().strip() + "'";
    }
    HttpCheck h = (HttpCheck) check;
    return prefix
        + h.method()
        + " "
        + h.url()
        + " expecting "
        + (h.expectStatus().isEmpty() ? "2xx" : h.expectStatus())
        + h.json().map(j -> " and " + j.path() + " = " + j.equals()).orElse("")
        + (h.consecutiveSuccesses() > 1 ? ", " + h.consecutiveSuccesses() + " times in a row" : "")
        + (h.retries() > 0 ? ", up to " + (h.retries() + 1) + " tries every " + h.interval() : "");
  }

  private Result shell(ShellCheck check, CancellationSignal cancel) {
    String[] last = {null};
    EventSink sink =
        event -> {
          if (event instanceof StepEvent.Output o
              && o.stream() == StepEvent.Stream.STDOUT
              && !o.line().isBlank()) {
            last[0] = o.line().strip();
          }
          log.accept(event);
        };
    StepContext ctx =
        StepContext.builder(runId, 1)
            .params(params)
            .workingDirectory(workDir)
            .events(sink)
            .cancellation(cancel)
            .secrets(secrets)
            .build();
    StepOutcome outcome =
        steps.run(
            new ShellStep(
                check.name(), check.timeout(), check.command(), check.env(), Optional.empty()),
            ctx);
    return new Result(
        outcome.succeeded(), check.name() + " " + outcome.summary(), Optional.ofNullable(last[0]));
  }

  /**
   * Probes until {@code consecutiveSuccesses} pass in a row, or more than {@code retries} fail: at
   * most {@code (retries + 1) × consecutiveSuccesses} requests, each bounded by its timeout, so a
   * misconfigured check ends instead of hanging.
   */
  private Result http(HttpCheck check, CancellationSignal cancel) {
    int successes = 0;
    int failures = 0;
    long deadline = System.nanoTime() + check.timeout().toNanos();
    while (true) {
      if (System.nanoTime() > deadline) {
        return new Result(
            false, check.name() + " did not pass within " + check.timeout(), Optional.empty());
      }
      if (cancel.isCancelled()) {
        return new Result(
            false, check.name() + " cancelled: " + cancel.reason().orElse(""), Optional.empty());
      }
      String problem = probe(check);
      if (problem == null) {
        successes++;
        if (successes >= check.consecutiveSuccesses()) {
          return new Result(true, check.name() + " succeeded", Optional.empty());
        }
      } else {
        successes = 0;
        failures++;
        if (failures > check.retries()) {
          return new Result(false, check.name() + " failed: " + problem, Optional.empty());
        }
      }
      try {
        if (cancel.await(check.interval())) {
          return new Result(
              false, check.name() + " cancelled: " + cancel.reason().orElse(""), Optional.empty());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(false, check.name() + " interrupted", Optional.empty());
      }
    }
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }
    return http;
  }

  /** One request; null when it passed, else why not. */
  String probe(HttpCheck check) {
    long started = System.nanoTime();
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(check.url()))
              .timeout(check.timeout())
              .method(check.method(), HttpRequest.BodyPublishers.noBody())
              .build();
      HttpResponse<String> response = http().send(request, HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - started) / 1_000_000;
      boolean expected = check.statusMatches(response.statusCode());
      log.accept(
          new StepEvent.HttpResponse(
              check.name(),
              clock.instant(),
              1,
              check.method(),
              secrets.mask(check.url()),
              response.statusCode(),
              ms,
              expected,
              ""));
      if (!expected) {
        return "status "
            + response.statusCode()
            + ", expected "
            + (check.expectStatus().isEmpty() ? "2xx" : check.expectStatus());
      }
      if (check.json().isPresent()) {
        HttpCheck.JsonCondition cond = check.json().get();
        JsonNode body;
        try {
          body = JSON.readTree(response.body());
        } catch (IOException e) {
          return "the body is not JSON";
        }
        JsonNode value = body.at(cond.path());
        String actual =
            value.isMissingNode() ? null : value.isTextual() ? value.asText() : value.toString();
        if (!cond.equals().equals(actual)) {
          return cond.path()
              + " is "
              + (actual == null ? "missing" : "'" + actual + "'")
              + ", expected '"
              + cond.equals()
              + "'";
        }
      }
      return null;
    } catch (IOException e) {
      return "no response: "
          + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (IllegalArgumentException e) {
      return "bad URL: " + e.getMessage();
    }
  }

  /**
   * Starts the server a check needs, guarded like a step: in a process group of its own, stopped
   * with its group after the check, and by its watchdog if the deploy runner dies first.
   */
  private ProcessSupervisor.Background startServer(ServerStart start, Check check)
      throws IOException {
    StepContext ctx =
        StepContext.builder(runId, 1)
            .params(params)
            .workingDirectory(workDir)
            .events(e -> {})
            .build();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(StepEnvironment.variables(ctx, check.name()));
    return ProcessSupervisor.background(
        List.of("bash", "-c", start.command()),
        env,
        workDir,
        workDir.resolve("server-" + check.name() + ".log"),
        SERVERS);
  }

  private Result waitHealthy(ServerStart start, CancellationSignal cancel) {
    long deadline = System.nanoTime() + start.timeout().toNanos();
    HttpCheck health = HttpCheck.of("health", start.healthUrl());
    String last = "not tried";
    while (System.nanoTime() < deadline) {
      last = probe(health);
      if (last == null) {
        return new Result(true, "healthy", Optional.empty());
      }
      try {
        if (cancel.await(Duration.ofMillis(250))) {
          return new Result(
              false, "cancelled while waiting for " + start.healthUrl(), Optional.empty());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(false, "interrupted", Optional.empty());
      }
    }
    return new Result(
        false,
        start.healthUrl() + " did not answer within " + start.timeout() + ": " + last,
        Optional.empty());
  }
}
