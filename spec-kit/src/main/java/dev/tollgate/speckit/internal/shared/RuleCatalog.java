package dev.tollgate.speckit.internal.shared;

import dev.tollgate.core.Severity;
import dev.tollgate.core.report.RuleDescriptor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The data of the Spec Kit rule catalog: every rule the validator can report, with its stable id
 * and default severity. Ids are never reused; a retired rule keeps its number. The public view of
 * it is {@code dev.tollgate.speckit.SpecKitRules}.
 *
 * <p>Rules marked E/W in the documentation report errors or warnings depending on the case; their
 * default severity here is the stronger one, and a configured severity replaces both.
 */
public final class RuleCatalog {
  private RuleCatalog() {}

  private static final List<RuleDescriptor> ALL =
      List.of(
          rule(
              "SK001",
              Severity.ERROR,
              "required file missing",
              "tasks.md needs plan.md and spec.md (or prd.md); plan.md needs spec.md (or prd.md)."
                  + " Create the missing stage or remove the later one."),
          rule(
              "SK002",
              Severity.ERROR,
              "duplicate feature number",
              "Two feature folders share a number prefix, so tools that resolve a feature by"
                  + " number cannot tell them apart. Renumber one of them."),
          rule(
              "SK003",
              Severity.WARNING,
              "feature folder name",
              "Feature folders are named NNN-slug (e.g. 001-login) or YYYYMMDD-HHMMSS-slug."),
          rule(
              "SK004",
              Severity.WARNING,
              "no constitution",
              "No constitution at .specify/memory/constitution.md or memory/constitution.md"
                  + " (classic kits: constitution.md in the kit)."),
          rule(
              "SK005",
              Severity.ERROR,
              "constitution placeholders, version or dates",
              "The constitution still has [ALL_CAPS] template tokens, a version that is not"
                  + " semantic (MAJOR.MINOR.PATCH) or dates that are not ISO (YYYY-MM-DD)."),
          rule(
              "SK006",
              Severity.ERROR,
              "mandatory section missing",
              "spec.md needs User Scenarios & Testing, Requirements and Success Criteria;"
                  + " prd.md needs acceptance criteria."),
          rule(
              "SK007",
              Severity.ERROR,
              "template text left in place",
              "Template placeholders such as [FEATURE NAME], [DATE], $ARGUMENTS, TXXX or"
                  + " 'ACTION REQUIRED' were not replaced."),
          rule(
              "SK008",
              Severity.ERROR,
              "unresolved clarification",
              "[NEEDS CLARIFICATION] markers must be resolved before planning: an error once"
                  + " plan.md exists, a warning before (and when there are more than 3)."),
          rule(
              "SK009",
              Severity.WARNING,
              "placeholder word",
              "TODO, TKTK, ??? or TBD left in the text."),
          rule(
              "SK010",
              Severity.ERROR,
              "user story priority or number",
              "Every user story heading carries (Priority: Pn) and a story number used once."),
          rule(
              "SK011",
              Severity.ERROR,
              "user story without acceptance scenario",
              "Every user story needs at least one Given/When/Then acceptance scenario."),
          rule(
              "SK013",
              Severity.ERROR,
              "requirement or criterion id",
              "FR-### and SC-### ids are well formed and unique (error); numbering has no gaps"
                  + " (warning)."),
          rule(
              "SK014",
              Severity.WARNING,
              "requirement without MUST or SHALL",
              "A functional requirement states an obligation with MUST or SHALL."),
          rule(
              "SK016",
              Severity.WARNING,
              "empty section",
              "A heading with nothing under it but whitespace or comments."),
          rule(
              "SK017",
              Severity.ERROR,
              "plan section missing",
              "plan.md needs Technical Context, Constitution Check and Project Structure."),
          rule(
              "SK018",
              Severity.ERROR,
              "malformed task line",
              "Task lines read '- [ ] T001 [P] [US1] Description with path': a checkbox, an id"
                  + " and well-formed markers."),
          rule(
              "SK019",
              Severity.ERROR,
              "duplicate task id",
              "Each task id is used once in tasks.md."),
          rule(
              "SK020",
              Severity.WARNING,
              "task ids out of order",
              "Task ids are in execution order: increasing, without gaps."),
          rule(
              "SK021",
              Severity.ERROR,
              "story label",
              "[USn] labels name a story of spec.md (error); story phases label every task and"
                  + " setup, foundational and polish phases label none (warning)."),
          rule(
              "SK022",
              Severity.ERROR,
              "bad dependency",
              "A dependency names an unknown task or group, the task itself, or forms a cycle."),
          rule(
              "SK024",
              Severity.ERROR,
              "count mismatch",
              "A declared total, summary table or 'N/M subtasks' figure disagrees with the tasks"
                  + " or checkboxes actually counted."),
          rule(
              "SK025",
              Severity.ERROR,
              "coverage",
              "A user story with no tasks or a task citing an unknown FR/SC (error); a functional"
                  + " requirement no task refers to (warning)."),
          rule(
              "SK026",
              Severity.WARNING,
              "task without file path",
              "In the GitHub layout each task names the file it changes."),
          rule(
              "SK027",
              Severity.WARNING,
              "checklist",
              "Checklist items left unchecked, or CHK ids used twice."),
          rule(
              "SK028",
              Severity.WARNING,
              "broken link",
              "A relative link or referenced file does not exist."),
          rule(
              "SK029",
              Severity.INFO,
              "absolute local path",
              "An absolute local path (/Users/…, /home/…, C:\\…) leaks a machine's layout; use a"
                  + " repository-relative path."),
          rule(
              "SK031",
              Severity.ERROR,
              "status marker contradicts checkboxes",
              "A group marked complete still has open items, or one marked not started has done"
                  + " items."),
          rule(
              "SK032",
              Severity.WARNING,
              "double-encoded text",
              "Text that was UTF-8 decoded as Windows-1252 or Mac Roman (mojibake such as â€™)."),
          rule(
              "SK033",
              Severity.WARNING,
              "group started before its dependency",
              "A group is started or done while a group it depends on is not complete."),
          rule(
              "SK034",
              Severity.ERROR,
              "file is not UTF-8 text",
              "A kit document is binary (it has a NUL byte) or is not valid UTF-8, so it cannot"
                  + " be validated reliably. Re-save it as UTF-8 or remove it."),
          rule(
              "SK035",
              Severity.INFO,
              "stages kept as YAML are not validated",
              "Some feature folders keep their stages as spec.yaml, plan.yaml or tasks.yaml,"
                  + " which the validator does not read; reported once per run, naming them."));

  private static final Map<String, RuleDescriptor> BY_ID =
      ALL.stream().collect(Collectors.toUnmodifiableMap(RuleDescriptor::id, Function.identity()));

  /** Every rule, ordered by id. */
  public static List<RuleDescriptor> all() {
    return ALL;
  }

  /** The rule with this id, if the catalog has it. */
  public static Optional<RuleDescriptor> byId(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }

  /** The rule with this id; throws if the id is not in the catalog (a programming error). */
  public static RuleDescriptor require(String id) {
    RuleDescriptor r = BY_ID.get(id);
    if (r == null) {
      throw new IllegalArgumentException("no Spec Kit rule " + id);
    }
    return r;
  }

  private static RuleDescriptor rule(String id, Severity severity, String title, String help) {
    return new RuleDescriptor(id, severity, title, help, "docs/rules/" + id + ".md");
  }
}
