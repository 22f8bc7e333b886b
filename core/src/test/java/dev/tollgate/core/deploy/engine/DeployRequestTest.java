package dev.tollgate.core.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployRequestTest {

  @Test
  void the_builder_names_every_field_and_defaults_to_a_real_deploy_that_refuses_a_held_lock() {
    DeployRequest plain = DeployRequest.builder("staging", "abc1234", "v1").actor("alice").build();
    assertThat(plain)
        .isEqualTo(
            new DeployRequest(
                "staging",
                "abc1234",
                "v1",
                Optional.empty(),
                "alice",
                Optional.empty(),
                false,
                Optional.empty(),
                false,
                Duration.ZERO));

    DeployRequest full =
        DeployRequest.builder("prod", "abc1234", "v2")
            .ref(Optional.of("main"))
            .actor("bob")
            .changeId(Optional.of(7L))
            .emergency("payments down")
            .dryRun(true)
            .waitForLock(Duration.ofMinutes(10))
            .build();
    assertThat(full.ref()).contains("main");
    assertThat(full.changeId()).contains(7L);
    assertThat(full.emergency()).isTrue();
    assertThat(full.reason()).contains("payments down");
    assertThat(full.dryRun()).isTrue();
    assertThat(full.waitForLock()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void an_emergency_without_a_reason_a_negative_wait_and_a_missing_actor_are_refused() {
    DeployRequest.Builder b = DeployRequest.builder("prod", "abc1234", "v2");
    assertThatThrownBy(() -> b.emergency(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the emergency reason must not be blank");
    assertThatThrownBy(() -> b.waitForLock(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("waitForLock must not be negative");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a deploy request needs an actor");
  }
}
