package dev.tollgate.speckit.internal.tasks;

import dev.tollgate.speckit.internal.shared.SpecFacts;
import java.util.Objects;
import java.util.Optional;

/**
 * What the tasks.md rules know about the feature around the file: whether it is a GitHub-layout
 * feature (where every task names a file) and the facts of its spec, when it has one.
 *
 * @param githubLayout whether the feature lives in the GitHub {@code specs/NNN-slug/} layout
 * @param spec the facts of the feature's spec.md or prd.md; empty when it has neither
 */
public record TasksContext(boolean githubLayout, Optional<SpecFacts> spec) {

  /** Checks that the spec is present or explicitly empty. */
  public TasksContext {
    Objects.requireNonNull(spec, "spec");
  }
}
