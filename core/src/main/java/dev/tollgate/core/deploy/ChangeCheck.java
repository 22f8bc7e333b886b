package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.gate.Recovery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The change-request gate of a deploy: decides whether a change request allows deploying a commit
 * to an environment under the spec's {@link ChangePolicy}.
 *
 * <p>Rules: the request must be for this environment and this exact commit and be approved; a
 * reason is needed where the type's policy says so (always for emergencies); approvals count only
 * if they are for the deployed commit, not by the author, by a listed approver when the policy
 * lists approvers, and the first vote of their actor (logins compare ignoring case). An emergency
 * lets the deploy start outside windows (see {@link WindowGate}), but never skips the deploy lock:
 * the engine takes the lock for every deploy.
 */
@API(status = INTERNAL, since = "0.1.0")
public final class ChangeCheck {
  private ChangeCheck() {}

  /** The gate id of change-request results. */
  public static final String GATE_ID = "change-request";

  /** An approval that was recorded but does not count, and why. */
  public record Ignored(Approval approval, String why) {
    /** Checks the fields. */
    public Ignored {
      Objects.requireNonNull(approval, "approval");
      Specs.text(why, "why");
    }
  }

  /**
   * The approvals of a request sorted into those that count and those that do not.
   *
   * @param counted the actors whose approval counts, in order
   * @param ignored the approvals that do not count, each with its reason
   */
  public record Tally(List<String> counted, List<Ignored> ignored) {
    /** Copies the lists. */
    public Tally {
      counted = List.copyOf(counted);
      ignored = List.copyOf(ignored);
    }
  }

  /**
   * Sorts the approvals of {@code request} for a deploy of {@code commitSha} under {@code policy}.
   */
  public static Tally tally(
      ChangeRequest request, ChangePolicy.TypePolicy policy, String commitSha) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(commitSha, "commitSha");
    Set<String> approvers = new LinkedHashSet<>();
    policy.approvers().forEach(a -> approvers.add(a.toLowerCase(Locale.ROOT)));
    Set<String> voted = new LinkedHashSet<>();
    List<String> counted = new ArrayList<>();
    List<Ignored> ignored = new ArrayList<>();
    String author = request.author().toLowerCase(Locale.ROOT);
    for (Approval a : request.approvals()) {
      String actor = a.actor().toLowerCase(Locale.ROOT);
      if (actor.equals(author)) {
        ignored.add(new Ignored(a, a.actor() + " wrote the request and cannot approve it"));
      } else if (!a.commitSha().equals(commitSha)) {
        ignored.add(
            new Ignored(
                a,
                a.actor()
                    + " approved commit "
                    + a.commitSha()
                    + ", not the deployed commit "
                    + commitSha));
      } else if (!approvers.isEmpty() && !approvers.contains(actor)) {
        ignored.add(new Ignored(a, a.actor() + " is not a listed approver " + policy.approvers()));
      } else if (!voted.add(actor)) {
        ignored.add(new Ignored(a, a.actor() + " already approved; one vote per person"));
      } else {
        counted.add(a.actor());
      }
    }
    return new Tally(counted, ignored);
  }

  /**
   * Whether {@code request} allows {@code actor} to deploy {@code commitSha} under {@code spec}.
   *
   * @return a pass, or a block with recovery guidance naming the rule broken and how to fix it
   */
  public static GateResult evaluate(
      ChangeRequest request, DeploySpec spec, String commitSha, String actor) {
    return evaluate(
        Optional.of(Objects.requireNonNull(request, "request")), spec, commitSha, actor);
  }

  /**
   * Like {@link #evaluate(ChangeRequest, DeploySpec, String, String)} for a deploy that may have no
   * change request: without one it passes unless the spec says {@code change.required: true}.
   */
  public static GateResult evaluate(
      Optional<ChangeRequest> request, DeploySpec spec, String commitSha, String actor) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(commitSha, "commitSha");
    Specs.text(actor, "actor");
    String env = spec.environment();
    String file = DeploySpec.DIRECTORY + "/" + env + ".yml";
    if (request.isEmpty()) {
      if (spec.change().required()) {
        return GateResult.blocked(
            GATE_ID,
            env + " needs an approved change request for every deploy",
            Recovery.of(
                "no change request was given for the deploy of " + commitSha + " to " + env,
                file + ": change.required: true",
                "open a change request for commit "
                    + commitSha
                    + ", collect its approvals, and"
                    + " deploy with it",
                "yes: nothing was changed"));
      }
      return GateResult.pass(GATE_ID, env + " does not require a change request");
    }
    ChangeRequest cr = request.get();
    ChangePolicy.TypePolicy policy = spec.change().policy(cr.type());
    String context =
        file
            + ": change.types."
            + cr.type().label()
            + " {approvals: "
            + policy.approvals()
            + ", approvers: "
            + (policy.approvers().isEmpty() ? "anyone but the author" : policy.approvers())
            + ", windows_apply: "
            + policy.windowsApply()
            + ", reason_required: "
            + policy.reasonRequired()
            + "}";
    if (!cr.environment().equals(env)) {
      return blocked(
          cr.id() + " is for environment " + cr.environment() + ", not " + env,
          context,
          "use a change request opened for " + env,
          "yes: nothing was changed");
    }
    if (!cr.commitSha().equals(commitSha)) {
      return blocked(
          cr.id() + " is for commit " + cr.commitSha() + ", not the deployed commit " + commitSha,
          context + "; approvals are bound to one commit",
          "deploy commit " + cr.commitSha() + ", or open a new change request for " + commitSha,
          "yes: nothing was changed");
    }
    if (cr.status() != ChangeStatus.APPROVED) {
      return blocked(
          cr.id() + " is " + cr.status().label() + ", not approved",
          context,
          cr.status() == ChangeStatus.DRAFT
              ? "collect the approvals and mark " + cr.id() + " approved"
              : "open a new change request; " + cr.id() + " cannot be used again",
          cr.status() == ChangeStatus.DRAFT ? "yes, once it is approved" : "no");
    }
    if (policy.reasonRequired() && cr.reason().isEmpty()) {
      return blocked(
          cr.id() + " (" + cr.type().label() + ") gives no reason",
          context,
          "add a reason to " + cr.id() + " (--reason \"...\")",
          "yes, once the reason is recorded");
    }
    Tally tally = tally(cr, policy, commitSha);
    String ignoredNote =
        tally.ignored().isEmpty()
            ? ""
            : "; not counted: "
                + String.join("; ", tally.ignored().stream().map(Ignored::why).toList());
    if (tally.counted().size() < policy.approvals()) {
      return blocked(
          cr.id()
              + " has "
              + tally.counted().size()
              + " of "
              + policy.approvals()
              + " approvals for commit "
              + commitSha
              + (tally.counted().isEmpty() ? "" : " (" + String.join(", ", tally.counted()) + ")")
              + ignoredNote,
          context,
          "ask "
              + (policy.approvers().isEmpty()
                  ? "someone other than " + cr.author()
                  : "one of " + policy.approvers())
              + " to approve commit "
              + commitSha,
          "yes, once enough approvals are recorded");
    }
    String emergency =
        cr.type() == ChangeType.EMERGENCY
            ? "; emergency: "
                + (policy.windowsApply() ? "windows apply" : "windows are bypassed and recorded")
                + ", the deploy lock still applies"
            : "";
    return GateResult.pass(
        GATE_ID,
        cr.id()
            + " ("
            + cr.type().label()
            + ", risk "
            + cr.risk().label()
            + ") approved by "
            + (tally.counted().isEmpty() ? "nobody needed" : String.join(", ", tally.counted()))
            + " for commit "
            + commitSha
            + ignoredNote
            + emergency);
  }

  private static GateResult blocked(
      String cause, String context, String nextStep, String safeRetry) {
    return GateResult.blocked(GATE_ID, cause, Recovery.of(cause, context, nextStep, safeRetry));
  }
}
