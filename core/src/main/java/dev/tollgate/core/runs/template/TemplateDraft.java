package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The text of a run template being edited, checked exactly as the loader checks a file in {@code
 * .tollgate/templates/}: the template it makes, or every problem with its {@code file:line:column},
 * and the change against the file as it is now (a unified diff) to commit.
 *
 * @param name the template's name, which is also its file's name without {@code .yml}
 * @param file the file it belongs in, e.g. {@code .tollgate/templates/restart-service.yml}
 * @param yaml the text as edited
 * @param template the template the text makes, when it has no problem
 * @param problems every problem, located in {@link #file}; empty when {@link #template} is present
 * @param diff the change from the file as it is now to {@link #yaml}, as a unified diff with {@code
 *     a/} and {@code b/} paths; empty when nothing changes
 * @param isNew whether no such file exists yet
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record TemplateDraft(
    String name,
    String file,
    String yaml,
    Optional<RunTemplate> template,
    List<Diagnostic> problems,
    String diff,
    boolean isNew) {

  /** Rule id of a problem with the template's name itself. */
  public static final String NAME_RULE_ID = "template-name";

  /** Checks the fields. */
  public TemplateDraft {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(template, "template");
    problems = List.copyOf(problems);
    Objects.requireNonNull(diff, "diff");
  }

  /**
   * Checks {@code yaml} as the template file {@code name}.yml against {@code current}, the file's
   * text as it is now ({@code null} for a new file). Never throws for bad text: its problems are
   * the result.
   *
   * @throws IllegalArgumentException when {@code name} is not a template name (see {@link
   *     #checkName})
   */
  public static TemplateDraft check(String name, String yaml, String current) {
    checkName(name);
    Objects.requireNonNull(yaml, "yaml");
    String file = RunTemplate.DIRECTORY + "/" + name + ".yml";
    Optional<RunTemplate> template = Optional.empty();
    List<Diagnostic> problems = List.of();
    try {
      template = Optional.of(RunTemplate.parse(yaml.getBytes(StandardCharsets.UTF_8), file));
    } catch (TollgateException e) {
      if (e.kind() != TollgateException.Kind.BAD_INPUT) {
        throw e;
      }
      problems =
          e.diagnostics().isEmpty()
              ? List.of(
                  Diagnostic.of(
                      Severity.ERROR,
                      ConfigDocument.RULE_ID,
                      e.getMessage(),
                      Location.ofFile(file),
                      null))
              : e.diagnostics().stream().sorted().toList();
    }
    return new TemplateDraft(
        name,
        file,
        yaml,
        template,
        problems,
        diff(file, current == null ? "" : current, yaml),
        current == null);
  }

  /**
   * Refuses what cannot be a template's name: it must match {@link RunTemplate#NAME} (lower-case
   * letters, digits and dashes), so it is also a safe file name.
   *
   * @throws IllegalArgumentException naming what was expected and what was found
   */
  public static String checkName(String name) {
    if (name == null || !RunTemplate.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a template name is lower-case letters, digits and dashes, starting with a letter or"
              + " digit, but found '"
              + name
              + "'");
    }
    return name;
  }

  /** Whether the text has no problem. */
  public boolean valid() {
    return template.isPresent();
  }

  /** Whether the text differs from the file as it is now. */
  public boolean changed() {
    return !diff.isEmpty();
  }

  /** A new template's starting text: one parameter and one shell step, in {@code lane}. */
  public static String skeleton(String name, String lane) {
    checkName(name);
    return "name: "
        + name
        + "\ndescription: What this run does, in one line\nlane: "
        + lane
        + "\nparams:\n  type: object\n  additionalProperties: false\n  properties:\n"
        + "    target:\n      description: What to act on\n      type: string\n"
        + "steps:\n  - name: run\n    timeout: 5m\n"
        + "    # Parameters arrive as environment variables, never as script text.\n"
        + "    shell: |\n      echo \"acting on $TOLLGATE_PARAM_TARGET\"\n";
  }

  private static String diff(String file, String before, String after) {
    List<String> a = before.lines().toList();
    List<String> b = after.lines().toList();
    Patch<String> patch = DiffUtils.diff(a, b);
    if (patch.getDeltas().isEmpty()) {
      return before.equals(after) ? "" : "\\ the texts differ only in their line endings\n";
    }
    List<String> lines =
        UnifiedDiffUtils.generateUnifiedDiff(
            before.isEmpty() ? "/dev/null" : "a/" + file, "b/" + file, a, patch, 3);
    return String.join("\n", lines) + "\n";
  }
}
