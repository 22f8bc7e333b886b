package dev.tollgate.actions.workflow;

import java.nio.file.Path;

/** Where the shared corpus's GitHub JSON Schemas are, next to the checkout. */
final class Corpus {
  private Corpus() {}

  static Path schemas() {
    return WorkflowFiles.root().resolve("../shared/corpus/github/schemas").normalize();
  }
}
