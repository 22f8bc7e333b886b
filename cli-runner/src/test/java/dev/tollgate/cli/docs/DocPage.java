package dev.tollgate.cli.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown page read as executable documentation: its shell commands in page order, each with
 * what the page claims about it (exit code, shown output) or why it is not run.
 *
 * <p>The syntax is described in {@code docs/doc-tests.md}. In short: every fenced block whose
 * language is {@code sh}, {@code shell} or {@code bash} holds commands (one per line, {@code \}
 * continues a line, {@code #} lines are comments); an HTML comment {@code <!-- doc-test ... -->}
 * right before such a block holds directives {@code SELECTOR => EXPECTATION}; a fenced block whose
 * language is {@code output} shows the output of a command of the shell block before it.
 */
public final class DocPage {
  /** The line that makes any Markdown page take part; README and getting-started always do. */
  public static final String OPT_IN = "<!-- doc-test page -->";

  private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`]*)$");
  private static final Pattern DIRECTIVE = Pattern.compile("^(.+?)\\s*=>\\s*(.+)$");
  private static final Pattern EXIT = Pattern.compile("^exit (\\d{1,3})$");
  private static final Pattern NOT_RUN = Pattern.compile("^not run: (.*\\S.*)$");
  private static final List<String> SHELLS = List.of("sh", "shell", "bash");

  /** One command of the page, in page order. */
  public record Command(
      int line, String text, int expectedExit, Optional<String> notRun, Optional<Expected> output) {
    /** Whether the suite runs it. */
    public boolean runs() {
      return notRun.isEmpty();
    }
  }

  /** Output the page shows for a command, starting at {@code line} of the page. */
  public record Expected(int line, List<String> lines) {}

  private final String name;
  private final List<Command> commands;
  private final boolean optedIn;

  private DocPage(String name, List<Command> commands, boolean optedIn) {
    this.name = name;
    this.commands = commands;
    this.optedIn = optedIn;
  }

  /** The page's name, for messages. */
  public String name() {
    return name;
  }

  /** The commands in page order. */
  public List<Command> commands() {
    return commands;
  }

  /** Whether the page holds the {@link #OPT_IN} line outside code blocks. */
  public boolean optedIn() {
    return optedIn;
  }

  /**
   * Reads a page.
   *
   * @throws IllegalArgumentException naming {@code name:line} when a directive is malformed, names
   *     no command of its block, or an output block follows no command that runs
   */
  public static DocPage parse(String name, String text) {
    return new Parser(name, text.replace("\r\n", "\n").split("\n", -1)).parse();
  }

  private static final class Parser {
    private final String name;
    private final String[] lines;
    private final List<Command> commands = new ArrayList<>();
    private boolean optedIn;
    private int lastBlockStart = -1;
    private int lastBlockEnd = -1;

    /** Directives read from the last comment, waiting for their shell block. */
    private final List<Directive> pending = new ArrayList<>();

    private int pendingLine = -1;

    private record Directive(int line, String selector, String expectation) {}

    Parser(String name, String[] lines) {
      this.name = name;
      this.lines = lines;
    }

    DocPage parse() {
      int i = 0;
      while (i < lines.length) {
        String line = lines[i];
        Matcher fence = FENCE.matcher(line);
        if (fence.matches()) {
          i = block(i, fence.group(1), fence.group(2).trim());
          continue;
        }
        String trimmed = line.trim();
        if (trimmed.equals(OPT_IN)) {
          optedIn = true;
        } else if (trimmed.startsWith("<!-- doc-test")) {
          i = comment(i);
          continue;
        } else if (!trimmed.isEmpty() && !pending.isEmpty()) {
          throw error(pendingLine, "doc-test directives must come right before a shell block");
        }
        i++;
      }
      if (!pending.isEmpty()) {
        throw error(pendingLine, "doc-test directives must come right before a shell block");
      }
      return new DocPage(name, List.copyOf(commands), optedIn);
    }

    /** Reads {@code <!-- doc-test ... -->}, on one line or several; returns the next line. */
    private int comment(int start) {
      StringBuilder body = new StringBuilder();
      int i = start;
      String first = lines[i].trim().substring("<!-- doc-test".length());
      String rest = first;
      while (true) {
        int end = rest.indexOf("-->");
        if (end >= 0) {
          body.append(rest, 0, end);
          break;
        }
        body.append(rest).append('\n');
        i++;
        if (i >= lines.length) {
          throw error(start + 1, "unterminated <!-- doc-test comment");
        }
        rest = lines[i];
      }
      if (!pending.isEmpty()) {
        throw error(start + 1, "two doc-test comments before one shell block");
      }
      int lineNo = start + 1;
      for (String raw : body.toString().split("\n")) {
        String d = raw.trim();
        if (!d.isEmpty()) {
          Matcher m = DIRECTIVE.matcher(d);
          if (!m.matches()) {
            throw error(
                lineNo,
                "a doc-test directive is 'SELECTOR => exit N' or 'SELECTOR => not run: REASON',"
                    + " found '"
                    + d
                    + "'");
          }
          String expectation = m.group(2).trim();
          if (!EXIT.matcher(expectation).matches() && !NOT_RUN.matcher(expectation).matches()) {
            throw error(
                lineNo,
                "expected 'exit N' or 'not run: REASON' after '=>', found '" + expectation + "'");
          }
          pending.add(new Directive(lineNo, m.group(1).trim(), expectation));
        }
        lineNo++;
      }
      if (pending.isEmpty()) {
        throw error(start + 1, "an empty doc-test comment");
      }
      pendingLine = start + 1;
      return i + 1;
    }

    /** Reads a fenced block opened at {@code start}; returns the line after its closing fence. */
    private int block(int start, String fence, String info) {
      int i = start + 1;
      List<String> body = new ArrayList<>();
      while (i < lines.length && !closes(lines[i], fence)) {
        body.add(lines[i]);
        i++;
      }
      String language = info.isEmpty() ? "" : info.split("\\s+", 2)[0];
      String argument = info.contains(" ") ? info.split("\\s+", 2)[1].trim() : "";
      if (SHELLS.contains(language)) {
        shell(start, body);
      } else {
        if (!pending.isEmpty()) {
          throw error(pendingLine, "doc-test directives must come right before a shell block");
        }
        if (language.equals("output")) {
          output(start, argument, body);
        }
      }
      return i + 1;
    }

    private static boolean closes(String line, String fence) {
      String t = line.trim();
      return t.startsWith(fence) && t.chars().allMatch(c -> c == fence.charAt(0));
    }

    private void shell(int start, List<String> body) {
      int before = commands.size();
      StringBuilder current = null;
      int currentLine = 0;
      for (int k = 0; k < body.size(); k++) {
        String line = body.get(k);
        if (current == null) {
          String t = line.trim();
          if (t.isEmpty() || t.startsWith("#")) {
            continue;
          }
          current = new StringBuilder();
          currentLine = start + 2 + k;
        }
        String stripped = line.stripTrailing();
        if (stripped.endsWith("\\")) {
          current.append(stripped, 0, stripped.length() - 1).append(' ');
        } else {
          current.append(stripped);
          commands.add(
              new Command(
                  currentLine,
                  current.toString().trim().replaceAll("\\s+", " "),
                  0,
                  Optional.empty(),
                  Optional.empty()));
          current = null;
        }
      }
      if (current != null) {
        throw error(currentLine, "the command's last line ends with '\\'");
      }
      apply(before);
      lastBlockStart = before;
      lastBlockEnd = commands.size();
    }

    /** Applies the pending directives to the commands from index {@code from}. */
    private void apply(int from) {
      for (Directive d : pending) {
        boolean matched = false;
        for (int c = from; c < commands.size(); c++) {
          Command command = commands.get(c);
          if (d.selector().equals("*") || command.text().startsWith(d.selector())) {
            matched = true;
            Matcher exit = EXIT.matcher(d.expectation());
            commands.set(
                c,
                exit.matches()
                    ? new Command(
                        command.line(),
                        command.text(),
                        Integer.parseInt(exit.group(1)),
                        command.notRun(),
                        command.output())
                    : new Command(
                        command.line(),
                        command.text(),
                        command.expectedExit(),
                        Optional.of(notRunReason(d.expectation())),
                        command.output()));
          }
        }
        if (!matched) {
          throw error(
              d.line(), "doc-test selector '" + d.selector() + "' names no command of the block");
        }
      }
      pending.clear();
    }

    private static String notRunReason(String expectation) {
      Matcher m = NOT_RUN.matcher(expectation);
      if (!m.matches()) {
        throw new IllegalStateException(expectation);
      }
      return m.group(1).trim();
    }

    private void output(int start, String selector, List<String> body) {
      if (lastBlockStart < 0 || lastBlockEnd == lastBlockStart) {
        throw error(start + 1, "an output block with no shell block before it");
      }
      int target = -1;
      if (selector.isEmpty()) {
        target = lastBlockEnd - 1;
      } else {
        for (int c = lastBlockStart; c < lastBlockEnd; c++) {
          if (commands.get(c).text().startsWith(selector)) {
            if (target >= 0) {
              throw error(
                  start + 1, "output selector '" + selector + "' names more than one command");
            }
            target = c;
          }
        }
        if (target < 0) {
          throw error(
              start + 1,
              "output selector '" + selector + "' names no command of the shell block before it");
        }
      }
      Command command = commands.get(target);
      if (!command.runs()) {
        throw error(
            start + 1,
            "output shown for '"
                + command.text()
                + "', which is not run; show it in a plain block instead");
      }
      if (command.output().isPresent()) {
        throw error(start + 1, "a second output block for '" + command.text() + "'");
      }
      commands.set(
          target,
          new Command(
              command.line(),
              command.text(),
              command.expectedExit(),
              command.notRun(),
              Optional.of(new Expected(start + 2, List.copyOf(body)))));
    }

    private IllegalArgumentException error(int line, String message) {
      return new IllegalArgumentException(name + ":" + line + ": " + message);
    }
  }
}
