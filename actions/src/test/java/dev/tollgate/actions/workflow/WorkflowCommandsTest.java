package dev.tollgate.actions.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkflowCommandsTest {

  @Test
  void escapes_data_and_properties_as_the_runner_expects() {
    assertThat(WorkflowCommands.escapeData("100%\r\nnext: a,b")).isEqualTo("100%25%0D%0Anext: a,b");
    assertThat(WorkflowCommands.escapeProperty("a:b,c%\n")).isEqualTo("a%3Ab%2Cc%25%0A");
  }

  @Test
  void masks_every_line_of_a_multi_line_secret_separately() {
    assertThat(WorkflowCommands.mask("ghs_abc\n\nline%2\r\n"))
        .containsExactly("::add-mask::ghs_abc", "::add-mask::line%252");
  }

  @Test
  void masks_nothing_for_a_blank_secret() {
    assertThat(WorkflowCommands.mask("  \n")).isEmpty();
  }
}
