package dev.tollgate.actions.workflow;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The GitHub Actions workflow-command syntax ({@code ::name key=value,…::data}) that a step prints
 * on standard output: annotations, masks and the escaping that keeps user text from ending a
 * command or forging another.
 *
 * <p>This class only builds the lines; printing them is the runner's job (only {@code cli-runner}
 * writes to standard output).
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class WorkflowCommands {
  private WorkflowCommands() {}

  /**
   * Escapes a command's data (the text after the second {@code ::}) as the Actions runner expects:
   * {@code %} → {@code %25}, CR → {@code %0D}, LF → {@code %0A}.
   */
  public static String escapeData(String text) {
    StringBuilder b = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '%' -> b.append("%25");
        case '\r' -> b.append("%0D");
        case '\n' -> b.append("%0A");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Escapes a command property value: as {@link #escapeData} plus {@code :} → {@code %3A} and
   * {@code ,} → {@code %2C}, which would otherwise end the property list or the value.
   */
  public static String escapeProperty(String text) {
    StringBuilder b = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '%' -> b.append("%25");
        case '\r' -> b.append("%0D");
        case '\n' -> b.append("%0A");
        case ':' -> b.append("%3A");
        case ',' -> b.append("%2C");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * The {@code ::add-mask::} lines that make the runner replace {@code secret} with {@code ***} in
   * the log from then on: one per non-blank line of the secret, because the runner masks line by
   * line. Empty for a blank secret (masking nothing would mask every empty string).
   */
  public static List<String> mask(String secret) {
    Objects.requireNonNull(secret, "secret");
    List<String> lines = new ArrayList<>();
    for (String part : secret.split("\r\n|\r|\n")) {
      if (!part.isBlank()) {
        lines.add("::add-mask::" + escapeData(part));
      }
    }
    return lines;
  }
}
