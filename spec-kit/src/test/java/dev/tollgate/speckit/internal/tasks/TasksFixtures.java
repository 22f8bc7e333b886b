package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.speckit.internal.shared.SourceFile;
import dev.tollgate.speckit.internal.shared.SpecFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Loads the tasks.md fixtures and the spec facts they are checked against. */
final class TasksFixtures {
  private TasksFixtures() {}

  /** A spec with stories 1 and 2, FR-001…FR-003 and SC-001. */
  static SpecFacts spec() {
    return new SpecFacts(
        new TreeMap<>(Map.of(1, Location.of("spec.md", 10, 1), 2, Location.of("spec.md", 20, 1))),
        new TreeMap<>(
            Map.of(
                "FR-001", Location.of("spec.md", 30, 1),
                "FR-002", Location.of("spec.md", 31, 1),
                "FR-003", Location.of("spec.md", 32, 1))),
        new TreeMap<>(Map.of("SC-001", Location.of("spec.md", 40, 1))));
  }

  static SourceFile load(String name) {
    String path = "/fixtures/tasks/" + name;
    try (InputStream in = TasksFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("fixture missing: " + path);
      }
      return SourceFile.of(
          "specs/001-demo/tasks.md", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The findings of one rule for a fixture, checked as a GitHub-layout feature with the spec. */
  static List<Diagnostic> findings(String fixture, String rule) {
    return TasksCheck.check(load(fixture), new TasksContext(true, Optional.of(spec()))).stream()
        .filter(d -> d.ruleId().equals(rule))
        .toList();
  }

  /** A compact form for assertions: {@code SK019 error 8:7}. */
  static String at(Diagnostic d) {
    return d.ruleId()
        + " "
        + d.severity().label()
        + " "
        + d.location().line()
        + ":"
        + d.location().column();
  }

  static String at(String rule, Severity s, int line, int column) {
    return rule + " " + s.label() + " " + line + ":" + column;
  }
}
