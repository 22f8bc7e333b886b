package dev.tollgate.core.deploy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.Location;
import dev.tollgate.core.Severity;
import dev.tollgate.core.TollgateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * A request to change one environment to one commit, with its type, risk, reason and the approvals
 * it collected. Immutable: every transition returns the new request; storing it is the caller's
 * job.
 *
 * @param id the request's id, e.g. {@code CR-42}
 * @param environment the environment it changes
 * @param type which approval policy applies
 * @param risk how risky the author says it is
 * @param commitSha the commit it deploys, lower-case hex (7 to 64 digits)
 * @param author who wrote it; never counts as an approver
 * @param reason why; required for emergencies
 * @param status where it is in its life
 * @param approvals every approval recorded, in order, including ones that do not count
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record ChangeRequest(
    String id,
    String environment,
    ChangeType type,
    Risk risk,
    String commitSha,
    String author,
    Optional<String> reason,
    ChangeStatus status,
    List<Approval> approvals) {

  /** The rule id of diagnostics about change requests. */
  public static final String RULE_ID = "change-request";

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{7,64}");

  /** Checks every field. */
  public ChangeRequest {
    Specs.text(id, "id");
    Specs.text(environment, "environment");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(risk, "risk");
    requireSha(commitSha, "commitSha");
    Specs.text(author, "author");
    Objects.requireNonNull(reason, "reason");
    reason = reason.map(String::strip).filter(r -> !r.isEmpty());
    Objects.requireNonNull(status, "status");
    approvals = List.copyOf(Objects.requireNonNull(approvals, "approvals"));
  }

  /** A new draft without approvals. */
  public static ChangeRequest draft(
      String id,
      String environment,
      ChangeType type,
      Risk risk,
      String commitSha,
      String author,
      Optional<String> reason) {
    return new ChangeRequest(
        id, environment, type, risk, commitSha, author, reason, ChangeStatus.DRAFT, List.of());
  }

  /**
   * This request with {@code approval} recorded. Every approval is kept, even one that will not
   * count (the author's own, a second vote, another commit), so the record shows what was tried;
   * {@link ChangeCheck#tally} decides what counts.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} unless the request is a draft or approved
   */
  public ChangeRequest withApproval(Approval approval) {
    Objects.requireNonNull(approval, "approval");
    if (status != ChangeStatus.DRAFT && status != ChangeStatus.APPROVED) {
      throw refused(
          "cannot record an approval by "
              + approval.actor()
              + " on change request "
              + id
              + ": it is "
              + status.label(),
          "Approvals are recorded on draft or approved requests only.");
    }
    List<Approval> all = new ArrayList<>(approvals);
    all.add(approval);
    return new ChangeRequest(id, environment, type, risk, commitSha, author, reason, status, all);
  }

  /**
   * This request moved to {@code target}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} naming the current status, the target and
   *     the statuses allowed next, when {@link ChangeStatus#next()} does not allow the move
   */
  public ChangeRequest transitionTo(ChangeStatus target) {
    Objects.requireNonNull(target, "target");
    if (!status.next().contains(target)) {
      String allowed =
          status.next().isEmpty()
              ? "none: " + status.label() + " is final"
              : status.next().stream().map(ChangeStatus::label).collect(Collectors.joining(", "));
      throw refused(
          "change request "
              + id
              + " cannot go from "
              + status.label()
              + " to "
              + target.label()
              + "; allowed next: "
              + allowed,
          null);
    }
    return new ChangeRequest(
        id, environment, type, risk, commitSha, author, reason, target, approvals);
  }

  private static TollgateException refused(String message, String hint) {
    return TollgateException.badInput(
        Diagnostic.of(Severity.ERROR, RULE_ID, message, Location.ofFile("change-request"), hint));
  }

  static String requireSha(String sha, String name) {
    Objects.requireNonNull(sha, name);
    if (!SHA.matcher(sha).matches()) {
      throw new IllegalArgumentException(
          name + " must be 7 to 64 lower-case hex digits but was '" + sha + "'");
    }
    return sha;
  }
}
