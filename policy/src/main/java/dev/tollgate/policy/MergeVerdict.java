package dev.tollgate.policy;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.gate.Verdict;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The merge gate's decision on one pull request: a {@link Verdict} with one result per gate, plus
 * for each gate that did not pass the places it points at.
 *
 * @param verdict one result per gate, in evaluation order
 * @param findings gate id to the places it points at; a gate without locations has none
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public record MergeVerdict(Verdict verdict, Map<String, List<GateFinding>> findings) {

  /** Copies the findings, keeping the verdict's gate order. */
  public MergeVerdict {
    Objects.requireNonNull(verdict, "verdict");
    Map<String, List<GateFinding>> copy = new LinkedHashMap<>();
    findings.forEach((gate, list) -> copy.put(gate, List.copyOf(list)));
    findings = Collections.unmodifiableMap(copy);
  }

  /** The places gate {@code gate} points at; empty when none. */
  public List<GateFinding> findingsOf(String gate) {
    return findings.getOrDefault(gate, List.of());
  }
}
