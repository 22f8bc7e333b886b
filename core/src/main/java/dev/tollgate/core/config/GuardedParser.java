package dev.tollgate.core.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;

/**
 * A SnakeYAML {@link Parser} that measures the document its events will compose into, and refuses
 * it at the first event that crosses one of the configuration limits: nesting deeper than {@value
 * YamlTree#MAX_DEPTH} lists and mappings, more than {@value #MAX_COLLECTION_ALIASES} aliases of
 * lists or mappings, more than {@value YamlTree#MAX_NODES} values once aliases are expanded, or an
 * alias inside the collection it names.
 *
 * <p>SnakeYAML enforces similar limits in its composer, but without a position; checking while the
 * events stream past lets the message name the line and column that crossed the limit.
 */
final class GuardedParser implements Parser {
  /** More aliases of lists or mappings than a hand-written config needs; stops alias bombs. */
  static final int MAX_COLLECTION_ALIASES = 50;

  private final Parser parser;
  private final Deque<Open> open = new ArrayDeque<>();
  private final Map<String, Extent> anchors = new HashMap<>();
  private long values;
  private int collectionAliases;
  private Mark last;

  GuardedParser(Parser parser) {
    this.parser = parser;
  }

  /** What an anchored node expands to: its values, and the levels of lists and mappings in it. */
  private record Extent(long values, int depth) {}

  /** A list or mapping whose end has not been read yet. */
  private static final class Open {
    final String anchor;
    final long valuesBefore;
    int depthInside;

    Open(String anchor, long valuesBefore) {
      this.anchor = anchor;
      this.valuesBefore = valuesBefore;
    }
  }

  /** A document refused at {@link #mark()} for crossing a limit; the message says which. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Mark mark;

    Refused(Mark mark, String message) {
      super(message, null, false, false);
      this.mark = mark;
    }

    Mark mark() {
      return mark;
    }
  }

  /** Where the last event handed to the composer started, for errors SnakeYAML leaves unmarked. */
  Optional<Mark> lastMark() {
    return Optional.ofNullable(last);
  }

  @Override
  public boolean checkEvent(Event.ID choice) {
    return parser.checkEvent(choice);
  }

  @Override
  public Event peekEvent() {
    return parser.peekEvent();
  }

  @Override
  public Event getEvent() {
    Event event = parser.getEvent();
    if (event != null) {
      last = event.getStartMark();
      observe(event);
    }
    return event;
  }

  private void observe(Event event) {
    Mark at = event.getStartMark();
    if (event instanceof AliasEvent alias) {
      aliased(alias.getAnchor(), at);
    } else if (event instanceof ScalarEvent scalar) {
      count(1, at, false);
      remember(scalar.getAnchor(), new Extent(1, 0));
    } else if (event instanceof CollectionStartEvent start) {
      if (open.size() + 1 > YamlTree.MAX_DEPTH) {
        throw tooDeep(at);
      }
      count(1, at, false);
      open.push(new Open(start.getAnchor(), values - 1));
    } else if (event instanceof CollectionEndEvent && !open.isEmpty()) {
      Open closed = open.pop();
      int depth = closed.depthInside + 1;
      reach(depth);
      remember(closed.anchor, new Extent(values - closed.valuesBefore, depth));
    }
  }

  private void aliased(String anchor, Mark at) {
    for (Open o : open) {
      if (anchor.equals(o.anchor)) {
        throw new Refused(at, "alias *" + anchor + " refers to a list or mapping that contains it");
      }
    }
    Extent extent = anchors.get(anchor);
    if (extent == null) {
      return; // the composer reports the undefined alias at its position
    }
    if (extent.depth() > 0 && ++collectionAliases > MAX_COLLECTION_ALIASES) {
      throw new Refused(
          at,
          "the document uses more than "
              + MAX_COLLECTION_ALIASES
              + " aliases of lists or mappings");
    }
    if (open.size() + extent.depth() > YamlTree.MAX_DEPTH) {
      throw tooDeep(at);
    }
    count(extent.values(), at, true);
    reach(extent.depth());
  }

  private void count(long more, Mark at, boolean throughAlias) {
    values += more;
    if (values > YamlTree.MAX_NODES) {
      throw new Refused(
          at,
          "the document "
              + (throughAlias ? "expands to" : "has")
              + " more than "
              + YamlTree.MAX_NODES
              + " values"
              + (throughAlias ? " through aliases" : ""));
    }
  }

  private void reach(int depth) {
    Open parent = open.peek();
    if (parent != null) {
      parent.depthInside = Math.max(parent.depthInside, depth);
    }
  }

  private void remember(String anchor, Extent extent) {
    if (anchor != null) {
      anchors.put(anchor, extent);
    }
  }

  private static Refused tooDeep(Mark at) {
    return new Refused(
        at,
        "the document nests lists and mappings more than " + YamlTree.MAX_DEPTH + " levels deep");
  }
}
