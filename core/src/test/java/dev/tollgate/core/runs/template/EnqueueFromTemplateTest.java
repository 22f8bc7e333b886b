package dev.tollgate.core.runs.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.core.db.Database;
import dev.tollgate.core.db.TestDatabase;
import dev.tollgate.core.postgres.PostgresRunQueue;
import dev.tollgate.core.runs.Enqueued;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.RunStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@code tollgate runs enqueue} and {@code runs retry} do, done by an embedder. */
class EnqueueFromTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Database db;
  private static RunQueue queue;

  private static final RunTemplate LOGIN =
      RunTemplate.parse(
          ("name: login\nlane: sec\nparams:\n  type: object\n  properties:\n"
                  + "    user: {type: string}\n"
                  + "    token: {type: string, writeOnly: true}\n"
                  + "    region: {type: string, default: eu}\n"
                  + "steps:\n  - name: use\n    shell: echo hi\n")
              .getBytes(StandardCharsets.UTF_8),
          ".tollgate/templates/login.yml");

  @BeforeAll
  static void open() {
    db = TestDatabase.freshSchema("enqueue_template", 2);
    queue = PostgresRunQueue.open(db.dataSource(), db.schema());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static ParamsCipher key() {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 9);
    return ParamsCipher.of(k);
  }

  @Test
  void a_run_enqueued_from_a_template_keeps_its_definition_and_a_retry_keeps_its_secrets() {
    Enqueued first =
        queue.enqueue(
            LOGIN
                .newRun(
                    RunParams.of(JSON.createObjectNode().put("user", "ann").put("token", "t0k")))
                .cipher(key())
                .idempotencyKey("login-ann")
                .build());
    Run run = first.run();
    assertThat(first.created()).isTrue();
    assertThat(run.lane()).isEqualTo("sec");
    assertThat(run.params())
        .isEqualTo(
            JSON.createObjectNode().put("user", "ann").put("token", "***").put("region", "eu"));
    assertThat(queue.templateDefinition(run.templateHash())).contains(LOGIN.source());
    assertThat(SecretParams.reveal(run, Optional.of(key())).get("token").asText()).isEqualTo("t0k");

    Enqueued again =
        queue.enqueue(
            LOGIN
                .newRun(RunParams.of(JSON.createObjectNode().put("user", "bob")))
                .idempotencyKey("login-ann")
                .build());
    assertThat(again.created()).isFalse();
    assertThat(again.run().id()).isEqualTo(run.id());

    queue.cancel(run.id(), "not now");
    Run retry = queue.retry(run.id());
    assertThat(retry.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(retry.retryOf()).isEqualTo(run.id());
    assertThat(retry.templateHash()).isEqualTo(run.templateHash());
    assertThat(retry.params()).isEqualTo(run.params());
    assertThat(SecretParams.reveal(retry, Optional.of(key())).get("token").asText())
        .isEqualTo("t0k");
  }
}
