package dev.tollgate.speckit.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Severity;
import dev.tollgate.core.report.Report;
import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitInit;
import dev.tollgate.speckit.SpecKitValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class SpecKitInitProperties {

  @Property(tries = 150)
  void init_output_always_validates_without_errors(
      @ForAll("names") String name,
      @ForAll("texts") String title,
      @ForAll("texts") String description,
      @ForAll @Size(max = 4) List<@net.jqwik.api.From("texts") String> goals,
      @ForAll SpecKitInit.Layout layout)
      throws IOException {
    Path root = Files.createTempDirectory("tollgate-init-property");
    try {
      new SpecKitInit(SpecKitInitTest.CLOCK)
          .create(root, new SpecKitInit.Request(name, layout, title, description, goals));
      Report report = new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(root));
      assertThat(
              report.findings().stream()
                  .filter(d -> d.severity() == Severity.ERROR)
                  .map(Object::toString))
          .isEmpty();
    } finally {
      delete(root);
    }
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .alpha()
        .numeric()
        .withChars(' ', '-', '_', 'é')
        .ofMinLength(1)
        .ofMaxLength(30)
        .filter(s -> s.chars().anyMatch(c -> c < 128 && Character.isLetterOrDigit(c)));
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> tricky =
        Arbitraries.of(
            "[FEATURE NAME]",
            "$ARGUMENTS",
            "TXXX",
            "ACTION REQUIRED",
            "[NEEDS CLARIFICATION: x]",
            "TODO",
            "TBD",
            "???",
            "T001",
            "depends on T999",
            "FR-1",
            "SC-",
            "US9",
            "[US2]",
            "(Priority: P9)",
            "✅",
            "COMPLETE",
            "NOT STARTED",
            "<!--",
            "-->",
            "```",
            "# ",
            "\n- [ ] ",
            "\n\n",
            "|",
            "**",
            "Given",
            "When",
            "Then",
            "/Users/me/x",
            "C:\\x",
            "Ã©",
            "â€™",
            "Total: 99 tasks",
            "3/4 subtasks",
            "[link](missing.md)",
            "[ALL_CAPS]",
            "\u0000",
            "\r\n",
            "\t",
            " ");
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        tricky.list().ofMaxSize(8).map(l -> String.join(" ", l)),
        Arbitraries.just(""));
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
