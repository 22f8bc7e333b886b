package dev.tollgate.actions.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.actions.github.CommentBody;
import dev.tollgate.actions.github.CommentKey;
import dev.tollgate.actions.github.CommentMarker;
import dev.tollgate.core.Location;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import dev.tollgate.core.gate.Verdict;
import dev.tollgate.core.testing.Chromium;
import dev.tollgate.policy.GateFinding;
import dev.tollgate.policy.MergeGateRequest;
import dev.tollgate.policy.MergeGateResult;
import dev.tollgate.policy.MergeGateService;
import dev.tollgate.policy.MergeVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The sticky comment as GitHub shows it, measured in a real browser (headless Chromium): the
 * Markdown is rendered with commonmark-java and GitHub's tables into a page with GitHub-like
 * styles, and the positions of the verdict and of each blocked gate's next step are read from the
 * page's layout at a phone's 390 × 844 px, in Liberation Sans (the metrics of Arial and Helvetica,
 * which GitHub's font stack names) and Noto Color Emoji; the test skips, saying so, without them.
 * Screenshots go to {@code target/screenshots} (and to {@code docs/images} with {@code
 * -Dtollgate.screenshots=docs}).
 */
@ExtendWith({Chromium.Required.class, Browser.MeasuredFonts.class})
class CommentLayoutTest {
  private static final int PHONE_WIDTH = 390;
  private static final int PHONE_HEIGHT = 844;
  private static final Path DEMO_BUNDLE =
      Path.of("..").toAbsolutePath().normalize().resolve("examples/demo/pr/card-validation.bundle");
  private static final String RUN = "https://github.com/shopfront/shopfront/actions/runs/7421";

  @TempDir static Path pages;

  @Test
  void the_demo_comment_shows_the_verdict_and_every_next_step_on_the_first_phone_screen()
      throws IOException {
    MergeGateResult demo =
        MergeGateService.builder()
            .clock(Clock.systemUTC())
            .build()
            .evaluate(
                MergeGateRequest.builder()
                    .repository(DEMO_BUNDLE)
                    .head("sf/SF-102-card-validation")
                    .build());
    String comment = comment(demo.verdict(), heading(demo));

    Layout phone = measure(comment, PHONE_WIDTH, PHONE_HEIGHT, "comment-demo-phone");

    assertFirstScreenHoldsEveryNextStep(phone, 2);
    // The starting point: 1,361 px, the fixes from 762 px on, a table wider than the
    // column. All of the fixes now fit the first screen, and the whole comment is shorter.
    assertThat(phone.height()).isLessThan(1_361);
  }

  @Test
  void three_blocked_gates_and_fifty_spec_kit_findings_keep_every_next_step_on_the_first_screen()
      throws IOException {
    MergeVerdict verdict = generated();
    GateHeading heading =
        new GateHeading(
            "main",
            "sf/SF-207-invoice-export",
            "9c41d0e27f3b8a65d1c0e4f7a2b9d8c6e5f4a3b2",
            ".tollgate/policy.yml",
            Optional.of("main"),
            Optional.of(RUN),
            List.of(),
            Optional.of(
                "https://github.com/shopfront/shopfront/blob/9c41d0e27f3b8a65d1c0e4f7a2b9d8c6e5f4a3b2/"));
    String comment = comment(verdict, heading);
    assertThat(comment).contains("specs/003-invoice-export/tasks.md:150:1");

    Layout phone = measure(comment, PHONE_WIDTH, PHONE_HEIGHT, "comment-generated-phone");

    assertFirstScreenHoldsEveryNextStep(phone, 3);
  }

  @Test
  void the_demo_comment_on_a_desktop_needs_no_horizontal_scrolling() throws IOException {
    MergeGateResult demo =
        MergeGateService.builder()
            .clock(Clock.systemUTC())
            .build()
            .evaluate(
                MergeGateRequest.builder()
                    .repository(DEMO_BUNDLE)
                    .head("sf/SF-102-card-validation")
                    .build());
    String comment = comment(demo.verdict(), heading(demo));

    Layout desktop = measure(comment, 1280, 800, "comment-demo-desktop");

    assertThat(desktop.overflowing()).isEmpty();
    assertThat(desktop.nextStepBottoms()).hasSize(2).allMatch(b -> b <= 800);
  }

  private static void assertFirstScreenHoldsEveryNextStep(Layout phone, int blocked) {
    assertThat(phone.viewport()).as("viewport").containsExactly(PHONE_WIDTH, PHONE_HEIGHT);
    assertThat(phone.overflowing()).as("elements that need horizontal scrolling").isEmpty();
    assertThat(phone.pageWidth()).as("page width").isLessThanOrEqualTo(PHONE_WIDTH);
    assertThat(phone.verdictText()).startsWith("⛔ Merge gate");
    assertThat(phone.verdictLines()).as("lines of the verdict").isEqualTo(1);
    assertThat(phone.verdictBottom()).isLessThanOrEqualTo(PHONE_HEIGHT);
    assertThat(phone.nextStepBottoms())
        .as("bottom edge of each blocked gate's next step, in px from the top")
        .hasSize(blocked)
        .allMatch(b -> b <= PHONE_HEIGHT);
  }

  /** The demo's heading as a run in GitHub Actions makes it, its places linked to their lines. */
  private static GateHeading heading(MergeGateResult demo) {
    return GateHeading.of(
        demo,
        Optional.of(RUN),
        Optional.of(
            "https://github.com/shopfront/shopfront/blob/" + demo.change().headCommit() + "/"));
  }

  /** The body the sticky comment posts: the marker, then the most detailed version that fits. */
  private static String comment(MergeVerdict verdict, GateHeading heading) {
    String marker = CommentMarker.of(CommentKey.of("tollgate/gate")) + "\n";
    List<String> versions = GateMarkdown.versions(verdict, heading, "");
    String body =
        marker
            + CommentBody.of(versions, heading.runUrl())
                .fit(CommentBody.GITHUB_COMMENT_LIMIT - marker.length());
    assertThat(body.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(CommentBody.GITHUB_COMMENT_LIMIT);
    return body;
  }

  /**
   * Three blocked gates as the built-in gates word them, the Spec Kit one with fifty findings, and
   * five passing gates.
   */
  static MergeVerdict generated() {
    List<GateFinding> kit = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      int line = i * 3;
      String message =
          switch (i % 5) {
            case 0 ->
                "SK019 Task id T0" + (10 + i) + " is used twice (first at line " + (line - 1) + ")";
            case 1 ->
                "SK022 T0" + (10 + i) + " depends on T" + (100 + i) + ", which does not exist";
            case 2 ->
                "SK021 T0" + (10 + i) + " is labelled [US7]; the spec has only User Stories 1 to 3";
            case 3 ->
                "SK008 FR-0"
                    + (10 + i)
                    + " still has a [NEEDS CLARIFICATION: …] marker although plan.md exists";
            default ->
                "SK031 Phase "
                    + i
                    + " is marked ✅ COMPLETE, but its task T0"
                    + (10 + i)
                    + " is unchecked";
          };
      String file =
          i % 5 == 3 ? "specs/003-invoice-export/spec.md" : "specs/003-invoice-export/tasks.md";
      kit.add(new GateFinding(Location.of(file, line, 1), message));
    }
    List<GateResult> results =
        List.of(
            GateResult.pass(
                "work-item-reference",
                "the branch \"sf/SF-207-invoice-export\" references wi-SF-207"),
            GateResult.pass(
                "lane-eligibility", "wi-SF-207 is in lane in-progress, which is eligible"),
            GateResult.pass(
                "pr-size",
                "14 files and 412 lines changed, within pull_request.max_files: 25 and"
                    + " pull_request.max_lines: 600"),
            GateResult.blocked(
                "touched-directories",
                "2 changed paths are outside the allowed folders, e.g. deploy/invoice-export.env",
                Recovery.of(
                    "This repository accepts PR changes only inside src/, specs/, spec/,"
                        + " work-items/, docs/; deploy/invoice-export.env, deploy/cron.yaml are"
                        + " outside",
                    "pull_request.touched_directories: [src/, specs/, spec/, work-items/, docs/]",
                    "Move the change to an allowed folder, split the out-of-scope files into a"
                        + " separate PR, or ask a policy owner to extend"
                        + " pull_request.touched_directories",
                    "Safe to retry once no changed path is outside the allowed folders")),
            GateResult.pass("required-labels", "no labels are required"),
            GateResult.pass("required-approvals", "no approvals are required"),
            GateResult.blocked(
                "spec-kit",
                "50 Spec Kit errors in the touched kit, first specs/003-invoice-export/spec.md:9:1"
                    + " SK008",
                Recovery.of(
                    "Spec Kit documents the PR depends on break the rule catalog: SK008 FR-011"
                        + " still has a [NEEDS CLARIFICATION: …] marker although plan.md exists"
                        + " (and 49 more)",
                    "pull_request.spec_kit: touched",
                    "Run tollgate spec-kit validate and fix each error (every rule page says how)",
                    "Safe to retry once tollgate spec-kit validate reports no errors")),
            GateResult.blocked(
                "secrets",
                "1 secret found in 1 changed file: deploy/invoice-export.env:4 contains what looks"
                    + " like an AWS access key id",
                Recovery.of(
                    "Secrets committed to Git stay in its history and leak to everyone who can"
                        + " read the repository",
                    "secrets gate: private keys, AWS access key ids, GitHub, Slack and Google"
                        + " tokens",
                    "Remove the secret from the file and the branch history (rewrite or squash"
                        + " the commits), revoke and rotate it, and read it from a secret store or"
                        + " environment variable instead",
                    "Retry only after the secret is removed from every commit of the branch and"
                        + " rotated")));
    return new MergeVerdict(
        Verdict.of(results),
        Map.of(
            "touched-directories",
            List.of(
                new GateFinding(
                    Location.ofFile("deploy/invoice-export.env"),
                    "deploy/invoice-export.env is outside src/, specs/, spec/, work-items/, docs/"),
                new GateFinding(
                    Location.ofFile("deploy/cron.yaml"),
                    "deploy/cron.yaml is outside src/, specs/, spec/, work-items/, docs/")),
            "spec-kit",
            kit,
            "secrets",
            List.of(
                new GateFinding(
                    Location.of("deploy/invoice-export.env", 4, 19),
                    "deploy/invoice-export.env:4 contains what looks like an AWS access key id"))));
  }

  /** Where things landed on a page, in CSS px from the page's top left. */
  record Layout(
      List<Integer> viewport,
      String verdictText,
      int verdictBottom,
      int verdictLines,
      List<Integer> nextStepBottoms,
      int height,
      int pageWidth,
      List<String> overflowing) {}

  // The verdict is the first heading. A next step is the text from its "Next step:" label to the
  // end of its line (a <br>) or of its block. An element needs horizontal scrolling when it sticks
  // out of the viewport, or scrolls sideways inside itself (a wide table or code block).
  private static final String MEASURE =
      """
      const body = document.querySelector('.markdown-body');
      const verdict = body.querySelector('h1, h2, h3, h4');
      const vr = verdict.getBoundingClientRect();
      const lineHeight = parseFloat(getComputedStyle(verdict).lineHeight);
      const steps = [...body.querySelectorAll('strong')]
        .filter(s => s.textContent.trim() === 'Next step:')
        .map(s => {
          const range = document.createRange();
          range.setStartBefore(s);
          let end = s;
          for (let n = s.nextSibling; n && n.nodeName !== 'BR'; n = n.nextSibling) { end = n; }
          range.setEndAfter(end);
          return Math.ceil(range.getBoundingClientRect().bottom + window.scrollY);
        });
      const overflowing = [...body.querySelectorAll('*')]
        .filter(e => {
          const style = getComputedStyle(e);
          const scrolls = (style.overflowX === 'auto' || style.overflowX === 'scroll')
            && e.scrollWidth > e.clientWidth + 1;
          return scrolls || e.getBoundingClientRect().right > window.innerWidth + 0.5;
        })
        .map(e => e.tagName + ': ' + e.textContent.slice(0, 80));
      return {
        viewport: [window.innerWidth, window.innerHeight],
        verdictText: verdict.textContent.trim(),
        verdictBottom: Math.ceil(vr.bottom + window.scrollY),
        verdictLines: Math.round(vr.height / lineHeight),
        nextSteps: steps,
        height: document.documentElement.scrollHeight,
        pageWidth: document.documentElement.scrollWidth,
        overflowing: overflowing
      };
      """;

  @SuppressWarnings("unchecked")
  private static Layout measure(String markdown, int width, int height, String screenshot)
      throws IOException {
    Path page = pages.resolve(screenshot + ".html");
    Files.writeString(page, page(markdown), StandardCharsets.UTF_8);
    ChromeDriver chrome = Browser.start(width, height);
    try {
      chrome.get(page.toUri().toString());
      Map<String, Object> m = (Map<String, Object>) chrome.executeScript(MEASURE);
      screenshot(chrome, screenshot);
      Layout layout =
          new Layout(
              ints(m.get("viewport")),
              (String) m.get("verdictText"),
              ((Number) m.get("verdictBottom")).intValue(),
              ((Number) m.get("verdictLines")).intValue(),
              ints(m.get("nextSteps")),
              ((Number) m.get("height")).intValue(),
              ((Number) m.get("pageWidth")).intValue(),
              (List<String>) m.get("overflowing"));
      // The figures docs/action.md quotes.
      System.out.println(screenshot + ": " + layout);
      return layout;
    } finally {
      chrome.quit();
    }
  }

  private static List<Integer> ints(Object list) {
    return ((List<?>) list).stream().map(n -> ((Number) n).intValue()).toList();
  }

  /** The Markdown as GitHub renders it: CommonMark with GitHub's tables, in GitHub-like styles. */
  static String page(String markdown) {
    var extensions = List.of(TablesExtension.create());
    String html =
        HtmlRenderer.builder()
            .extensions(extensions)
            .build()
            .render(Parser.builder().extensions(extensions).build().parse(markdown));
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>Tollgate comment</title><style>"
        + css()
        + "</style></head><body><div class=\"comment\"><div class=\"markdown-body\">"
        + html
        + "</div></div></body></html>\n";
  }

  private static String css() {
    try (InputStream in = CommentLayoutTest.class.getResourceAsStream("comment-page.css")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void screenshot(ChromeDriver chrome, String name) throws IOException {
    byte[] png = chrome.getScreenshotAs(OutputType.BYTES);
    Path target = Path.of("target", "screenshots");
    if ("docs".equals(System.getProperty("tollgate.screenshots"))) {
      target = Path.of("..", "docs", "images");
    }
    Files.createDirectories(target);
    Files.write(target.resolve(name + ".png"), png);
  }
}
