package dev.tollgate.core.gate;

/** A custom gate as a team would write one, found through {@link java.util.ServiceLoader}. */
public final class ChangeFreezeGate implements Gate {
  @Override
  public String id() {
    return "change-freeze";
  }

  @Override
  public String description() {
    return "Blocks everything during a change freeze.";
  }

  @Override
  public GateResult evaluate(GateContext context) {
    return GateResult.blocked(
        id(),
        "a change freeze is in effect",
        Recovery.of(
            "Changes are frozen", "change-freeze", "Wait for the freeze to end", "Retry later"));
  }
}
