package dev.tollgate.core.runs.exec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.HttpStep;
import dev.tollgate.core.runs.template.internal.ParamValues;
import dev.tollgate.core.runs.template.internal.Placeholders;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs an {@link HttpStep}: substitutes parameters into the URL (percent-encoded), headers and body
 * (raw), sends the request, and tries again after a connection error or an unexpected status until
 * its retries are used up, emitting one event per attempt.
 */
public final class HttpExecutor {
  private HttpExecutor() {}

  /** The most of a response body an event carries, in bytes. */
  public static final int EXCERPT_BYTES = 2048;

  /** A client as steps need it: redirects are not followed, so the status seen is the real one. */
  public static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(HttpStep.DEFAULT_REQUEST_TIMEOUT)
        .build();
  }

  /**
   * Runs {@code step} with {@code client}.
   *
   * @throws InterruptedException when the calling thread is interrupted
   */
  public static StepOutcome run(
      HttpStep step, StepContext ctx, Emitter emitter, Limits limits, HttpClient client)
      throws InterruptedException {
    JsonNode params = ctx.params();
    HttpRequest request;
    String url;
    try {
      url =
          Placeholders.substitute(
              step.url(), name -> Placeholders.percentEncode(value(params, name)));
      HttpRequest.Builder b = HttpRequest.newBuilder(new URI(url)).timeout(step.requestTimeout());
      for (var h : step.headers().entrySet()) {
        b.header(h.getKey(), Placeholders.substitute(h.getValue(), raw(params)));
      }
      HttpRequest.BodyPublisher body =
          step.body()
              .map(
                  t -> HttpRequest.BodyPublishers.ofString(Placeholders.substitute(t, raw(params))))
              .orElse(HttpRequest.BodyPublishers.noBody());
      request = b.method(step.method(), body).build();
    } catch (URISyntaxException e) {
      return ShellExecutor.failed(
          limits, "the URL is not valid once parameters are in: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return ShellExecutor.failed(limits, "the request cannot be made: " + e.getMessage());
    }
    int attempts = step.retries() + 1;
    String lastFailure = "no attempt was made";
    for (int attempt = 1; attempt <= attempts; attempt++) {
      Limits.Stop stop = limits.check();
      if (stop != Limits.Stop.NONE) {
        return limits.outcome(stop);
      }
      long start = System.nanoTime();
      CompletableFuture<HttpResponse<byte[]>> future =
          client.sendAsync(request, info -> new Excerpt(EXCERPT_BYTES));
      HttpResponse<byte[]> response = null;
      String error = null;
      while (response == null && error == null) {
        stop = limits.check();
        if (stop != Limits.Stop.NONE) {
          future.cancel(true);
          return limits.outcome(stop);
        }
        try {
          response =
              future.get(
                  Limits.min(limits.remaining(), Limits.POLL).toMillis() + 1,
                  TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // still waiting; look at the limits again
        } catch (ExecutionException e) {
          error = describe(e.getCause());
        } catch (InterruptedException e) {
          future.cancel(true);
          throw e;
        }
      }
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      if (response != null) {
        boolean expected = step.expectStatus().matches(response.statusCode());
        emitter.httpResponse(
            attempt,
            step.method(),
            url,
            response.statusCode(),
            millis,
            expected,
            text(response.body()));
        if (expected) {
          return new StepOutcome.Succeeded(limits.elapsed());
        }
        lastFailure =
            step.method()
                + " "
                + url
                + " answered "
                + response.statusCode()
                + ", expected "
                + step.expectStatus();
      } else {
        emitter.httpError(attempt, step.method(), url, error, millis);
        lastFailure = step.method() + " " + url + " failed: " + error;
      }
      if (attempt < attempts) {
        stop = limits.pause(step.retryInterval());
        if (stop != Limits.Stop.NONE) {
          return limits.outcome(stop);
        }
      }
    }
    return new StepOutcome.Failed(
        lastFailure + (attempts > 1 ? " (after " + attempts + " attempts)" : ""),
        OptionalInt.empty(),
        limits.elapsed());
  }

  private static String value(JsonNode params, String name) {
    JsonNode v = params.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "${params." + name + "} has no value: the run has no parameter '" + name + "'");
    }
    return ParamValues.text(v);
  }

  private static UnaryOperator<String> raw(JsonNode params) {
    return name -> value(params, name);
  }

  private static String describe(Throwable t) {
    String type = t.getClass().getSimpleName();
    String message = t.getMessage();
    if (t instanceof java.net.http.HttpTimeoutException) {
      return "no response in time (" + (message == null ? type : message) + ")";
    }
    if (t instanceof java.net.ConnectException && (message == null || message.isBlank())) {
      return "connection refused";
    }
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  private static String text(byte[] bytes) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return "";
    }
  }

  /**
   * Keeps the first bytes of a body and stops reading there, so that a huge or endless body costs
   * neither memory nor time.
   */
  static final class Excerpt implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    Excerpt(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        int take = Math.min(b.remaining(), limit - bytes.size());
        byte[] chunk = new byte[take];
        b.get(chunk);
        bytes.write(chunk, 0, take);
      }
      if (bytes.size() >= limit) {
        result.complete(bytes.toByteArray());
        subscription.cancel();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!result.isDone()) {
        result.completeExceptionally(t);
      }
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }
  }
}
