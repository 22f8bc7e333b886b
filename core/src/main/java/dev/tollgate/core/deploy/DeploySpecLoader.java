package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.YamlConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Reads deploy specs from {@code .tollgate/deploy/}: one file per environment, each optionally
 * extending another file of the same folder with {@code inherit: base.yml} (mappings merge deeply,
 * lists replace, the inheriting file wins).
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class DeploySpecLoader {
  private DeploySpecLoader() {}

  /** How many files an inheritance chain may hold, the environment's own file included. */
  public static final int MAX_CHAIN = 8;

  /**
   * Loads and builds the deploy spec's JSON Schema, once per JVM, so that the first spec read does
   * not pay for it; a front end may call it on another thread while it starts. Reads no file.
   */
  public static void prepare() {
    DeployYaml.SCHEMA.prepare();
  }

  /**
   * Reads the spec of {@code environment} from {@code <projectRoot>/.tollgate/deploy/<environment>
   * .yml}, resolving its inheritance.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} for an unknown environment (the message
   *     lists the known ones and suggests the closest), an inheritance cycle (the message shows the
   *     chain), or any problem in a file, each at {@code file:line:column}
   */
  public static DeploySpec load(Path projectRoot, String environment) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(environment, "environment");
    Path folder = projectRoot.resolve(DeploySpec.DIRECTORY);
    Path file = folder.resolve(environment + ".yml");
    if (!DeploySpec.ENVIRONMENT.matcher(environment).matches() || !Files.isRegularFile(file)) {
      throw unknownEnvironment(folder, environment);
    }
    List<ConfigDocument> chain = new ArrayList<>();
    List<String> names = new ArrayList<>();
    String name = environment + ".yml";
    while (true) {
      String display = DeploySpec.DIRECTORY + "/" + name;
      ConfigDocument doc = YamlConfig.load(folder.resolve(name), display, DeployYaml.SCHEMA);
      chain.add(doc);
      names.add(name);
      if (!doc.root().has("inherit")) {
        break;
      }
      String next = doc.root().get("inherit").asText();
      if (names.contains(next)) {
        List<String> cycle = new ArrayList<>(names.subList(names.indexOf(next), names.size()));
        cycle.add(next);
        throw inheritError(
            doc,
            "inherit cycle: " + String.join(" → ", cycle),
            "Let one file of the cycle stop inheriting.");
      }
      if (!Files.isRegularFile(folder.resolve(next))) {
        throw inheritError(
            doc,
            "inherit names "
                + next
                + " but "
                + DeploySpec.DIRECTORY
                + "/"
                + next
                + " does not exist",
            "inherit takes the file name of another spec in the same folder, e.g. base.yml.");
      }
      if (names.size() >= MAX_CHAIN) {
        throw inheritError(
            doc, "inheritance chain is longer than " + MAX_CHAIN + " files: " + names, null);
      }
      name = next;
    }
    DeployYaml.Read read = DeployYaml.toSpec(chain, environment);
    if (!read.errors().isEmpty()) {
      throw YamlConfig.invalid(chain.get(0).file(), read.errors());
    }
    return read.spec().orElseThrow();
  }

  /**
   * The environments with a spec file: the names of the {@code .yml} files in {@code
   * .tollgate/deploy/}, sorted. A base file that others inherit counts too; loading it fails unless
   * it says how to deploy.
   */
  public static List<String> environments(Path projectRoot) {
    Path folder = projectRoot.resolve(DeploySpec.DIRECTORY);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml"))
          .map(n -> n.substring(0, n.length() - 4))
          .filter(n -> DeploySpec.ENVIRONMENT.matcher(n).matches())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH,
          "cannot list " + DeploySpec.DIRECTORY + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * The environments an operator deploys to: those of {@link #environments} that no other spec file
   * names in its {@code inherit:} (a base file others inherit holds shared settings). Each file is
   * read, and a file that cannot be read is reported as {@link #load} would.
   */
  public static List<String> targets(Path projectRoot) {
    List<String> all = environments(projectRoot);
    Path folder = projectRoot.resolve(DeploySpec.DIRECTORY);
    java.util.Set<String> inherited = new java.util.HashSet<>();
    for (String name : all) {
      String file = name + ".yml";
      ConfigDocument doc =
          YamlConfig.load(
              folder.resolve(file), DeploySpec.DIRECTORY + "/" + file, DeployYaml.SCHEMA);
      if (doc.root().has("inherit")) {
        String parent = doc.root().get("inherit").asText();
        if (parent.endsWith(".yml")) {
          inherited.add(parent.substring(0, parent.length() - 4));
        }
      }
    }
    return all.stream().filter(n -> !inherited.contains(n)).toList();
  }

  private static TollgateException unknownEnvironment(Path folder, String environment) {
    List<String> known = environments(folder.getParent().getParent());
    String message =
        "unknown environment '"
            + environment
            + "': there is no "
            + DeploySpec.DIRECTORY
            + "/"
            + environment
            + ".yml";
    Optional<String> suggestion = DidYouMean.suggest(environment, known);
    if (suggestion.isPresent()) {
      message += "; did you mean `" + suggestion.get() + "`?";
    }
    String hint =
        known.isEmpty()
            ? "Create " + DeploySpec.DIRECTORY + "/" + environment + ".yml; see docs/deploys.md."
            : "Known environments: " + String.join(", ", known) + ".";
    return TollgateException.badInput(
        Diagnostic.of(
            Severity.ERROR,
            ConfigDocument.RULE_ID,
            message,
            Location.ofFile(DeploySpec.DIRECTORY),
            hint));
  }

  private static TollgateException inheritError(ConfigDocument doc, String message, String hint) {
    return YamlConfig.invalid(doc.file(), List.of(doc.error("/inherit", message, hint)));
  }
}
