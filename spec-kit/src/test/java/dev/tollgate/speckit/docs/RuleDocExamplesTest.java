package dev.tollgate.speckit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.report.Report;
import dev.tollgate.core.report.RuleDescriptor;
import dev.tollgate.speckit.SpecKitConfig;
import dev.tollgate.speckit.SpecKitRules;
import dev.tollgate.speckit.SpecKitValidator;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the examples of {@code docs/rules/SKnnn.md} honest: the {@code ## Bad} example of each
 * rule, placed into a minimal kit, makes the validator report that rule at least once, and the
 * {@code ## Good} example makes it report that rule not at all.
 *
 * <p>Each page's fenced blocks are written to the file named by the inline code in the paragraph
 * just before the fence (the Good section reuses the Bad section's file when it names none). Folder
 * trees ({@code ├──} / {@code └──}) are built as folders and files. What a page only says in prose
 * ("with {@code plan.md} already in the folder") is in {@link #CONTEXT}, one entry per rule with
 * the reason; findings of other rules are ignored, so a companion file need not be perfect.
 */
class RuleDocExamplesTest {
  private static final Path RULES = RepoPaths.root().resolve("docs/rules");
  private static final Parser PARSER = Parser.builder().build();

  /** The two examples of a page. */
  enum Variant {
    BAD,
    GOOD
  }

  /**
   * What a rule's examples need that the fences do not show.
   *
   * @param files companion files, project-relative path to content, created for both examples
   * @param goodOnly companion files only the Good example has
   * @param before text put in front of the example file's fenced content (both examples)
   * @param after text put after the example file's fenced content (both examples)
   * @param badCharset the charset the Bad example file is written in (UTF-8 unless said)
   * @param treeFolderSpec whether every feature folder of a folder tree that the tree shows empty
   *     gets a {@code spec.md}, as a real feature folder would
   */
  record Context(
      Map<String, String> files,
      Map<String, String> goodOnly,
      String before,
      String after,
      Charset badCharset,
      boolean treeFolderSpec) {
    static Context none() {
      return new Context(Map.of(), Map.of(), "", "", StandardCharsets.UTF_8, false);
    }

    Context withFiles(Map<String, String> f) {
      return new Context(f, goodOnly, before, after, badCharset, treeFolderSpec);
    }

    Context withGoodOnly(Map<String, String> f) {
      return new Context(files, f, before, after, badCharset, treeFolderSpec);
    }

    Context around(String b, String a) {
      return new Context(files, goodOnly, b, a, badCharset, treeFolderSpec);
    }

    Context badIn(Charset c) {
      return new Context(files, goodOnly, before, after, c, treeFolderSpec);
    }

    Context specInEveryTreeFolder() {
      return new Context(files, goodOnly, before, after, badCharset, true);
    }
  }

  private static final String WISHLIST = "specs/003-wishlist/";

  /**
   * A wishlist spec.md with User Stories 1 and 2, FR-001 to FR-003 and SC-001: what the SK021 and
   * SK025 pages say the folder's spec.md has.
   */
  private static final String WISHLIST_SPEC =
      """
      # Feature Specification: Wishlist

      ## User Scenarios & Testing *(mandatory)*

      ### User Story 1 - Save an item for later (Priority: P1)

      A signed-in shopper saves a product from its page and finds it again later.

      **Acceptance Scenarios**:

      1. **Given** a signed-in shopper on a product page, **When** they press "Save", **Then** the product appears in their wishlist.

      ### User Story 2 - Move an item to the cart (Priority: P2)

      **Acceptance Scenarios**:

      1. **Given** a wishlist with one product, **When** the shopper presses "Add to cart", **Then** the product is in the cart.

      ## Requirements *(mandatory)*

      ### Functional Requirements

      - **FR-001**: System MUST let signed-in shoppers add a product to their wishlist.
      - **FR-002**: System MUST show the wishlist on the shopper's account page.
      - **FR-003**: System MUST let shoppers move a wishlist item to the cart.

      ## Success Criteria *(mandatory)*

      - **SC-001**: 95% of shoppers find a saved product in their wishlist within two clicks.
      """;

  /** A plan.md with the sections SK017 wants, for pages that say a plan already exists. */
  private static final String WISHLIST_PLAN =
      """
      # Implementation Plan: Wishlist

      ## Technical Context

      **Language/Version**: Java 17

      ## Constitution Check

      - I. Tests Before Code: every endpoint gets a contract test first. PASS

      ## Project Structure

      Wishlist code goes in `src/main/java/com/shop/wishlist/`.
      """;

  /** Per-rule context; a rule not listed needs none (its fences are the whole kit). */
  private static final Map<String, Context> CONTEXT = new LinkedHashMap<>();

  static {
    // SK003: the page's trees show the folders only. Discovery treats a folder under specs/ as a
    // feature when its name starts with a number or it holds a kit file, so an empty "wishlist/"
    // would not be a feature folder at all; a real one holds at least spec.md.
    CONTEXT.put("SK003", Context.none().specInEveryTreeFolder());
    // SK004: the Bad tree is "a repository with features but no constitution"; the Good example
    // adds the constitution to such a repository, so its feature folder is here too.
    CONTEXT.put(
        "SK004",
        Context.none()
            .withGoodOnly(
                Map.of(
                    "specs/001-checkout/spec.md", "# Feature Specification: Checkout\n",
                    "specs/001-checkout/plan.md", "# Implementation Plan: Checkout\n")));
    // SK008: "specs/003-wishlist/spec.md, with plan.md already in the folder" (the error case).
    CONTEXT.put("SK008", Context.none().withFiles(Map.of(WISHLIST + "plan.md", WISHLIST_PLAN)));
    // SK021: "specs/003-wishlist/tasks.md, where spec.md has User Stories 1 and 2".
    CONTEXT.put("SK021", Context.none().withFiles(Map.of(WISHLIST + "spec.md", WISHLIST_SPEC)));
    // SK022: "(the file has tasks T001 to T012)": the fence is Phase 3 only; the Good example
    // depends on T006, which the rest of the file declares. T001–T007 come before, T012 after.
    CONTEXT.put(
        "SK022",
        Context.none()
            .around(
                """
                ## Phase 1: Setup

                - [ ] T001 Create wishlist package in src/main/java/com/shop/wishlist/package-info.java
                - [ ] T002 [P] Add wishlist feature flag in src/main/resources/application.yml
                - [ ] T003 Register wishlist module in src/main/java/com/shop/ShopApplication.java

                ## Phase 2: Foundational (Blocking Prerequisites)

                - [ ] T004 Create wishlist_items table migration in src/main/resources/db/migration/V7__wishlist.sql
                - [ ] T005 [P] Add WishlistProperties in src/main/java/com/shop/wishlist/WishlistProperties.java
                - [ ] T006 Create WishlistItem entity in src/main/java/com/shop/wishlist/WishlistItem.java
                - [ ] T007 Create WishlistRepository in src/main/java/com/shop/wishlist/WishlistRepository.java

                """,
                """

                ## Phase 4: Polish & Cross-Cutting Concerns

                - [ ] T012 [P] Document the wishlist endpoints in docs/api/wishlist.md
                """));
    // SK025: "where spec.md has User Stories 1 and 2 and FR-001 to FR-003".
    CONTEXT.put("SK025", Context.none().withFiles(Map.of(WISHLIST + "spec.md", WISHLIST_SPEC)));
    // SK028: Bad is "in a folder with spec.md and no contracts/ folder"; Good adds "(with
    // specs/003-wishlist/contracts/wishlist-api.yaml committed)".
    CONTEXT.put(
        "SK028",
        Context.none()
            .withFiles(Map.of(WISHLIST + "spec.md", WISHLIST_SPEC))
            .withGoodOnly(Map.of(WISHLIST + "contracts/wishlist-api.yaml", "openapi: 3.0.3\n")));
    // SK034: "saved as Windows-1252, so é is the single byte 0xE9"; the Good one is UTF-8.
    CONTEXT.put("SK034", Context.none().badIn(Charset.forName("windows-1252")));
  }

  /**
   * Examples the validator gets wrong although the page describes the rule correctly: each entry
   * ({@code "SKnnn/bad"} or {@code "SKnnn/good"}) says why. Their tests assert the wrong outcome
   * still happens, so fixing the validator fails them until the entry is removed.
   */
  private static final Set<String> KNOWN_GAPS = Set.of();

  /**
   * Lines of a Bad example that show a defect of the rule which the validator does not report,
   * while other lines of the same example still break the rule (so the example as a whole passes
   * above). Rule id to a text that occurs on exactly one line of the Bad example; the test asserts
   * the line is still missed, so fixing the validator fails it until the entry is removed.
   */
  private static final Map<String, String> KNOWN_LINE_GAPS = Map.of();

  /** One fenced block of a page and the file it belongs in (null when the page names none). */
  record Snippet(String file, String info, String text) {
    boolean isTree() {
      return text.contains("├── ") || text.contains("└── ");
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRuleExampleBreaksOrKeepsItsRule(@TempDir Path tmp) {
    List<DynamicTest> tests = new ArrayList<>();
    for (RuleDescriptor rule : SpecKitRules.all()) {
      for (Variant v : Variant.values()) {
        String key = rule.id() + "/" + v.name().toLowerCase(java.util.Locale.ROOT);
        String name = rule.id() + " " + v.name().toLowerCase(java.util.Locale.ROOT);
        if (KNOWN_GAPS.contains(key)) {
          name += " (known validator gap)";
        }
        tests.add(
            DynamicTest.dynamicTest(
                name, () -> check(rule.id(), v, KNOWN_GAPS.contains(key), tmp.resolve(key))));
      }
    }
    return tests.stream();
  }

  @Test
  void context_and_gaps_name_only_catalog_rules() {
    Set<String> ids =
        SpecKitRules.all().stream().map(RuleDescriptor::id).collect(Collectors.toSet());
    assertThat(ids).containsAll(CONTEXT.keySet());
    assertThat(ids).containsAll(KNOWN_LINE_GAPS.keySet());
    for (String gap : KNOWN_GAPS) {
      assertThat(gap).matches("SK\\d{3}/(bad|good)");
      assertThat(ids).contains(gap.substring(0, 5));
    }
  }

  @TestFactory
  Stream<DynamicTest> knownLineGapsAreStillMissed(@TempDir Path tmp) {
    return KNOWN_LINE_GAPS.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey() + " bad, line '" + e.getValue() + "' (known validator gap)",
                    () -> checkLineGap(e.getKey(), e.getValue(), tmp.resolve(e.getKey()))));
  }

  private static void check(String rule, Variant variant, boolean knownGap, Path dir)
      throws IOException {
    List<Diagnostic> all = build(rule, variant, dir).findings();
    List<Diagnostic> ofRule = all.stream().filter(d -> d.ruleId().equals(rule)).toList();
    String shown = describe(all);
    boolean expectFinding = (variant == Variant.BAD) != knownGap;
    String stale = knownGap ? " (the KNOWN_GAPS entry is stale: remove it)" : "";
    if (expectFinding) {
      assertThat(ofRule)
          .as(
              "%s %s example should be reported as %s%s; all findings:%n%s",
              rule, variant, rule, stale, shown)
          .isNotEmpty();
    } else {
      assertThat(ofRule)
          .as(
              "%s %s example should not be reported as %s%s; all findings:%n%s",
              rule, variant, rule, stale, shown)
          .isEmpty();
    }
  }

  private static void checkLineGap(String rule, String lineText, Path dir) throws IOException {
    List<Diagnostic> all = build(rule, Variant.BAD, dir).findings();
    String file = examples(rule).get(Variant.BAD).get(0).file();
    List<String> lines = Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(lineText)) {
        at.add(i + 1);
      }
    }
    assertThat(at).as("%s: Bad example lines containing '%s'", rule, lineText).hasSize(1);
    List<Diagnostic> onLine =
        all.stream()
            .filter(d -> d.ruleId().equals(rule))
            .filter(d -> d.location().file().endsWith(file) && d.location().line() == at.get(0))
            .toList();
    assertThat(onLine)
        .as(
            "%s now reports line %d ('%s'): the gap is fixed, remove the KNOWN_LINE_GAPS entry;"
                + " all findings:%n%s",
            rule, at.get(0), lineText, describe(all))
        .isEmpty();
  }

  /** Writes a rule's example and its context into {@code dir} and validates it. */
  private static Report build(String rule, Variant variant, Path dir) throws IOException {
    Map<Variant, List<Snippet>> examples = examples(rule);
    List<Snippet> snippets = examples.get(variant);
    assertThat(snippets).as("%s: fenced examples under ## %s", rule, title(variant)).isNotEmpty();
    assertThat(examples.get(Variant.BAD)).as("%s: fenced examples under ## Bad", rule).isNotEmpty();
    Context ctx = CONTEXT.getOrDefault(rule, Context.none());

    Files.createDirectories(dir);
    // A project marker, so the validator takes this folder as the project root and never looks
    // further up the file system.
    Files.createDirectories(dir.resolve(".specify"));
    Map<String, String> companions = new LinkedHashMap<>(ctx.files());
    if (variant == Variant.GOOD) {
      companions.putAll(ctx.goodOnly());
    }
    for (var e : companions.entrySet()) {
      write(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
    }
    String defaultFile = examples.get(Variant.BAD).get(0).file();
    for (Snippet s : snippets) {
      if (s.isTree()) {
        buildTree(dir, s.text(), ctx.treeFolderSpec());
        continue;
      }
      String file = s.file() != null ? s.file() : defaultFile;
      assertThat(file)
          .as("%s %s: the file a Markdown example belongs in", rule, variant)
          .isNotNull();
      Charset cs = variant == Variant.BAD ? ctx.badCharset() : StandardCharsets.UTF_8;
      write(dir.resolve(file), ctx.before() + s.text() + ctx.after(), cs);
    }
    return new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(dir));
  }

  private static String describe(List<Diagnostic> findings) {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : findings) {
      sb.append("  ")
          .append(d.ruleId())
          .append(' ')
          .append(d.severity().label())
          .append(' ')
          .append(d.location().file())
          .append(':')
          .append(d.location().line())
          .append(' ')
          .append(d.message())
          .append('\n');
    }
    return sb.isEmpty() ? "  (none)\n" : sb.toString();
  }

  private static String title(Variant v) {
    return v == Variant.BAD ? "Bad" : "Good";
  }

  /** The fenced blocks under {@code ## Bad} and {@code ## Good}, each with the file it names. */
  static Map<Variant, List<Snippet>> examples(String rule) throws IOException {
    String page = Files.readString(RULES.resolve(rule + ".md"), StandardCharsets.UTF_8);
    Node doc = PARSER.parse(page);
    Map<Variant, List<Snippet>> out = new LinkedHashMap<>();
    out.put(Variant.BAD, new ArrayList<>());
    out.put(Variant.GOOD, new ArrayList<>());
    Variant section = null;
    String label = null;
    for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Heading h && h.getLevel() == 2) {
        String t = text(h).strip();
        section = t.equals("Bad") ? Variant.BAD : t.equals("Good") ? Variant.GOOD : null;
        label = null;
      } else if (section == null) {
        continue;
      } else if (n instanceof Paragraph p) {
        label = firstPath(p);
      } else if (n instanceof FencedCodeBlock f) {
        out.get(section).add(new Snippet(label, f.getInfo(), f.getLiteral()));
        label = null;
      }
    }
    return out;
  }

  /** The first inline code of a paragraph that reads as a path, or null. */
  private static String firstPath(Paragraph p) {
    for (Node n = p.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Code c && c.getLiteral().contains("/") && !c.getLiteral().contains(" ")) {
        return c.getLiteral();
      }
    }
    return null;
  }

  private static String text(Node node) {
    StringBuilder sb = new StringBuilder();
    for (Node n = node.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Text t) {
        sb.append(t.getLiteral());
      } else if (n instanceof Code c) {
        sb.append(c.getLiteral());
      } else {
        sb.append(text(n));
      }
    }
    return sb.toString();
  }

  /**
   * Builds a folder tree as the pages draw it: a top-level line is a path from the project root,
   * each {@code ├── } / {@code └── } level is four columns deeper, and a name ending in {@code /}
   * is a folder. Files get a one-line heading; folders the tree shows empty directly under {@code
   * specs/} get a {@code spec.md} when {@code specInEmptyFolders} is set.
   */
  private static void buildTree(Path root, String tree, boolean specInEmptyFolders)
      throws IOException {
    List<Path> stack = new ArrayList<>();
    List<Path> folders = new ArrayList<>();
    Set<Path> nonEmpty = new TreeSet<>();
    for (String line : tree.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int start = 0;
      while (start < line.length() && "│├└─ \u00a0".indexOf(line.charAt(start)) >= 0) {
        start++;
      }
      String name = line.substring(start).strip();
      int depth = start / 4;
      assertThat(depth)
          .as("tree line '%s' is deeper than its parent", line)
          .isLessThanOrEqualTo(stack.size());
      while (stack.size() > depth) {
        stack.remove(stack.size() - 1);
      }
      Path parent = stack.isEmpty() ? root : stack.get(stack.size() - 1);
      Path p = parent.resolve(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
      if (!stack.isEmpty()) {
        nonEmpty.add(parent);
      }
      if (name.endsWith("/")) {
        Files.createDirectories(p);
        folders.add(p);
        stack.add(p);
      } else {
        write(p, "# " + name + "\n", StandardCharsets.UTF_8);
      }
    }
    if (specInEmptyFolders) {
      for (Path f : folders) {
        if (!nonEmpty.contains(f) && f.getParent().getFileName().toString().equals("specs")) {
          write(f.resolve("spec.md"), "# Feature Specification\n", StandardCharsets.UTF_8);
        }
      }
    }
  }

  private static void write(Path file, String text, Charset cs) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, text.getBytes(cs));
  }
}
