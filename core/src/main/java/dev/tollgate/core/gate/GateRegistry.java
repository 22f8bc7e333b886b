package dev.tollgate.core.gate;

import static org.apiguardian.api.API.Status.STABLE;

import dev.tollgate.core.TollgateException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The gates a policy may name, by id: the built-in ones a module supplies plus custom gates found
 * through {@link ServiceLoader}. Immutable; lookups and listings are sorted by id, so nothing
 * depends on class-path order.
 */
@API(status = STABLE, since = "0.1.0")
public final class GateRegistry {
  private final TreeMap<String, Gate> gates;
  private final Set<String> builtIn;

  private GateRegistry(TreeMap<String, Gate> gates, Set<String> builtIn) {
    this.gates = gates;
    this.builtIn = builtIn;
  }

  /**
   * A registry of the given built-in gates.
   *
   * @throws IllegalArgumentException when two gates share an id
   */
  public static GateRegistry of(Collection<? extends Gate> builtIns) {
    Objects.requireNonNull(builtIns, "builtIns");
    TreeMap<String, Gate> map = new TreeMap<>();
    for (Gate g : builtIns) {
      Checks.gateId(g.id());
      if (map.putIfAbsent(g.id(), g) != null) {
        throw new IllegalArgumentException("two built-in gates share the id '" + g.id() + "'");
      }
    }
    return new GateRegistry(map, Set.copyOf(map.keySet()));
  }

  /**
   * This registry plus the custom gates that {@code loader} provides for the service {@code
   * dev.tollgate.core.gate.Gate}.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when a custom gate cannot be instantiated,
   *     has an invalid id, or reuses an id already registered
   */
  public GateRegistry withServiceLoader(ClassLoader loader) {
    TreeMap<String, Gate> map = new TreeMap<>(gates);
    try {
      for (Gate g : ServiceLoader.load(Gate.class, loader)) {
        add(map, g);
      }
    } catch (java.util.ServiceConfigurationError e) {
      throw TollgateException.badInput("a custom gate could not be loaded: " + e.getMessage());
    }
    return new GateRegistry(map, builtIn);
  }

  /**
   * This registry plus the given custom gates.
   *
   * @throws TollgateException of kind {@code BAD_INPUT} when a gate has an invalid id or reuses an
   *     id already registered
   */
  public GateRegistry with(Collection<? extends Gate> custom) {
    TreeMap<String, Gate> map = new TreeMap<>(gates);
    custom.forEach(g -> add(map, g));
    return new GateRegistry(map, builtIn);
  }

  private void add(TreeMap<String, Gate> map, Gate g) {
    String id = g.id();
    if (id == null || !Checks.GATE_ID.matcher(id).matches()) {
      throw TollgateException.badInput(
          "custom gate "
              + g.getClass().getName()
              + " has the id '"
              + id
              + "' but gate ids must be lower-case kebab case like 'change-freeze'");
    }
    Gate existing = map.putIfAbsent(id, g);
    if (existing != null) {
      throw TollgateException.badInput(
          "custom gate "
              + g.getClass().getName()
              + " reuses the id '"
              + id
              + "' of "
              + (builtIn.contains(id) ? "a built-in gate" : existing.getClass().getName())
              + "; give it its own id");
    }
  }

  /** The gate with id {@code id}, if registered. */
  public Optional<Gate> find(String id) {
    return Optional.ofNullable(gates.get(id));
  }

  /** Every registered id, sorted. */
  public Set<String> ids() {
    return Collections.unmodifiableSet(gates.navigableKeySet());
  }

  /** Whether {@code id} names a built-in gate rather than a custom one. */
  public boolean isBuiltIn(String id) {
    return builtIn.contains(id);
  }

  /** Every registered gate, sorted by id. */
  public List<Gate> all() {
    return List.copyOf(gates.values());
  }
}
