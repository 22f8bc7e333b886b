package dev.tollgate.speckit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.tollgate.core.report.RuleDescriptor;
import dev.tollgate.speckit.internal.shared.RuleCatalog;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The Spec Kit rule catalog: every rule the validator can report, with its stable id and default
 * severity. Ids are never reused; a retired rule keeps its number.
 *
 * <p>Rules marked E/W in the documentation report errors or warnings depending on the case; their
 * default severity here is the stronger one, and a configured severity replaces both.
 */
@API(status = STABLE, since = "0.1.0")
public final class SpecKitRules {
  private SpecKitRules() {}

  /** Every rule, ordered by id. */
  public static List<RuleDescriptor> all() {
    return RuleCatalog.all();
  }

  /** The rule with this id, if the catalog has it. */
  public static Optional<RuleDescriptor> byId(String id) {
    return RuleCatalog.byId(id);
  }

  /** The rule with this id; throws if the id is not in the catalog (a programming error). */
  public static RuleDescriptor require(String id) {
    return RuleCatalog.require(id);
  }
}
