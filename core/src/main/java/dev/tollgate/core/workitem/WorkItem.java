package dev.tollgate.core.workitem;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A unit of delivery tracked in the backlog: what to build, where it stands (lane, state, status),
 * how to check it is done, what blocks it, and what happened to it so far.
 *
 * <p>Stored by default as {@code work-items/<id>.yml}; see {@link FileWorkItemStore}. Build one
 * with {@link #builder(String, String, String)}.
 *
 * @param id the stable id, e.g. {@code wi-BF-274}; letters, digits, {@code .}, {@code _}, {@code -}
 * @param title one line saying what it is
 * @param description longer text; empty when none
 * @param epic the id of the epic it belongs to; empty when none
 * @param lane the lane it is in, one of the policy's lanes
 * @param state a finer-grained lifecycle state within the lane (e.g. {@code executing}); empty when
 *     none
 * @param status open, in progress, done or deferred
 * @param priority its rank, 1 first; empty when not ranked
 * @param owner who is responsible; empty when nobody is
 * @param due the due date; empty when none
 * @param workType the kind of work (feature, bug, chore, ...); empty when not said
 * @param source where it came from (an incident, a review, a customer); empty when not said
 * @param branch the Git branch it is delivered on; empty when none yet
 * @param validation the command that checks it is done, e.g. {@code ./mvnw verify}; empty when none
 * @param pr the URL of its pull request; empty when none is linked
 * @param prompt the path of its prompt/context file relative to the project root; empty for the
 *     default {@code work-items/prompts/<id>.prompt.md}
 * @param doneCriteria what must be true for it to be done
 * @param blockers ids of other work items, or free text, that it waits for
 * @param history what happened to it, oldest first
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record WorkItem(
    String id,
    String title,
    Optional<String> description,
    Optional<String> epic,
    String lane,
    Optional<String> state,
    WorkItemStatus status,
    OptionalInt priority,
    Optional<String> owner,
    Optional<LocalDate> due,
    Optional<String> workType,
    Optional<String> source,
    Optional<String> branch,
    Optional<String> validation,
    Optional<String> pr,
    Optional<String> prompt,
    List<String> doneCriteria,
    List<String> blockers,
    List<HistoryEntry> history) {

  /**
   * The rule id of diagnostics about creating or changing work items (a file's schema errors use
   * the configuration rule id).
   */
  public static final String RULE_ID = "work-item";

  /** How {@link #isProjectPath} is explained in messages. */
  public static final String PROJECT_PATH_RULE =
      "(relative to its root, '/'-separated, without '..')";

  /** What an id may look like: it is also a file name. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** Checks every field; blank optional text counts as absent. */
  public WorkItem {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "id must start with a letter or digit and contain only letters, digits, '.', '_' and"
              + " '-' but was '"
              + id
              + "'");
    }
    if (Objects.requireNonNull(title, "title").isBlank()) {
      throw new IllegalArgumentException("title of " + id + " must not be blank");
    }
    if (Objects.requireNonNull(lane, "lane").isBlank()) {
      throw new IllegalArgumentException("lane of " + id + " must not be blank");
    }
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(priority, "priority");
    if (priority.isPresent() && priority.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "priority of " + id + " must be >= 1 but was " + priority.getAsInt());
    }
    description = blankToEmpty(description, "description");
    epic = blankToEmpty(epic, "epic");
    state = blankToEmpty(state, "state");
    owner = blankToEmpty(owner, "owner");
    Objects.requireNonNull(due, "due");
    workType = blankToEmpty(workType, "workType");
    source = blankToEmpty(source, "source");
    branch = blankToEmpty(branch, "branch");
    validation = blankToEmpty(validation, "validation");
    pr = blankToEmpty(pr, "pr");
    prompt = blankToEmpty(prompt, "prompt");
    if (prompt.isPresent() && !isProjectPath(prompt.get())) {
      throw new IllegalArgumentException(
          "prompt of "
              + id
              + " must be a path inside the project "
              + PROJECT_PATH_RULE
              + " but was '"
              + prompt.get()
              + "'");
    }
    doneCriteria = List.copyOf(Objects.requireNonNull(doneCriteria, "doneCriteria"));
    blockers = List.copyOf(Objects.requireNonNull(blockers, "blockers"));
    history = List.copyOf(Objects.requireNonNull(history, "history"));
  }

  /**
   * Whether {@code path} names a file inside the project whatever folder the project is in:
   * relative to the project root with {@code /} separators, with no {@code ..} segment, no leading
   * {@code /} and no drive letter. Symbolic links are not followed here; readers check where they
   * lead.
   */
  public static boolean isProjectPath(String path) {
    Objects.requireNonNull(path, "path");
    if (path.isEmpty()
        || path.startsWith("/")
        || path.indexOf('\\') >= 0
        || path.indexOf('\0') >= 0
        || path.matches("[A-Za-z]:.*")) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static Optional<String> blankToEmpty(Optional<String> value, String name) {
    return Objects.requireNonNull(value, name).filter(v -> !v.isBlank());
  }

  /** A builder for an open, unranked item with the required fields set. */
  public static Builder builder(String id, String title, String lane) {
    return new Builder(id, title, lane);
  }

  /** A builder starting from this item's values. */
  public Builder toBuilder() {
    Builder b = new Builder(id, title, lane);
    b.description = description;
    b.epic = epic;
    b.state = state;
    b.status = status;
    b.priority = priority;
    b.owner = owner;
    b.due = due;
    b.workType = workType;
    b.source = source;
    b.branch = branch;
    b.validation = validation;
    b.pr = pr;
    b.prompt = prompt;
    b.doneCriteria = new ArrayList<>(doneCriteria);
    b.blockers = new ArrayList<>(blockers);
    b.history = new ArrayList<>(history);
    return b;
  }

  /** The prompt/context file, relative to the project root with {@code /} separators. */
  public String promptPath() {
    return prompt.orElse(FileWorkItemStore.DIRECTORY + "/prompts/" + id + ".prompt.md");
  }

  /** The number of done criteria, as shown in listings. */
  public int doneCriteriaCount() {
    return doneCriteria.size();
  }

  /** A copy in another lane, with the given status and state, and one more history entry. */
  public WorkItem moved(
      String newLane, WorkItemStatus newStatus, Optional<String> newState, HistoryEntry entry) {
    Builder b = toBuilder().lane(newLane).status(newStatus);
    b.state = newState;
    return b.addHistory(entry).build();
  }

  /**
   * A builder of {@link WorkItem}s whose setters check their input; {@link #build()} checks the
   * whole.
   */
  public static final class Builder {
    private String id;
    private String title;
    private String lane;
    private Optional<String> description = Optional.empty();
    private Optional<String> epic = Optional.empty();
    private Optional<String> state = Optional.empty();
    private WorkItemStatus status = WorkItemStatus.OPEN;
    private OptionalInt priority = OptionalInt.empty();
    private Optional<String> owner = Optional.empty();
    private Optional<LocalDate> due = Optional.empty();
    private Optional<String> workType = Optional.empty();
    private Optional<String> source = Optional.empty();
    private Optional<String> branch = Optional.empty();
    private Optional<String> validation = Optional.empty();
    private Optional<String> pr = Optional.empty();
    private Optional<String> prompt = Optional.empty();
    private List<String> doneCriteria = new ArrayList<>();
    private List<String> blockers = new ArrayList<>();
    private List<HistoryEntry> history = new ArrayList<>();

    private Builder(String id, String title, String lane) {
      this.id = Objects.requireNonNull(id, "id");
      this.title = Objects.requireNonNull(title, "title");
      this.lane = Objects.requireNonNull(lane, "lane");
    }

    /** Sets the title. */
    public Builder title(String value) {
      this.title = Objects.requireNonNull(value, "title");
      return this;
    }

    /** Sets the lane. */
    public Builder lane(String value) {
      this.lane = Objects.requireNonNull(value, "lane");
      return this;
    }

    /** Sets the description; {@code null} clears it. */
    public Builder description(String value) {
      this.description = Optional.ofNullable(value);
      return this;
    }

    /** Sets the epic id; {@code null} clears it. */
    public Builder epic(String value) {
      this.epic = Optional.ofNullable(value);
      return this;
    }

    /** Sets the state; {@code null} clears it. */
    public Builder state(String value) {
      this.state = Optional.ofNullable(value);
      return this;
    }

    /** Sets the status. */
    public Builder status(WorkItemStatus value) {
      this.status = Objects.requireNonNull(value, "status");
      return this;
    }

    /** Sets the rank, 1 first. */
    public Builder priority(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("priority must be >= 1 but was " + value);
      }
      this.priority = OptionalInt.of(value);
      return this;
    }

    /** Makes the item unranked. */
    public Builder unranked() {
      this.priority = OptionalInt.empty();
      return this;
    }

    /** Sets the owner; {@code null} clears it. */
    public Builder owner(String value) {
      this.owner = Optional.ofNullable(value);
      return this;
    }

    /** Sets the due date; {@code null} clears it. */
    public Builder due(LocalDate value) {
      this.due = Optional.ofNullable(value);
      return this;
    }

    /** Sets the work type; {@code null} clears it. */
    public Builder workType(String value) {
      this.workType = Optional.ofNullable(value);
      return this;
    }

    /** Sets the source; {@code null} clears it. */
    public Builder source(String value) {
      this.source = Optional.ofNullable(value);
      return this;
    }

    /** Sets the branch; {@code null} clears it. */
    public Builder branch(String value) {
      this.branch = Optional.ofNullable(value);
      return this;
    }

    /** Sets the validation command; {@code null} clears it. */
    public Builder validation(String value) {
      this.validation = Optional.ofNullable(value);
      return this;
    }

    /** Sets the pull-request URL; {@code null} clears it. */
    public Builder pr(String value) {
      this.pr = Optional.ofNullable(value);
      return this;
    }

    /** Sets the prompt file path; {@code null} means the default path. */
    public Builder prompt(String value) {
      this.prompt = Optional.ofNullable(value);
      return this;
    }

    /** Replaces the done criteria. */
    public Builder doneCriteria(List<String> values) {
      this.doneCriteria = new ArrayList<>(Objects.requireNonNull(values, "doneCriteria"));
      return this;
    }

    /** Replaces the blockers. */
    public Builder blockers(List<String> values) {
      this.blockers = new ArrayList<>(Objects.requireNonNull(values, "blockers"));
      return this;
    }

    /** Replaces the history. */
    public Builder history(List<HistoryEntry> values) {
      this.history = new ArrayList<>(Objects.requireNonNull(values, "history"));
      return this;
    }

    /** Appends one history entry. */
    public Builder addHistory(HistoryEntry entry) {
      this.history.add(Objects.requireNonNull(entry, "entry"));
      return this;
    }

    /**
     * The item.
     *
     * @throws IllegalArgumentException when a field is invalid, naming it
     */
    public WorkItem build() {
      return new WorkItem(
          id,
          title,
          description,
          epic,
          lane,
          state,
          status,
          priority,
          owner,
          due,
          workType,
          source,
          branch,
          validation,
          pr,
          prompt,
          doneCriteria,
          blockers,
          history);
    }
  }
}
