package dev.tollgate.speckit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.TollgateException;
import dev.tollgate.speckit.internal.generate.AtomicFolder;
import dev.tollgate.speckit.internal.generate.ClassicTemplate;
import dev.tollgate.speckit.internal.generate.Draft;
import dev.tollgate.speckit.internal.generate.FeatureTemplate;
import dev.tollgate.speckit.internal.generate.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The Spec Kit generator behind {@code tollgate spec-kit init}: creates a new GitHub-layout feature
 * ({@code specs/NNN-slug/} with spec, plan and tasks) or a classic kit ({@code spec/<name>/} with
 * constitution, prd, plan and tasks) that the validator accepts without errors.
 *
 * <p>It never overwrites: an existing folder, or a feature with the same slug under another number,
 * is refused. All files appear at once or not at all.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class SpecKitInit {
  private static final Pattern NUMBERED = Pattern.compile("^(\\d{3,})-.*");

  private final Clock clock;

  /** A generator that dates documents with {@code clock}'s current day. */
  public SpecKitInit(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Where the generated documents go. */
  public enum Layout {
    /** GitHub spec-kit: {@code specs/NNN-slug/{spec,plan,tasks}.md}. */
    GITHUB,
    /** Classic: {@code spec/<name>/{constitution,prd,plan,tasks}.md}. */
    CLASSIC;

    /** The name users type: {@code github} or {@code classic}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a user-typed name, ignoring case. */
    public static Optional<Layout> parse(String text) {
      for (Layout l : values()) {
        if (l.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
          return Optional.of(l);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * What to generate.
   *
   * @param name the feature or kit name; slugified for the folder name
   * @param layout GitHub or classic
   * @param title the document title; empty means the name in words
   * @param description what the feature is for, one sentence; empty means a sentence derived from
   *     the title
   * @param goals what it must achieve, one functional requirement each; empty means one goal
   *     derived from the title
   */
  public record Request(
      String name, Layout layout, String title, String description, List<String> goals) {

    /** Checks the name has a letter or digit and copies the goals. */
    public Request {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(layout, "layout");
      title = title == null ? "" : title;
      description = description == null ? "" : description;
      goals = List.copyOf(goals);
      if (Text.slug(name).isEmpty()) {
        throw TollgateException.badInput(
            "NAME must contain at least one ASCII letter or digit but was '" + name + "'");
      }
    }

    /** A GitHub-layout request with only a name. */
    public static Request of(String name) {
      return new Request(name, Layout.GITHUB, "", "", List.of());
    }
  }

  /**
   * What was generated.
   *
   * @param folder the new folder
   * @param files the new files relative to the project root, {@code /}-separated
   */
  public record Result(Path folder, List<String> files) {
    /** Copies the list. */
    public Result {
      Objects.requireNonNull(folder, "folder");
      files = List.copyOf(files);
    }
  }

  /**
   * Generates the feature or kit under the project root {@code projectRoot}.
   *
   * @throws TollgateException of kind BAD_INPUT when the project root is not a folder or the
   *     feature already exists; of kind COULD_NOT_FINISH when writing fails
   */
  public Result create(Path projectRoot, Request request) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(request, "request");
    if (!Files.isDirectory(projectRoot)) {
      throw TollgateException.badInput(
          "project folder " + projectRoot + " does not exist or is not a folder");
    }
    String slug = Text.slug(request.name());
    LocalDate today = LocalDate.now(clock);
    String parentName = request.layout() == Layout.GITHUB ? "specs" : "spec";
    Path parent = projectRoot.resolve(parentName);
    String folder;
    if (request.layout() == Layout.GITHUB) {
      refuseSameSlug(parent, slug);
      folder = String.format(Locale.ROOT, "%03d-%s", nextNumber(parent), slug);
    } else {
      folder = slug;
    }
    Draft draft = draft(folder, slug, request, today);
    Map<String, String> files =
        request.layout() == Layout.GITHUB
            ? FeatureTemplate.render(draft)
            : ClassicTemplate.render(draft);
    String shownAs = parentName + "/" + folder;
    AtomicFolder.create(parent.resolve(folder), shownAs, files);
    List<String> created = new ArrayList<>();
    files.keySet().forEach(f -> created.add(shownAs + "/" + f));
    return new Result(parent.resolve(folder), created);
  }

  /**
   * The folder {@link #create} would make for {@code request} under {@code projectRoot}, relative
   * to it ({@code specs/004-refund-api} or {@code spec/refund-api}), without writing anything: for
   * a front end that offers the documents of {@link #render} as a download.
   *
   * @throws TollgateException of kind BAD_INPUT when the feature already exists
   */
  public static String folderFor(Path projectRoot, Request request) {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(request, "request");
    String slug = Text.slug(request.name());
    if (request.layout() == Layout.GITHUB) {
      Path parent = projectRoot.resolve("specs");
      refuseSameSlug(parent, slug);
      return "specs/" + String.format(Locale.ROOT, "%03d-%s", nextNumber(parent), slug);
    }
    if (Files.exists(projectRoot.resolve("spec").resolve(slug))) {
      throw TollgateException.badInput("spec/" + slug + " already exists");
    }
    return "spec/" + slug;
  }

  /** Renders the documents without writing them: file name to content. */
  public static Map<String, String> render(String folder, Request request, LocalDate date) {
    Draft draft = draft(folder, Text.slug(request.name()), request, date);
    return request.layout() == Layout.GITHUB
        ? FeatureTemplate.render(draft)
        : ClassicTemplate.render(draft);
  }

  private static Draft draft(String folder, String slug, Request request, LocalDate date) {
    String title = Text.clean(request.title()).isEmpty() ? request.name() : request.title();
    return Draft.of(folder, slug, title, request.description(), request.goals(), date);
  }

  private static int nextNumber(Path specs) {
    int max = 0;
    for (String name : children(specs)) {
      Matcher m = NUMBERED.matcher(name);
      if (m.matches() && m.group(1).length() <= 9) {
        max = Math.max(max, Integer.parseInt(m.group(1)));
      }
    }
    return max + 1;
  }

  private static void refuseSameSlug(Path specs, String slug) {
    for (String name : children(specs)) {
      Matcher m = NUMBERED.matcher(name);
      if (m.matches() && name.substring(m.group(1).length() + 1).equals(slug)) {
        throw TollgateException.badInput(
            "specs/"
                + name
                + " already exists; refusing to create another feature named '"
                + slug
                + "'");
      }
    }
  }

  private static List<String> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new TollgateException(
          TollgateException.Kind.COULD_NOT_FINISH, "could not list " + dir + ": " + e, e);
    }
  }
}
