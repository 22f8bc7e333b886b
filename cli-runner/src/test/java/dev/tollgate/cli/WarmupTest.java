package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmupTest {
  private static boolean setUpRunning() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("tollgate-warmup") && t.isAlive());
  }

  @Test
  void only_gate_deploy_rollback_and_spec_kit_get_a_set_up() {
    assertThat(Warmup.work("gate")).isNotNull();
    assertThat(Warmup.work("deploy")).isNotNull();
    assertThat(Warmup.work("rollback")).isNotNull();
    assertThat(Warmup.work("spec-kit")).isNotNull();
    for (String other : new String[] {"items", "--version", "--help", "help", "gate2", ""}) {
      assertThat(Warmup.work(other)).as(other).isNull();
    }
  }

  @Test
  void a_command_runs_only_once_the_set_up_has_finished() {
    Warmup.start("gate", "--github");
    Warmup.await();
    assertThat(setUpRunning()).isFalse();
    // Nothing started: returns at once.
    Warmup.start("items", "list");
    Warmup.await();
    assertThat(setUpRunning()).isFalse();
  }
}
