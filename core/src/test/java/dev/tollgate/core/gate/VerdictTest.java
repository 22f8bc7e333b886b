package dev.tollgate.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {
  static Gate gate(String id, GateResult result) {
    return new Gate() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String description() {
        return "test gate";
      }

      @Override
      public GateResult evaluate(GateContext context) {
        return result;
      }
    };
  }

  static final Recovery HOW = Recovery.of("cause", "policy", "next", "retry");

  @Test
  void passes_only_when_every_gate_passes() {
    Verdict v =
        Verdict.evaluate(
            List.of(gate("a", GateResult.pass("a", "fine")), gate("b", GateResult.pass("b", "ok"))),
            TestContext.of());
    assertThat(v.passed()).isTrue();
    assertThat(v.status()).isEqualTo(GateStatus.PASS);
    assertThat(v.firstRecovery()).isEmpty();
  }

  @Test
  void a_blocked_gate_blocks_and_its_recovery_is_the_first() {
    Verdict v =
        Verdict.evaluate(
            List.of(
                gate("a", GateResult.pass("a", "fine")),
                gate("b", GateResult.blocked("b", "no", HOW)),
                gate("c", GateResult.blocked("c", "nope", Recovery.of("x", "y", "z", "w")))),
            TestContext.of());
    assertThat(v.status()).isEqualTo(GateStatus.BLOCKED);
    assertThat(v.failures()).extracting(GateResult::gate).containsExactly("b", "c");
    assertThat(v.firstRecovery()).contains(HOW);
    assertThat(v.explain())
        .isEqualTo(
            "pass a: fine\nblocked b: no\n  cause: cause\n  policy: policy\n  next step: next\n"
                + "  safe retry: retry\nblocked c: nope\n  cause: x\n  policy: y\n  next step: z\n"
                + "  safe retry: w\n");
  }

  @Test
  void a_gate_that_throws_becomes_an_error_without_stopping_the_others() {
    Gate throwing =
        new Gate() {
          @Override
          public String id() {
            return "boom";
          }

          @Override
          public String description() {
            return "throws";
          }

          @Override
          public GateResult evaluate(GateContext context) {
            throw new IllegalStateException("kaput");
          }
        };
    Verdict v =
        Verdict.evaluate(
            List.of(throwing, gate("b", GateResult.pass("b", "ok"))), TestContext.of());
    assertThat(v.status()).isEqualTo(GateStatus.ERROR);
    assertThat(v.results().get(0)).isInstanceOf(GateResult.Error.class);
    assertThat(v.results().get(0).reason()).contains("kaput");
    assertThat(v.results().get(1).status()).isEqualTo(GateStatus.PASS);
  }

  @Test
  void bad_input_from_a_gate_is_rethrown_not_turned_into_a_gate_error() {
    // Wrong user input (exit code 2) is not a defect of the gate, so the guard lets it through.
    Gate g = gate("cfg", GateResult.pass("cfg", "unused"));
    dev.tollgate.core.TollgateException bad =
        dev.tollgate.core.TollgateException.badInput("policy.yml:3:5: bad glob");
    assertThatThrownBy(
            () ->
                Verdict.guard(
                    g,
                    () -> {
                      throw bad;
                    }))
        .isSameAs(bad);
  }

  @Test
  void a_result_for_another_gate_is_an_error() {
    Verdict v = Verdict.evaluate(List.of(gate("a", GateResult.pass("b", "x"))), TestContext.of());
    assertThat(v.results().get(0).status()).isEqualTo(GateStatus.ERROR);
    assertThat(v.results().get(0).reason()).isEqualTo("gate a returned a result for b");
  }

  @Test
  void rejects_two_results_for_one_gate() {
    assertThatThrownBy(
            () -> Verdict.of(List.of(GateResult.pass("a", "x"), GateResult.pass("a", "y"))))
        .hasMessage("gate 'a' has more than one result");
  }

  @Test
  void recovery_parts_must_not_be_blank() {
    assertThatThrownBy(() -> Recovery.of("c", " ", "n", "r"))
        .hasMessage("policyContext must not be blank");
  }

  @Test
  void gate_ids_must_be_kebab_case() {
    assertThatThrownBy(() -> GateResult.pass("WipLimit", "x"))
        .hasMessage("gate id must be lower-case kebab case like 'wip-limit' but was 'WipLimit'");
  }

  @Test
  void status_labels_are_lower_case() {
    assertThat(GateStatus.BLOCKED.label()).isEqualTo("blocked");
  }
}
