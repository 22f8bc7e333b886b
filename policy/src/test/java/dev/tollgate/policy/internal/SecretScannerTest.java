package dev.tollgate.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SecretScannerTest {
  // Assembled at run time so that this file holds no secret-shaped literal.
  static final String AWS = "AKIA" + "IOSFODNN7EXAMPLE";
  static final String GHP = "ghp" + "_" + "0123456789abcdefghijABCDEFGHIJ012345";
  static final String PAT = "github" + "_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuv";
  static final String SLACK = "xox" + "b-123456789012-abcdefABCDEF";
  static final String GOOGLE = "AIza" + "SyA-abcdefghijklmnopqrstuvwxyz01234";

  private static List<SecretScanner.Hit> scan(String text) {
    return SecretScanner.scan(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void well_known_secrets_are_found_with_line_and_column() {
    String text =
        "a=1\nkey="
            + AWS
            + "\n  "
            + GHP
            + "\n"
            + PAT
            + "\nslack: "
            + SLACK
            + "\n"
            + GOOGLE
            + "\n"
            + "-----BEGIN RSA "
            + "PRIVATE KEY-----\nabc\n";
    assertThat(scan(text))
        .containsExactly(
            new SecretScanner.Hit(2, 5, "an AWS access key id"),
            new SecretScanner.Hit(3, 3, "a GitHub token"),
            new SecretScanner.Hit(4, 1, "a GitHub fine-grained token"),
            new SecretScanner.Hit(5, 8, "a Slack token"),
            new SecretScanner.Hit(6, 1, "a Google API key"),
            new SecretScanner.Hit(7, 1, "a private key block"));
  }

  @Test
  void lookalikes_and_binary_content_are_not_secrets() {
    assertThat(scan("AKIA-not-a-key, ghp_short, xoxb-, public key: -----BEGIN PUBLIC KEY-----"))
        .isEmpty();
    assertThat(scan("X" + AWS + "X")).isEmpty();
    byte[] binary = ("\0" + AWS).getBytes(StandardCharsets.ISO_8859_1);
    assertThat(SecretScanner.scan(binary)).isEmpty();
  }

  @Property
  void scanning_never_throws_and_hits_lie_inside_the_text(@ForAll byte[] bytes) {
    for (SecretScanner.Hit h : SecretScanner.scan(bytes)) {
      assertThat(h.line()).isPositive();
      assertThat(h.column()).isPositive();
    }
  }

  @Test
  void globs_match_folders_and_names() {
    assertThat(Glob.of("src/fixtures/**").matches("src/fixtures/a/b.txt")).isTrue();
    assertThat(Glob.of("**/testdata/*").matches("a/b/testdata/x.pem")).isTrue();
    assertThat(Glob.of("**/testdata/*").matches("testdata/x.pem")).isTrue();
    assertThat(Glob.of("*.pem").matches("a/x.pem")).isFalse();
    assertThat(Glob.of("docs/").matches("docs/x/y.md")).isTrue();
  }
}
