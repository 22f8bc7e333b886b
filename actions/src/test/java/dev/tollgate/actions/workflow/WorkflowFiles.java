package dev.tollgate.actions.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The repository's action and workflow files, read the way GitHub reads them: YAML 1.2 scalars, so
 * {@code on:} stays a key (YAML 1.1 would make it {@code true}) and timestamps stay text.
 */
final class WorkflowFiles {
  private WorkflowFiles() {}

  /** The folder holding {@code mvnw}. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path action() {
    return root().resolve("action.yml");
  }

  /** Every workflow: {@code .github/workflows/*.yml} and {@code examples/workflows/*.yml}. */
  static List<Path> workflows() {
    List<Path> out = new ArrayList<>();
    for (String folder : List.of(".github/workflows", "examples/workflows")) {
      try (Stream<Path> files = Files.list(root().resolve(folder))) {
        files
            .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
            .sorted()
            .forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  static Object load(Path file) {
    try {
      return yaml().load(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    return new Yaml(
        new SafeConstructor(options),
        new Representer(new DumperOptions()),
        new DumperOptions(),
        options,
        new Yaml12Resolver());
  }

  /** Calls {@code visit} with every key and value of every mapping, depth first. */
  @SuppressWarnings("unchecked")
  static void walk(Object node, BiConsumer<String, Object> visit) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        visit.accept(String.valueOf(e.getKey()), e.getValue());
        walk(e.getValue(), visit);
      }
    } else if (node instanceof List<?> list) {
      for (Object item : list) {
        walk(item, visit);
      }
    }
  }

  /** YAML 1.2's core schema booleans only (true/false), no timestamps. */
  private static final class Yaml12Resolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(
          Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
      addImplicitResolver(Tag.INT, Resolver.INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, Resolver.FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, Resolver.MERGE, "<");
      addImplicitResolver(Tag.NULL, Resolver.NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, Resolver.EMPTY, null);
    }
  }
}
