package dev.tollgate.core.runs.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.runs.step.StepContext;
import dev.tollgate.core.runs.step.StepOutcome;
import dev.tollgate.core.runs.template.ShellStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any parameter value reaches a shell step byte for byte and is never executed.
 *
 * <p>Values never contain NUL: environment variables are C strings and end at the first NUL, so
 * such a value cannot be passed at all (the runner reports it as a failure instead). Values are
 * well-formed Unicode (no unpaired surrogates), since they are passed on as UTF-8.
 */
class ShellParamsProperties {
  private static final StepRunner RUNNER = StepRunner.create();
  private static final ShellStep ECHO =
      ShellStep.of(
          "echo",
          Duration.ofMinutes(1),
          "printf '%s' \"$TOLLGATE_PARAM_VALUE\" > out.bin; printf '%s' \"$TOLLGATE_PARAMS\" > all.json");
  private static Path dir;

  @BeforeContainer
  static void createDir() throws IOException {
    dir = Files.createTempDirectory("tollgate-shell-params");
  }

  @AfterContainer
  static void deleteDir() throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Property(tries = 100)
  void any_value_reaches_the_script_byte_for_byte_and_is_not_executed(
      @ForAll("values") String value) throws IOException {
    Assume.that(
        "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))
            || value.chars().allMatch(c -> c < 128));
    Files.deleteIfExists(dir.resolve("out.bin"));
    ObjectNode params = new ObjectMapper().createObjectNode();
    params.put("value", value);
    StepOutcome o =
        RUNNER.run(ECHO, StepContext.builder(1, 1).workingDirectory(dir).params(params).build());
    assertThat(o.succeeded()).as(o.summary()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("out.bin")))
        .isEqualTo(value.getBytes(StandardCharsets.UTF_8));
    assertThat(new ObjectMapper().readTree(dir.resolve("all.json").toFile()).get("value").asText())
        .isEqualTo(value);
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> attacks =
        Arbitraries.of(
            "$(touch pwned)",
            "`touch pwned`",
            ";touch pwned;",
            "'",
            "\"",
            "\\",
            "\n",
            "\r\n",
            "$",
            "${IFS}",
            "&&",
            "|",
            ">pwned",
            "*",
            "~",
            "!",
            "%s",
            "-n",
            "\t",
            " ");
    Arbitrary<String> codePoints =
        Arbitraries.integers()
            .between(1, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .map(Character::toString);
    Arbitrary<String> ascii = Arbitraries.chars().range((char) 1, (char) 127).map(String::valueOf);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, attacks),
            net.jqwik.api.Tuple.of(3, ascii),
            net.jqwik.api.Tuple.of(2, codePoints))
        .list()
        .ofMaxSize(30)
        .map(parts -> String.join("", parts));
  }
}
