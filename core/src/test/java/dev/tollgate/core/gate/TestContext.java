package dev.tollgate.core.gate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** A gate context with no facts, for gates that need none. */
record TestContext(Path projectRoot, Optional<String> actor, Clock clock) implements GateContext {
  static TestContext of() {
    return new TestContext(
        Path.of("."), Optional.of("alice"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
  }

  @Override
  public <T> Optional<T> facts(Class<T> type) {
    return Optional.empty();
  }
}
