package dev.tollgate.speckit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A file reference, whose equality is written out, is equal by path, relative path and kind. */
class FileRefTest {
  @Test
  void file_references_are_equal_when_every_part_is() {
    Discovery.FileRef a =
        new Discovery.FileRef(
            Path.of("/p/specs/a/spec.md"), "specs/a/spec.md", Discovery.Kind.SPEC);
    Discovery.FileRef same =
        new Discovery.FileRef(
            Path.of("/p/specs/a/spec.md"), "specs/a/spec.md", Discovery.Kind.SPEC);
    assertThat(a).isEqualTo(same);
    assertThat(a.hashCode()).isEqualTo(same.hashCode());
    assertThat(a)
        .isNotEqualTo(
            new Discovery.FileRef(
                Path.of("/q/specs/a/spec.md"), "specs/a/spec.md", Discovery.Kind.SPEC))
        .isNotEqualTo(
            new Discovery.FileRef(
                Path.of("/p/specs/a/spec.md"), "specs/b/spec.md", Discovery.Kind.SPEC))
        .isNotEqualTo(
            new Discovery.FileRef(
                Path.of("/p/specs/a/spec.md"), "specs/a/spec.md", Discovery.Kind.PLAN));
  }
}
