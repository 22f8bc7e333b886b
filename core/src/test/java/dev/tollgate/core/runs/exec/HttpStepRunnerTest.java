package dev.tollgate.core.runs.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.core.runs.step.CancellationSignal;
import dev.tollgate.core.runs.step.Secrets;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepEvent;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.HttpStep;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpStepRunnerTest {
  static final StepRunner RUNNER = StepRunner.create();

  /** What the server received: method, raw path and query, one header, body. */
  record Received(String method, String rawUri, String header, String body) {}

  HttpServer server;
  String base;
  final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  final List<Integer> statuses = new ArrayList<>();
  final AtomicInteger calls = new AtomicInteger();
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch slowCalled = new CountDownLatch(1);
  String responseBody = "ok";
  final Recorder events = new Recorder();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.createContext(
        "/slow",
        ex -> {
          slowCalled.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          respond(ex, 200, "late");
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(
        new Received(
            ex.getRequestMethod(),
            ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null
                    ? ""
                    : "?" + ex.getRequestURI().getRawQuery()),
            ex.getRequestHeaders().getFirst("X-Service"),
            body));
    int n = calls.getAndIncrement();
    int status;
    synchronized (statuses) {
      status = n < statuses.size() ? statuses.get(n) : statuses.get(statuses.size() - 1);
    }
    respond(ex, status, responseBody);
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  void answer(Integer... codes) {
    synchronized (statuses) {
      statuses.addAll(List.of(codes));
    }
  }

  StepContext.Builder context() {
    return StepContext.builder(7, 1).events(events);
  }

  static HttpStep.Builder get(String url) {
    return HttpStep.builder("ping", Duration.ofMinutes(1), url)
        .retryInterval(Duration.ofMillis(10));
  }

  @Test
  void expected_status_succeeds_and_is_reported() {
    answer(204);
    responseBody = "";
    StepOutcome o = RUNNER.run(get(base + "/health").build(), context().build());
    assertThat(o.succeeded()).isTrue();
    List<StepEvent.HttpResponse> responses = events.of(StepEvent.HttpResponse.class);
    assertThat(responses).hasSize(1);
    StepEvent.HttpResponse r = responses.get(0);
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.attempt()).isEqualTo(1);
    assertThat(r.expected()).isTrue();
    assertThat(r.url()).isEqualTo(base + "/health");
    assertThat(r.data())
        .containsEntry("status", 204)
        .containsEntry("attempt", 1)
        .containsKey("millis");
    assertThat(events.kinds()).containsExactly("step_started", "http_response", "step_finished");
  }

  @Test
  void unexpected_status_is_retried_until_it_succeeds() {
    answer(503, 502, 200);
    StepOutcome o = RUNNER.run(get(base + "/health").retries(3).build(), context().build());
    assertThat(o.succeeded()).isTrue();
    assertThat(events.of(StepEvent.HttpResponse.class))
        .extracting(StepEvent.HttpResponse::attempt, StepEvent.HttpResponse::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 503),
            org.assertj.core.groups.Tuple.tuple(2, 502),
            org.assertj.core.groups.Tuple.tuple(3, 200));
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void exhausted_retries_fail_with_the_last_status() {
    answer(500);
    StepOutcome o = RUNNER.run(get(base + "/health").retries(2).build(), context().build());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .isEqualTo("GET " + base + "/health answered 500, expected 2xx (after 3 attempts)");
    assertThat(((StepOutcome.Failed) o).exitCode()).isEmpty();
    assertThat(calls.get()).isEqualTo(3);
    assertThat(events.of(StepEvent.HttpResponse.class))
        .allSatisfy(r -> assertThat(r.expected()).isFalse());
  }

  @Test
  void only_the_listed_status_codes_count() {
    answer(200);
    StepOutcome o =
        RUNNER.run(
            get(base + "/items")
                .method("POST")
                .expectStatus(HttpStep.ExpectedStatus.of(List.of(201)))
                .build(),
            context().build());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .isEqualTo("POST " + base + "/items answered 200, expected 201");
  }

  @Test
  void connection_errors_are_retried_and_reported() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/health";
    StepOutcome o = RUNNER.run(get(url).retries(1).build(), context().build());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .startsWith("GET " + url + " failed: ")
        .endsWith("(after 2 attempts)");
    assertThat(events.of(StepEvent.HttpError.class))
        .extracting(StepEvent.HttpError::attempt)
        .containsExactly(1, 2);
  }

  @Test
  void placeholders_are_percent_encoded_in_the_url_and_raw_elsewhere() throws Exception {
    answer(200);
    ObjectNode params = new ObjectMapper().createObjectNode();
    params.put("id", "a b/c?d&e=f#g%h");
    params.put("service", "check out");
    params.put("count", 3);
    HttpStep step =
        get(base + "/items/${params.id}?n=${params.count}")
            .method("PUT")
            .header("X-Service", "svc ${params.service}")
            .body("{\"id\": \"${params.id}\", \"n\": ${params.count}, \"t\": \"$${x}\"}")
            .build();
    assertThat(RUNNER.run(step, context().params(params).build()).succeeded()).isTrue();
    Received r = received.poll();
    assertThat(r.method()).isEqualTo("PUT");
    assertThat(r.rawUri()).isEqualTo("/items/a%20b%2Fc%3Fd%26e%3Df%23g%25h?n=3");
    assertThat(r.header()).isEqualTo("svc check out");
    assertThat(r.body()).isEqualTo("{\"id\": \"a b/c?d&e=f#g%h\", \"n\": 3, \"t\": \"${x}\"}");
  }

  @Test
  void missing_parameter_is_a_failure_that_names_it() {
    StepOutcome o = RUNNER.run(get(base + "/x/${params.id}").build(), context().build());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(((StepOutcome.Failed) o).reason())
        .isEqualTo(
            "the request cannot be made: ${params.id} has no value: the run has no parameter 'id'");
    assertThat(calls.get()).isZero();
  }

  @Test
  void body_excerpt_is_at_most_two_kibibytes_and_masked() {
    answer(500);
    responseBody = "token=s3cr3t " + "x".repeat(100_000);
    RUNNER.run(
        get(base + "/health?key=s3cr3t").build(),
        context().secrets(Secrets.of(List.of("s3cr3t"))).build());
    StepEvent.HttpResponse r = events.of(StepEvent.HttpResponse.class).get(0);
    assertThat(r.bodyExcerpt()).startsWith("token=*** xxx").doesNotContain("s3cr3t");
    assertThat(r.bodyExcerpt().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048);
    assertThat(r.url()).isEqualTo(base + "/health?key=***");
    assertThat(events.events())
        .allSatisfy(
            e -> {
              assertThat(e.text()).doesNotContain("s3cr3t");
              assertThat(e.data().values().toString()).doesNotContain("s3cr3t");
            });
  }

  @Test
  void cancelling_stops_a_waiting_request() throws Exception {
    CancellationSignal signal = CancellationSignal.create();
    CompletableFuture<StepOutcome> outcome =
        CompletableFuture.supplyAsync(
            () -> RUNNER.run(get(base + "/slow").build(), context().cancellation(signal).build()));
    assertThat(slowCalled.await(30, TimeUnit.SECONDS)).isTrue();
    signal.cancel("cancelled by bob");
    StepOutcome o = outcome.get(30, TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(StepOutcome.Cancelled.class);
    assertThat(((StepOutcome.Cancelled) o).reason()).isEqualTo("cancelled by bob");
  }

  @Test
  void step_timeout_stops_a_waiting_request() {
    HttpStep step =
        HttpStep.builder("slow", Duration.ofMillis(500), base + "/slow")
            .requestTimeout(Duration.ofMinutes(1))
            .build();
    StepOutcome o = RUNNER.run(step, context().build());
    assertThat(o).isInstanceOf(StepOutcome.TimedOut.class);
  }

  @Test
  void request_timeout_is_an_error_that_is_retried() {
    HttpStep step =
        HttpStep.builder("slow", Duration.ofMinutes(1), base + "/slow")
            .requestTimeout(Duration.ofMillis(200))
            .retries(1)
            .retryInterval(Duration.ZERO)
            .build();
    StepOutcome o = RUNNER.run(step, context().build());
    assertThat(o).isInstanceOf(StepOutcome.Failed.class);
    assertThat(events.of(StepEvent.HttpError.class))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.error()).startsWith("no response in time"));
  }

  @Test
  void started_event_describes_the_request() {
    answer(200);
    RUNNER.run(get(base + "/health").build(), context().build());
    assertThat(events.events().get(0).text())
        .isEqualTo("http step ping: GET " + base + "/health (timeout 1m)");
    assertThat(events.events().get(0).data())
        .isEqualTo(Map.of("step", "ping", "step_kind", "http", "timeout_ms", 60_000L));
  }
}
