package dev.tollgate.actions.report;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik property, with a message, when the shared corpus's SARIF schema is absent. A JUnit
 * assumption inside a property would instead reject every try and fail it as exhausted.
 */
public class SarifCorpusRequired implements SkipExecutionHook {
  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    Path file = TestFiles.sarifSchemaPath();
    return Files.exists(file) ? SkipResult.doNotSkip() : SkipResult.skip("corpus absent: " + file);
  }
}
