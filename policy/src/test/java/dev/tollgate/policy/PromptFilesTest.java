package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Moved from the CLI's ItemsShowCommandTest with the code it tests. */
class PromptFilesTest {

  @Test
  void first_heading_skips_front_matter_and_code_and_reads_setext_headings() {
    assertThat(PromptFiles.firstHeading("# Title #\n")).isEqualTo(Optional.of("Title"));
    assertThat(PromptFiles.firstHeading("---\ntitle: x\n---\n## Real\n"))
        .isEqualTo(Optional.of("Real"));
    assertThat(PromptFiles.firstHeading("```\n# not a heading\n```\nPlain\n=====\n"))
        .isEqualTo(Optional.of("Plain"));
    assertThat(PromptFiles.firstHeading("Intro text\nsecond line\n---\n"))
        .isEqualTo(Optional.of("Intro text second line"));
    assertThat(PromptFiles.firstHeading("#hashtag is not a heading\n    # indented code\n"))
        .isEmpty();
    assertThat(PromptFiles.firstHeading("")).isEmpty();
  }
}
