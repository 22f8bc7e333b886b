package dev.tollgate.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.cli.TollgateCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate serve}'s refusals and {@code serve token}, which return before serving. */
class ServeCommandTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TollgateCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString().replace("\r\n", "\n"));
  }

  @Test
  void binding_beyond_loopback_without_tokens_or_a_proxy_is_refused() {
    Run r = run("serve", "--bind", "0.0.0.0", "--dir", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            "--bind 0.0.0.0 is not a loopback address, and without --tokens or --trusted-proxy"
                + " anyone who can reach it could act; give one of them, or bind to 127.0.0.1\n");
  }

  @Test
  void a_malformed_token_file_is_bad_input_with_its_line_and_column() throws Exception {
    Path tokens = dir.resolve("tokens.txt");
    Files.writeString(tokens, "# ci tokens\nci read,write sha256:" + "a".repeat(64) + "\n");
    Run r = run("serve", "--tokens", tokens.toString(), "--dir", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("tokens.txt:2:4")
        .contains("expected scopes from read, act, deploy but found 'write'");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void a_bad_prefix_or_port_is_a_usage_error() {
    assertThat(run("serve", "--prefix", "ops/", "--dir", dir.toString()).exit()).isEqualTo(2);
    assertThat(run("serve", "--port", "70000", "--dir", dir.toString()).exit()).isEqualTo(2);
  }

  @Test
  void serve_token_prints_a_token_once_and_a_line_holding_only_its_hash() {
    Run r = run("serve", "token", "ci-bot", "--scopes", "read,act");
    assertThat(r.exit()).as(r.err()).isZero();
    String[] lines = r.out().split("\n");
    String token = lines[0].substring("token: ".length());
    assertThat(token).startsWith("tgt_").hasSizeGreaterThan(40);
    assertThat(lines[1]).matches("line for the --tokens file: ci-bot read,act sha256:[0-9a-f]{64}");
    assertThat(lines[1]).doesNotContain(token);
  }

  @Test
  void serve_token_refuses_an_unknown_scope() {
    Run r = run("serve", "token", "ci-bot", "--scopes", "admin");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("--scopes: expected read, act or deploy but found 'admin'");
  }
}
