package dev.tollgate.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploySpecLoaderTest {
  @TempDir Path root;

  void write(String name, String yaml) throws IOException {
    Path dir = root.resolve(".tollgate/deploy");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void minimal_spec_gets_documented_defaults() throws IOException {
    write("staging.yml", "deploy:\n  shell: ./deploy.sh\n");
    DeploySpec spec = DeploySpecLoader.load(root, "staging");
    assertThat(spec.environment()).isEqualTo("staging");
    assertThat(spec.lock()).isEqualTo(LockSpec.DEFAULT);
    assertThat(spec.windows()).isEqualTo(WindowSpec.ALWAYS_OPEN);
    assertThat(spec.change()).isEqualTo(ChangePolicy.DEFAULT);
    assertThat(spec.deploy())
        .isEqualTo(
            new ShellCheck(
                "deploy", "./deploy.sh", Map.of(), ShellCheck.DEFAULT_TIMEOUT, Optional.empty()));
    assertThat(spec.smokePre()).isEmpty();
    assertThat(spec.rollback()).isEmpty();
    assertThat(spec.record()).isEqualTo(RecordSpec.NONE);
  }

  @Test
  void a_spec_read_after_prepare_is_read_and_checked_as_without_it() throws IOException {
    DeploySpecLoader.prepare();
    write("staging.yml", "deploy:\n  shell: ./deploy.sh\n");
    assertThat(DeploySpecLoader.load(root, "staging").environment()).isEqualTo("staging");
    write("broken.yml", "deploy:\n  shell: ./deploy.sh\nlock: {lease: 20m, surprise: 1}\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "broken"))
        .hasMessageContaining("broken.yml:3")
        .hasMessageContaining("surprise");
  }

  @Test
  void full_spec_reads_every_key() throws IOException {
    write(
        "production.yml",
        """
        lock: {lease: 20m, stale_after: 90s}
        windows:
          timezone: Europe/Berlin
          allow: [{name: weekdays, cron: "0 8 * * 1-5", duration: 10h}]
          deny: [{name: year end, start: "2026-12-20T00:00", end: "2027-01-05T00:00+01:00"}]
          runway: 20m
          on_close: abort_and_rollback
        change:
          required: true
          types:
            normal: {approvals: 2, approvers: [alice, bob, carol]}
        backup: {shell: ./backup.sh, timeout: 5m}
        smoke_pre:
          - name: boot
            start: {command: java -jar app.jar, health_url: "http://localhost:18080/health"}
            http:
              url: http://localhost:18080/api/status
              expect_status: [200, 204]
              json: {path: /status, equals: ok}
              retries: 5
              interval: 1s
              consecutive_successes: 3
        deploy: {shell: ./deploy.sh, env: {TARGET: prod}, timeout: 20m}
        smoke_post: [{name: health, http: {url: "https://example.com/health"}}]
        rollback: {shell: ./rollback.sh}
        zero_downtime: {http: {url: "https://example.com/version", retries: 30}}
        record: {globs: ["build/*.jar"]}
        """);
    DeploySpec spec = DeploySpecLoader.load(root, "production");
    assertThat(spec.lock()).isEqualTo(new LockSpec(Duration.ofMinutes(20), Duration.ofSeconds(90)));
    WindowSpec w = spec.windows();
    assertThat(w.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(w.allow())
        .containsExactly(
            new Window.Recurring(Optional.of("weekdays"), "0 8 * * 1-5", Duration.ofHours(10)));
    assertThat(w.deny())
        .containsExactly(
            new Window.OneOff(
                Optional.of("year end"),
                Instant.parse("2026-12-19T23:00:00Z"),
                Instant.parse("2027-01-04T23:00:00Z")));
    assertThat(w.runway()).isEqualTo(Duration.ofMinutes(20));
    assertThat(w.onClose()).isEqualTo(WindowSpec.OnClose.ABORT_AND_ROLLBACK);
    assertThat(spec.change().required()).isTrue();
    assertThat(spec.change().policy(ChangeType.NORMAL))
        .isEqualTo(new ChangePolicy.TypePolicy(2, List.of("alice", "bob", "carol"), true, false));
    assertThat(spec.change().policy(ChangeType.EMERGENCY))
        .isEqualTo(ChangePolicy.defaultFor(ChangeType.EMERGENCY));
    HttpCheck boot = (HttpCheck) spec.smokePre().get(0);
    assertThat(boot.start())
        .contains(
            new ServerStart(
                "java -jar app.jar", "http://localhost:18080/health", ServerStart.DEFAULT_TIMEOUT));
    assertThat(boot.expectStatus()).containsExactly(200, 204);
    assertThat(boot.json()).contains(new HttpCheck.JsonCondition("/status", "ok"));
    assertThat(boot.retries()).isEqualTo(5);
    assertThat(boot.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(boot.consecutiveSuccesses()).isEqualTo(3);
    assertThat(((ShellCheck) spec.deploy()).env()).isEqualTo(Map.of("TARGET", "prod"));
    assertThat(spec.backup().orElseThrow().timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.smokePost()).extracting(Check::name).containsExactly("health");
    assertThat(spec.zeroDowntime().orElseThrow().retries()).isEqualTo(30);
    assertThat(spec.record().globs()).containsExactly("build/*.jar");
  }

  @Test
  void inherit_merges_mappings_deeply_and_replaces_lists() throws IOException {
    write(
        "base.yml",
        """
        lock: {lease: 15m}
        windows: {timezone: Europe/Berlin, runway: 10m}
        smoke_post: [{name: a, shell: "true"}, {name: b, shell: "true"}]
        deploy: {shell: ./deploy.sh}
        """);
    write(
        "production.yml",
        """
        inherit: base.yml
        lock: {stale_after: 1m}
        windows: {runway: 30m}
        smoke_post: [{name: c, shell: "true"}]
        """);
    DeploySpec spec = DeploySpecLoader.load(root, "production");
    assertThat(spec.lock()).isEqualTo(new LockSpec(Duration.ofMinutes(15), Duration.ofMinutes(1)));
    assertThat(spec.windows().timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(spec.windows().runway()).isEqualTo(Duration.ofMinutes(30));
    assertThat(spec.smokePost()).extracting(Check::name).containsExactly("c");
    assertThat(spec.deploy().name()).isEqualTo("deploy");
  }

  @Test
  void inherit_cycle_is_an_error_showing_the_chain() throws IOException {
    write("a.yml", "inherit: b.yml\n");
    write("b.yml", "inherit: c.yml\n");
    write("c.yml", "inherit: a.yml\ndeploy: {shell: x}\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "a"))
        .isInstanceOf(TollgateException.class)
        .hasMessage(".tollgate/deploy/c.yml:1:10: inherit cycle: a.yml → b.yml → c.yml → a.yml");
  }

  @Test
  void error_in_inherited_file_is_reported_at_that_file() throws IOException {
    write("base.yml", "deploy: {shell: x}\nlock:\n  lease: 10 minutes\n");
    write("staging.yml", "inherit: base.yml\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageStartingWith(
            ".tollgate/deploy/base.yml:3:10: lock.lease must be a duration like 30s, 5m or 1h30m"
                + " but was '10 minutes'");
  }

  @Test
  void missing_deploy_is_reported_after_inheritance() throws IOException {
    write("base.yml", "lock: {lease: 10m}\n");
    write("staging.yml", "inherit: base.yml\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageStartingWith(
            ".tollgate/deploy/staging.yml:1:1: deploy is required: the spec and the files it"
                + " inherits must say how to deploy");
  }

  @Test
  void unknown_environment_lists_known_ones_and_suggests_the_closest() throws IOException {
    write("staging.yml", "deploy: {shell: x}\n");
    write("production.yml", "deploy: {shell: x}\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "prodution"))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.getMessage())
                  .isEqualTo(
                      ".tollgate/deploy: unknown environment 'prodution': there is no"
                          + " .tollgate/deploy/prodution.yml; did you mean `production`?");
              assertThat(e.diagnostics().get(0).hint())
                  .contains("Known environments: production, staging.");
            });
  }

  @Test
  void unknown_key_is_a_schema_error_with_did_you_mean() throws IOException {
    write("staging.yml", "deploy: {shell: x}\nrollbak: {shell: y}\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageContaining(".tollgate/deploy/staging.yml:2:1")
        .hasMessageContaining("rollback");
  }

  @Test
  void bad_timezone_and_cron_are_reported_at_their_lines() throws IOException {
    write(
        "staging.yml",
        """
        deploy: {shell: x}
        windows:
          timezone: Europe/Berln
          allow:
            - cron: "0 25 * * *"
              duration: 1h
        """);
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageContaining(
            ".tollgate/deploy/staging.yml:3:13: windows.timezone must be an IANA time zone like"
                + " Europe/Berlin but was 'Europe/Berln'; did you mean `Europe/Berlin`?")
        .hasMessageContaining(
            ".tollgate/deploy/staging.yml:5:13: windows.allow[0].cron: cron '0 25 * * *' is not a five-field UNIX cron expression");
  }

  @Test
  void window_mixing_cron_and_start_is_refused() throws IOException {
    write(
        "staging.yml",
        "deploy: {shell: x}\nwindows:\n  deny: [{cron: \"0 1 * * *\", start: \"2026-01-01T00:00\"}]\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageContaining("windows.deny[0] mixes cron/duration with start/end");
  }

  @Test
  void server_start_outside_pre_smoke_is_refused() throws IOException {
    write(
        "staging.yml",
        "deploy: {shell: x}\n"
            + "smoke_post: [{name: a, shell: y, start: {command: z, health_url: \"http://h:1/x\"}}]\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageContaining("smoke_post[0].start is allowed in smoke_pre checks only");
  }

  @Test
  void check_with_both_shell_and_http_is_refused() throws IOException {
    write("staging.yml", "deploy: {shell: x, http: {url: \"http://h:1/x\"}}\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageContaining(
            ".tollgate/deploy/staging.yml:1:9: deploy has both 'shell' and 'http'");
  }

  @Test
  void emergency_without_required_reason_is_refused() throws IOException {
    write(
        "staging.yml",
        "deploy: {shell: x}\nchange:\n  types:\n    emergency: {reason_required: false}\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageContaining(
            "change.types.emergency.reason_required must be true: an emergency always needs a"
                + " reason");
  }

  @Test
  void duplicate_check_names_are_refused() throws IOException {
    write(
        "staging.yml",
        "deploy: {shell: x}\nsmoke_pre: [{name: a, shell: y}, {name: a, shell: z}]\n");
    assertThatThrownBy(() -> DeploySpecLoader.load(root, "staging"))
        .hasMessageContaining("smoke_pre[1].name 'a' is already used by smoke_pre[0]");
  }

  @Test
  void example_specs_in_the_repository_load() {
    Path example = Path.of("..", "examples", "deploy").toAbsolutePath().normalize();
    assertThat(DeploySpecLoader.environments(example)).contains("production", "staging");
    DeploySpec production = DeploySpecLoader.load(example, "production");
    assertThat(production.change().required()).isTrue();
    assertThat(production.windows().deny()).hasSize(2);
    assertThat(((ShellCheck) production.deploy()).env()).containsEntry("TARGET", "production");
    assertThat(DeploySpecLoader.load(example, "staging").windows().allow()).isEmpty();
  }
}
