package dev.tollgate.core.runs.template;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.YamlConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The run templates of a project: every {@code *.yml} file in a templates folder (by default {@code
 * .tollgate/templates/}), read and checked at once, looked up by name. Immutable.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class TemplateCatalog {
  private final String displayDir;
  private final Map<String, RunTemplate> templates;

  private TemplateCatalog(String displayDir, Map<String, RunTemplate> templates) {
    this.displayDir = displayDir;
    this.templates = templates;
  }

  /**
   * Reads {@code .tollgate/templates/*.yml} under {@code projectRoot}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} listing every problem in every file
   */
  public static TemplateCatalog forProject(Path projectRoot) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    return load(projectRoot.resolve(RunTemplate.DIRECTORY), RunTemplate.DIRECTORY);
  }

  /**
   * Reads every {@code *.yml} file in {@code templatesDir}; a missing folder is an empty catalog.
   * Files are named in messages by the folder as given, with {@code /} separators.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} listing every problem in every file
   */
  public static TemplateCatalog load(Path templatesDir) {
    Objects.requireNonNull(templatesDir, "templatesDir");
    String shown = templatesDir.toString().replace('\\', '/');
    return load(
        templatesDir, shown.endsWith(RunTemplate.DIRECTORY) ? RunTemplate.DIRECTORY : shown);
  }

  /**
   * Reads every {@code *.yml} file in {@code templatesDir}; a missing folder is an empty catalog.
   *
   * @param displayDir how the folder is named in messages, e.g. {@code .tollgate/templates}
   * @throws TollgateException of kind {@code BAD_INPUT} listing every problem in every file, or of
   *     kind {@code COULD_NOT_FINISH} when the folder cannot be listed
   */
  public static TemplateCatalog load(Path templatesDir, String displayDir) {
    Objects.requireNonNull(templatesDir, "templatesDir");
    Objects.requireNonNull(displayDir, "displayDir");
    Map<String, RunTemplate> templates = new TreeMap<>();
    if (!Files.isDirectory(templatesDir)) {
      return new TemplateCatalog(displayDir, templates);
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(templatesDir)) {
      ds.forEach(files::add);
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH, "cannot list " + displayDir + "/: " + e, e);
    }
    files.sort(null);
    List<Diagnostic> errors = new ArrayList<>();
    for (Path file : files) {
      String fileName = file.getFileName().toString();
      String display = displayDir + "/" + fileName;
      if (fileName.endsWith(".yaml") && Files.isRegularFile(file)) {
        errors.add(
            Diagnostic.of(
                Severity.ERROR,
                ConfigDocument.RULE_ID,
                "template files end in .yml; this one is not read",
                Location.ofFile(display),
                "Rename it to " + RunTemplate.stem(fileName) + ".yml."));
        continue;
      }
      if (!fileName.endsWith(".yml") || !Files.isRegularFile(file)) {
        continue;
      }
      try {
        RunTemplate t = RunTemplate.read(file, display);
        templates.put(t.name(), t);
      } catch (TollgateException e) {
        if (e.diagnostics().isEmpty()) {
          throw e;
        }
        errors.addAll(e.diagnostics());
      }
    }
    if (!errors.isEmpty()) {
      throw YamlConfig.invalid(displayDir, errors);
    }
    return new TemplateCatalog(displayDir, templates);
  }

  /** A catalog of the given templates, for tests and embedders that build templates in code. */
  public static TemplateCatalog of(Collection<RunTemplate> templates) {
    Map<String, RunTemplate> byName = new TreeMap<>();
    for (RunTemplate t : templates) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalArgumentException("two templates are named '" + t.name() + "'");
      }
    }
    return new TemplateCatalog(RunTemplate.DIRECTORY, byName);
  }

  /** The template called {@code name}, if there is one. */
  public Optional<RunTemplate> find(String name) {
    return Optional.ofNullable(templates.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * The template called {@code name}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} naming the known templates and the closest
   *     one, when there is no such template
   */
  public RunTemplate get(String name) {
    RunTemplate t = templates.get(Objects.requireNonNull(name, "name"));
    if (t != null) {
      return t;
    }
    StringBuilder message = new StringBuilder("unknown run template '").append(name).append("'");
    String hint = null;
    if (templates.isEmpty()) {
      message.append(": ").append(displayDir).append(" has no templates");
      hint = "Add " + displayDir + "/" + name + ".yml.";
    } else {
      DidYouMean.suggest(name, templates.keySet())
          .ifPresent(s -> message.append("; did you mean `").append(s).append("`?"));
      message.append(" Known templates: ").append(String.join(", ", templates.keySet()));
      message.append('.');
    }
    throw TollgateException.badInput(
        Diagnostic.of(
            Severity.ERROR,
            ConfigDocument.RULE_ID,
            message.toString(),
            Location.ofFile(displayDir),
            hint));
  }

  /** The names of all templates, sorted. */
  public List<String> names() {
    return List.copyOf(templates.keySet());
  }

  /** All templates, sorted by name. */
  public List<RunTemplate> templates() {
    return List.copyOf(templates.values());
  }
}
