package dev.tollgate.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.TollgateException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NewRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HASH = "ab".repeat(32);

  private static Run finished(RunStatus status) {
    return new Run(
        41,
        "login",
        HASH,
        "sec",
        5,
        JSON.createObjectNode().put("user", "ann").put("token", "***"),
        "v1:0123abcd:c2VhbGVk",
        status,
        2,
        0,
        4,
        Duration.ofSeconds(3),
        Duration.ofMinutes(2),
        Duration.ofMinutes(10),
        Instant.EPOCH,
        Instant.EPOCH,
        Instant.EPOCH,
        Instant.EPOCH,
        null,
        null,
        false,
        null,
        "key-1",
        null,
        "boom",
        null);
  }

  @Test
  void a_retry_repeats_the_failed_run_with_its_sealed_secrets_and_links_to_it() {
    NewRun retry = NewRun.retrying(finished(RunStatus.ERROR));

    assertThat(retry.template()).isEqualTo("login");
    assertThat(retry.templateHash()).isEqualTo(HASH);
    assertThat(retry.templateDefinition()).isEmpty();
    assertThat(retry.lane()).isEqualTo("sec");
    assertThat(retry.params())
        .isEqualTo(JSON.createObjectNode().put("user", "ann").put("token", "***"));
    assertThat(retry.sealedParams()).isEqualTo("v1:0123abcd:c2VhbGVk");
    assertThat(retry.priority()).isEqualTo(5);
    assertThat(retry.maxAttempts()).isEqualTo(4);
    assertThat(retry.backoff()).isEqualTo(Duration.ofSeconds(3));
    assertThat(retry.maxBackoff()).isEqualTo(Duration.ofMinutes(2));
    assertThat(retry.timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(retry.retryOf()).isEqualTo(41L);
    assertThat(retry.idempotencyKey()).isNull();
    assertThat(NewRun.retrying(finished(RunStatus.CANCELLED)).retryOf()).isEqualTo(41L);
  }

  @Test
  void a_run_that_did_not_fail_or_was_not_cancelled_is_not_retried() {
    for (RunStatus status :
        new RunStatus[] {RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.SUCCESS}) {
      assertThatThrownBy(() -> NewRun.retrying(finished(status)))
          .isInstanceOf(TollgateException.class)
          .hasMessage(
              "run 41 is "
                  + status.wireName()
                  + "; only a run that ended in error or was cancelled can be retried");
    }
  }
}
