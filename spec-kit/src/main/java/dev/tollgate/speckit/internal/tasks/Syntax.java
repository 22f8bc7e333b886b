package dev.tollgate.speckit.internal.tasks;

import java.util.regex.Pattern;

/**
 * The line-level patterns of tasks.md. Each is applied to one list item, heading or paragraph line,
 * never to the whole file, and none nests unbounded quantifiers, so matching stays linear.
 */
final class Syntax {
  private Syntax() {}

  /** A task id: a short upper-case prefix, dotted numbers, an optional letter suffix. */
  static final String ID = "[A-Z]{1,3}\\d{1,9}(?:\\.\\d{1,9}){0,6}[a-z]?";

  /**
   * The start of a list item that may be a task: an optional bracket (the checkbox, well formed or
   * not), an optional bold, then an id ending at a space, bracket, colon or the end of the line. A
   * T-id may stand in brackets ({@code - [x] [T049] [US2] …}), as the template's format line {@code
   * [ID] [P?] [Story] Description} reads when taken literally.
   */
  static final Pattern ITEM =
      Pattern.compile(
          "^(?:\\[(?<box>[^\\[\\]]{0,3})\\][ \\t]*)?(?<bold>\\*\\*)?(?:\\[(?=T\\d))?(?<id>"
              + ID
              + ")\\]?(?:\\*\\*)?(?=$|[ \\t\\[:])");

  /** A checkbox at the start of a list item, followed by anything. */
  static final Pattern BOX = Pattern.compile("^\\[(?<box>[ xX])\\](?:[ \\t]|$)");

  /** A bracket of up to three characters that is meant as a checkbox but is not one. */
  static final Pattern BAD_BOX = Pattern.compile("^\\[(?<box>[ xX\\-~/*.✓✔]{0,3})\\](?:[ \\t]|$)");

  /** An id placeholder of the templates (TXXX, T###, TNNN), reported by the template rule. */
  static final Pattern PLACEHOLDER_ID =
      Pattern.compile("^\\[[ xX]\\][ \\t]*T(?:X{2,}|#{2,}|N{2,})");

  /** A bracketed marker right after the id. */
  static final Pattern MARKER = Pattern.compile("\\G[ \\t]*\\[(?<m>[^\\[\\]]{1,40})\\]");

  static final Pattern STORY_LABEL = Pattern.compile("US(\\d{1,6})");

  /** A marker that tries to be a story label but is not {@code USn}. */
  static final Pattern BAD_STORY_LABEL = Pattern.compile("(?i)(?:US|user ?story)[\\s\\-_:]*\\S*");

  // --- headings -----------------------------------------------------------------------------

  static final Pattern HEADING_STORY =
      Pattern.compile("(?i)\\buser[ \\t]+story[ \\t]+(\\d{1,6})\\b|\\bUS[ \\t]?(\\d{1,6})\\b");
  static final Pattern SETUP = Pattern.compile("(?i)\\b(?:setup|set up|initiali[sz]ation)\\b");
  static final Pattern FOUNDATIONAL = Pattern.compile("(?i)\\bfoundation(?:al)?\\b");
  static final Pattern POLISH = Pattern.compile("(?i)\\b(?:polish|cross-cutting)\\b");

  /** Headings of sections that explain tasks rather than list them. */
  static final Pattern NON_TASK =
      Pattern.compile(
          "(?i)\\b(?:notes?|dependenc(?:y|ies)|parallel|strategy|format|conventions?|examples?"
              + "|validation|checklist|summary|overview|execution|critical path|references?"
              + "|legend|progress|statistics|metrics|coverage|how to)\\b");

  /** A status keyword ending a heading, optionally in brackets. */
  static final Pattern HEADING_STATUS =
      Pattern.compile(
          "(?:^|[\\s(\\[:|–—-])(?<s>PARTIALLY COMPLETED?|COMPLETED?|DONE|IN[ -]PROGRESS|NOT STARTED"
              + "|BLOCKED)[ \\t]*[)\\]]?[ \\t]*$");

  /** A {@code Status:} line. */
  static final Pattern STATUS_LINE =
      Pattern.compile("(?i)^[ \\t]*status[ \\t]*:[ \\t]*(?<v>.{0,200})");

  static final Pattern STATUS_WORD =
      Pattern.compile(
          "(?i)\\b(?<s>partially complete(?:d)?|complete(?:d)?|done|in[ -]progress|not started"
              + "|blocked|pending)\\b");

  // --- dependencies -------------------------------------------------------------------------

  static final Pattern DEP_KEYWORD =
      Pattern.compile(
          "(?i)\\b(?:depends?[ \\t]+on|dependenc(?:y|ies)[ \\t]*:|prerequisites?[ \\t]*:"
              + "|blocked[ \\t]+by)");

  /**
   * Words after which a dependency clause turns around or ends: in "Phase 2 depends on Phase 1 -
   * BLOCKS US2-US6" or "depends on Setup, must complete before US1" what follows the word waits for
   * the subject, and in "depends on Foundational - can run in parallel with US1, US2" it runs
   * beside it; neither is something the subject waits for.
   */
  static final Pattern REVERSE =
      Pattern.compile(
          "(?i)\\b(?:blocks|blocking|unblocks|before|enables|prerequisite[ \\t]+(?:for|of|to)"
              + "|required[ \\t]+(?:by|for)|needed[ \\t]+by|then|in[ \\t]+parallel|parallel[ \\t]+with"
              + "|independent(?:ly)?)\\b");

  /** A left arrow: the task on the left depends on those on the right. */
  static final Pattern LEFT_ARROW =
      Pattern.compile(
          "\\b(?<s>"
              + ID
              + ")[ \\t]*(?:←|<-)[ \\t]*(?<o>"
              + ID
              + "(?:[ \\t]*,[ \\t]*"
              + ID
              + "){0,20})");

  /** Something a dependency can name. */
  static final Pattern REF =
      Pattern.compile(
          "(?i:\\bphases?)[ \\t]+(?<ph>\\d{1,4}(?:\\.\\d{1,4}){0,3})(?:[ \\t]*(?:-|–|—|to|through)[ \\t]*(?:(?i:phase)[ \\t]+)?(?<ph2>\\d{1,4}))?"
              + "|(?i:\\buser[ \\t]+stor(?:y|ies))[ \\t]+(?<us>\\d{1,6})"
              + "|(?<![-\\w])US(?<us2>\\d{1,6})\\b"
              + "|\\bGroup[ \\t]+(?<g>[A-Z]{0,3}\\d{1,9}(?:\\.\\d{1,9}){0,6})\\b"
              + "|\\b(?<id>"
              + ID
              + ")\\b(?:[ \\t]*(?:-|–|—|\\.\\.|through|to)[ \\t]*(?<id2>"
              + ID
              + ")\\b)?");

  // --- counts -------------------------------------------------------------------------------

  static final Pattern TOTAL =
      Pattern.compile(
          "(?i)\\btotal[ \\t]+(?:number[ \\t]+of[ \\t]+)?(?<sub1>sub)?tasks?[ \\t]*(?::|=|-|–|is|are)?[ \\t]*(?<n1>\\d{1,7})\\b"
              + "|\\btotal[ \\t]*[:=][ \\t]*(?<n2>\\d{1,7})[ \\t]+(?<sub2>sub)?tasks?\\b"
              + "|\\b(?<n3>\\d{1,7})[ \\t]+(?<sub3>sub)?tasks?[ \\t]+(?:in[ \\t]+)?total\\b"
              + "|\\btask[ \\t]+(?:count|total)[ \\t]*:[ \\t]*(?<n4>\\d{1,7})\\b");

  /**
   * A count for a labelled part: "US1: 30 tasks", "Setup & Polish: 11 tasks (T001-T004,
   * T035-T040)". Emphasis is already blanked out of the line.
   */
  static final Pattern LABEL_COUNT =
      Pattern.compile(
          "^[ \\t]*(?<label>[^:\\n]{1,60}?)[ \\t]*:[ \\t]*(?<n>\\d{1,5})[ \\t]+tasks?\\b"
              + "(?:[^(\\n]{0,40}\\((?<ranges>[^)\\n]{1,200})\\))?");

  /**
   * A count of tasks that can run in parallel: "35 tasks marked with [P]", "12 [P] tasks", "(5
   * parallelizable)", "8 tasks can run in parallel", "Parallel tasks: 12", "Parallelizable tasks
   * marked with [P] (78 tasks)". An approximate figure ("~25") is not a count. Emphasis is already
   * blanked out of the line.
   */
  static final Pattern PARALLEL_COUNT =
      Pattern.compile(
          "(?i)(?<![\\w~≈.,/-])(?<!\\bof[ \\t])(?<n1>\\d{1,5})[ \\t]+(?:tasks?[ \\t]+(?:(?:are|is|can[ \\t]+(?:be[ \\t]+)?(?:run|executed|done))[ \\t]+)?(?:in[ \\t]+)?(?:marked[ \\t]+(?:with[ \\t]+|as[ \\t]+)?)?(?:\\[P]|parallel\\w*)|\\[P]|parallel\\w*(?=[ \\t]*(?:tasks?\\b|\\))))"
              + "|(?:\\[P]|\\bparallel\\w*)[^:\\n\\d~≈]{0,40}:[ \\t]*(?<n2>\\d{1,5})(?=[ \\t]*(?:tasks?\\b|$|[,;(|]))"
              + "|(?:\\[P]|\\bparallel\\w*)[^(\\n\\d~≈]{0,60}\\([ \\t]*(?<n3>\\d{1,5})[ \\t]+tasks?[ \\t]*\\)");

  static final Pattern FRACTION =
      Pattern.compile(
          "\\b(?<d>\\d{1,7})[ \\t]*/[ \\t]*(?<t>\\d{1,7})[ \\t]+(?:(?<sub>sub)?tasks?|(?:complete|completed|done)\\b)"
              + "|\\b(?<d2>\\d{1,7})[ \\t]+of[ \\t]+(?<t2>\\d{1,7})[ \\t]+(?<sub2>sub)?tasks?\\b");

  // --- references to the spec ---------------------------------------------------------------

  static final Pattern SPEC_ID =
      Pattern.compile(
          "\\b(?<k>FR|SC)-(?<n>\\d{1,6})\\b(?:[ \\t]*(?:through|to|–|—|-|\\.\\.)[ \\t]*(?:(?<k2>FR|SC)-)?(?<n2>\\d{1,6})\\b)?");

  // --- file paths ---------------------------------------------------------------------------

  /** A code span. */
  static final Pattern CODE_SPAN = Pattern.compile("`([^`]{1,300})`");

  /**
   * A token that names a file by its extension (also with dots in its name, as in {@code
   * appsettings.Development.json}), a path with a slash, or a Windows path with backslashes ({@code
   * c:\\Users\\me\\components\\home\\}).
   */
  static final Pattern PATH_TOKEN =
      Pattern.compile(
          "(?<![\\w/.])(?:[~.]{0,2}/)?(?:[\\w@{},\\[\\]*<>$.-]{1,100}/){1,30}[\\w@{},\\[\\]*<>$.-]{0,100}"
              + "|(?<![\\w/.\\\\])(?:[A-Za-z]:\\\\(?:[\\w.-]{1,100}\\\\?){1,30}"
              + "|(?:[\\w.-]{1,100}\\\\){2,30}[\\w.-]{0,100})"
              + "|(?<![\\w/.])[\\w\\[\\]*<>{}-]{1,100}(?:\\.[\\w-]{1,40}){0,5}\\.[A-Za-z][A-Za-z0-9]{0,9}\\b");
}
