package dev.tollgate.core.workitem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkItemSchemaTest {

  @Test
  void an_item_built_in_code_passes_when_its_file_would_load() {
    WorkItemSchema.check(FileWorkItemStoreTest.full(), "work-items/wi-BF-274.yml");
    assertThat(WorkItemSchema.yaml(WorkItem.builder("wi-1", "First", "ready").build()))
        .isEqualTo("id: wi-1\ntitle: First\nlane: ready\nstatus: open\n");
  }

  @Test
  void an_item_the_schema_refuses_is_bad_input_located_in_its_text() {
    WorkItem item =
        WorkItem.builder("wi-1", "First", "ready").blockers(List.of("")).pr("not a url").build();
    assertThatThrownBy(() -> WorkItemSchema.check(item, "work-items/wi-1.yml"))
        .isInstanceOfSatisfying(
            TollgateException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
              assertThat(e.diagnostics()).hasSize(2);
              assertThat(e.diagnostics().get(0).location().file()).isEqualTo("work-items/wi-1.yml");
              assertThat(e.diagnostics().get(0).location().line()).isPositive();
            });
  }
}
