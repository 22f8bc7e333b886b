package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The change-request rules of an environment: whether a deploy needs a change request, and per
 * {@link ChangeType} how many approvals it needs, from whom, whether windows apply and whether a
 * reason is required.
 *
 * @param required whether every deploy needs an approved change request; default false
 * @param types the policy of each change type; every type is present
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ChangePolicy(boolean required, Map<ChangeType, TypePolicy> types) {

  /**
   * The rules for one change type.
   *
   * @param approvals how many distinct approvals are needed
   * @param approvers who may approve (logins); empty means anyone except the author
   * @param windowsApply whether deploy windows apply to this type
   * @param reasonRequired whether the change request must give a reason
   */
  public record TypePolicy(
      int approvals, List<String> approvers, boolean windowsApply, boolean reasonRequired) {
    /** Checks the counts and logins. */
    public TypePolicy {
      Specs.atLeast(approvals, 0, "approvals");
      approvers = List.copyOf(Objects.requireNonNull(approvers, "approvers"));
      approvers.forEach(a -> Specs.text(a, "approvers entry"));
      if (!approvers.isEmpty() && approvers.size() < approvals) {
        throw new IllegalArgumentException(
            approvals
                + " approvals are required but only "
                + approvers.size()
                + " approvers are listed "
                + approvers);
      }
    }
  }

  /**
   * The default policy of {@code type}: standard 0 approvals, normal 1, emergency 1 with reason.
   */
  public static TypePolicy defaultFor(ChangeType type) {
    return switch (type) {
      case STANDARD -> new TypePolicy(0, List.of(), true, false);
      case NORMAL -> new TypePolicy(1, List.of(), true, false);
      case EMERGENCY -> new TypePolicy(1, List.of(), false, true);
    };
  }

  /** The policy when a spec has no {@code change:} section: not required, default types. */
  public static final ChangePolicy DEFAULT = new ChangePolicy(false, Map.of());

  /** Fills in the default of every type not given; an emergency always requires a reason. */
  public ChangePolicy {
    Objects.requireNonNull(types, "types");
    Map<ChangeType, TypePolicy> all = new EnumMap<>(ChangeType.class);
    for (ChangeType t : ChangeType.values()) {
      all.put(t, types.getOrDefault(t, defaultFor(t)));
    }
    if (!all.get(ChangeType.EMERGENCY).reasonRequired()) {
      throw new IllegalArgumentException(
          "change.types.emergency.reason_required must be true: an emergency always needs a"
              + " reason");
    }
    types = Map.copyOf(all);
  }

  /** The policy of {@code type}. */
  public TypePolicy policy(ChangeType type) {
    return types.get(Objects.requireNonNull(type, "type"));
  }
}
