package dev.tollgate.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.cli.TollgateCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --database-url} values that are wrong are bad input, never "internal error". */
class DatabaseUrlTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run runsList(String url) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        TollgateCommand.execute(
            new PrintWriter(out),
            new PrintWriter(err),
            "runs",
            "list",
            "--database-url",
            url,
            "--dir",
            dir.toString());
    return new Run(exit, out.toString(), err.toString().replace("\r\n", "\n"));
  }

  private void assertBadInput(String url, String message) {
    Run r = runsList(url);
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "--database-url: "
                + message
                + "\nTry 'tollgate runs list --help' for more information.\n");
  }

  @Test
  void a_port_out_of_range_is_bad_input_naming_the_port() {
    assertBadInput(
        "jdbc:postgresql://localhost:99999/db",
        "port must be a number from 1 to 65535 but was '99999'");
  }

  @Test
  void a_bogus_sslmode_is_bad_input_listing_the_choices() {
    assertBadInput(
        "postgres://u:hunter2@localhost/db?sslmode=bogus",
        "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full but was"
            + " 'bogus'");
  }

  @Test
  void a_socket_factory_that_does_not_exist_is_bad_input_naming_the_class() {
    assertBadInput(
        "jdbc:postgresql://localhost/db?socketFactory=com.example.Nope",
        "socketFactory names the class com.example.Nope, which is not on the class path");
  }

  @Test
  void an_empty_url_is_refused_instead_of_starting_the_embedded_server() {
    assertBadInput(
        "",
        "expected jdbc:postgresql://host:port/db or postgres://user:password@host:port/db but"
            + " the option is empty; leave it out to use the embedded server");
    assertThat(Files.exists(dir.resolve(".tollgate"))).isFalse();
  }

  @Test
  void an_unreachable_server_still_could_not_finish() {
    Run r = runsList("jdbc:postgresql://127.0.0.1:1/db?connectTimeout=1");
    assertThat(r.exit()).as(r.err()).isEqualTo(3);
    assertThat(r.err()).startsWith("tollgate: could not finish: could not connect to ");
  }
}
