package dev.tollgate.speckit.internal.generate;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What a generated feature or kit says, already cleaned by {@link Text}: the inputs of {@code
 * tollgate spec-kit init} plus the folder name and date chosen for it.
 *
 * @param folder the folder name, e.g. {@code 003-login} or (classic) {@code login}
 * @param slug the slug part of the folder name, e.g. {@code login}
 * @param title a one-line title, never empty
 * @param description a one-line description, never empty
 * @param goals the goals, one functional requirement each; at least one
 * @param date the creation date written into the documents
 */
public record Draft(
    String folder,
    String slug,
    String title,
    String description,
    List<String> goals,
    LocalDate date) {

  /** Checks the values are present and the texts are not empty. */
  public Draft {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(slug, "slug");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    goals = List.copyOf(goals);
    Objects.requireNonNull(date, "date");
    if (title.isBlank() || description.isBlank() || goals.isEmpty() || slug.isBlank()) {
      throw new IllegalArgumentException("a draft needs a slug, title, description and goals");
    }
  }

  /**
   * A draft from raw user input: texts cleaned, the title defaulting to the name in words, the
   * description and goals to sentences derived from the title.
   */
  public static Draft of(
      String folder,
      String slug,
      String rawTitle,
      String rawDescription,
      List<String> rawGoals,
      LocalDate date) {
    String title = Text.clean(rawTitle);
    if (title.isEmpty()) {
      title = Character.toUpperCase(slug.charAt(0)) + slug.substring(1).replace('-', ' ');
    }
    String description = Text.sentence(rawDescription);
    if (description.isEmpty()) {
      description = "Users can rely on " + title + " as the scenarios below describe.";
    }
    List<String> goals = rawGoals.stream().map(Text::sentence).filter(g -> !g.isEmpty()).toList();
    if (goals.isEmpty()) {
      goals = List.of("Provide " + title + " as described in this specification.");
    }
    return new Draft(folder, slug, title, description, goals, date);
  }

  /** The id of the n-th (1-based) functional requirement: {@code FR-001}. */
  static String fr(int n) {
    return String.format(java.util.Locale.ROOT, "FR-%03d", n);
  }

  /** The id of the n-th (1-based) success criterion: {@code SC-001}. */
  static String sc(int n) {
    return String.format(java.util.Locale.ROOT, "SC-%03d", n);
  }

  /** The id of the n-th (1-based) task: {@code T001}. */
  static String task(int n) {
    return String.format(java.util.Locale.ROOT, "T%03d", n);
  }
}
