package dev.tollgate.controlplane;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What an identity may do through the control plane. Scopes only open the door: every action on a
 * work item still passes the policy's own gates for the identity's name, as in the CLI.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public enum Scope {
  /** See work items, runs, deploys and logs. */
  READ,
  /** Perform work-item actions, write items, enqueue, cancel and retry runs. */
  ACT,
  /** Approve and deploy promotions, decide change requests, take and release locks. */
  DEPLOY;

  /** The name used in token files, headers and error messages: {@code read}, {@code act}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope with this wire name, if any. */
  public static Optional<Scope> parse(String wireName) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst();
  }
}
