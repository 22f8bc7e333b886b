package dev.tollgate.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The user documentation describes what this build does, not what a release will bring: a promise
 * such as "in the next release" goes stale the day the feature lands (docs/design.md said policy
 * gates and PostgreSQL state would come later long after both existed).
 */
class DocsWordingTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern PROMISE =
      Pattern.compile(
          "\\b(in|with|for|until) (the|a|an) (next|later|future|upcoming|coming) releases?\\b"
              + "|\\bin (later|future|upcoming|coming) releases\\b"
              + "|\\bcoming soon\\b");

  @Test
  void no_page_promises_a_feature_for_a_later_release() throws IOException {
    List<String> promises = new ArrayList<>();
    List<Path> pages = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> files = Files.walk(REPO.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).forEach(pages::add);
    }
    for (Path page : pages) {
      List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = PROMISE.matcher(lines.get(i).toLowerCase(Locale.ROOT));
        if (m.find()) {
          promises.add(REPO.relativize(page) + ":" + (i + 1) + ": " + m.group());
        }
      }
    }
    assertThat(pages).hasSizeGreaterThan(10);
    assertThat(promises).as("pages that promise a later release").isEmpty();
  }

  @Test
  void the_pattern_catches_the_wording_docs_design_md_had() {
    assertThat(PROMISE.matcher("policy gates come in the next release").find()).isTrue();
    assertThat(PROMISE.matcher("postgresql state in later releases").find()).isTrue();
    assertThat(PROMISE.matcher("the release record of the next deploy").find()).isFalse();
  }
}
