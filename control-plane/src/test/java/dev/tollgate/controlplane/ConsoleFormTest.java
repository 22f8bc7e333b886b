package dev.tollgate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the console names its forms in the audit log, and which of them change nothing. */
class ConsoleFormTest {

  private static ConsoleForm form(String path, String doField) {
    return ConsoleForm.of(List.of(path.substring(1).split("/")), doField);
  }

  @Test
  void previews_checks_and_generated_downloads_change_nothing() {
    assertThat(form("/templates/deploy/preview", null).changesState()).isFalse();
    assertThat(form("/templates/deploy/edit", "check").changesState()).isFalse();
    assertThat(form("/templates/deploy/edit", null).changesState()).isFalse();
    assertThat(form("/spec-kit/init", null).changesState()).isFalse();
  }

  @Test
  void each_state_changing_form_is_named_for_what_it_does() {
    assertThat(form("/templates/deploy/edit", "save"))
        .isEqualTo(new ConsoleForm("console: save template", true));
    assertThat(form("/templates/deploy/enqueue", null).action()).isEqualTo("console: enqueue run");
    assertThat(form("/items/wi-1/actions/start", null).action())
        .isEqualTo("console: perform work-item action");
    assertThat(form("/items", null).action()).isEqualTo("console: create work item");
    assertThat(form("/items/wi-1/fields", null).action())
        .isEqualTo("console: change work-item fields");
    assertThat(form("/runs/7/cancel", null).action()).isEqualTo("console: cancel run");
    assertThat(form("/runs/7/retry", null).action()).isEqualTo("console: retry run");
    assertThat(form("/operations/environments/prod/hold", null).action())
        .isEqualTo("console: hold environment");
    assertThat(form("/operations/promotions", null).action())
        .isEqualTo("console: propose promotion");
    assertThat(form("/operations/promotions/p-1/deploy", null).action())
        .isEqualTo("console: deploy promotion");
    assertThat(form("/operations/changes", null).action())
        .isEqualTo("console: open change request");
    assertThat(form("/operations/changes/c-1/reject", null).action())
        .isEqualTo("console: reject change request");
  }

  @Test
  void an_unknown_form_is_audited_by_its_path_and_never_named_by_the_request() {
    ConsoleForm unknown = form("/runs/7/<script>", null);

    assertThat(unknown.changesState()).isTrue();
    assertThat(unknown.action()).isEqualTo("console: POST /runs/7/<script>");
    assertThat(form("/operations/environments/prod/drop", null).action())
        .isEqualTo("console: POST /operations/environments/prod/drop");
  }
}
