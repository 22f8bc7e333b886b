package dev.tollgate.speckit.internal.shared;

import dev.tollgate.core.Location;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the task rules need to know about a feature's spec (or prd): its user stories and the ids of
 * its functional requirements and success criteria, each with where it is declared.
 *
 * @param stories story number to the location of its heading
 * @param requirements {@code FR-001}-style ids to their declaration
 * @param criteria {@code SC-001}-style ids to their declaration
 */
public record SpecFacts(
    SortedMap<Integer, Location> stories,
    SortedMap<String, Location> requirements,
    SortedMap<String, Location> criteria) {

  /** Copies the maps. */
  public SpecFacts {
    stories = new TreeMap<>(stories);
    requirements = new TreeMap<>(requirements);
    criteria = new TreeMap<>(criteria);
  }

  /** Facts of a spec with no stories, requirements or criteria. */
  public static SpecFacts empty() {
    return new SpecFacts(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
  }

  /** Whether an {@code FR-}/{@code SC-} id is declared. */
  public boolean declares(String id) {
    return requirements.containsKey(id) || criteria.containsKey(id);
  }

  /** All declared FR and SC ids. */
  public Map<String, Location> allIds() {
    TreeMap<String, Location> all = new TreeMap<>(requirements);
    all.putAll(criteria);
    return all;
  }
}
