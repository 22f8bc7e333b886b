package dev.tollgate.controlplane;

import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunJson;
import dev.tollgate.core.runs.RunQueue;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live logs of one control-plane server: one watcher thread reads each watched run's new events
 * once per tick (50 ms) and fans them out to every viewer of that run as Server-Sent Events, so the
 * database sees one query per watched run per tick however many people watch.
 *
 * <p>It reads rather than LISTENs because a {@code NOTIFY} on the log-append path would take
 * PostgreSQL's global notification lock on every worker commit. Each viewer has its own cursor (the
 * {@code Last-Event-ID} it resumed from), its own bounded queue and a writer thread from a small
 * pool, so a slow viewer never holds up the others; one that falls 10,000 lines behind is dropped
 * and reconnects from its last id.
 */
final class LiveLog implements AutoCloseable {
  private static final long TICK_MS = 50;
  private static final int STATUS_EVERY = 20;
  private static final int PING_EVERY = 300;
  private static final int MAX_PENDING = 10_000;
  private static final int BATCH = 1000;

  private final RunQueue queue;
  private final java.util.function.Supplier<String> summary;
  private final Set<Viewer> summaryViewers = ConcurrentHashMap.newKeySet();
  private volatile String lastSummary;
  private final Map<Long, Watched> watched = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(daemon("tollgate-live-log"));
  private final ExecutorService writers = Executors.newFixedThreadPool(4, daemon("tollgate-sse"));
  private final AtomicInteger ticks = new AtomicInteger();

  /**
   * Live logs of {@code queue}'s runs, and a live summary: {@code summary} (the header's figures as
   * JSON) is read once a second while someone watches it, and sent to them when it changes.
   */
  LiveLog(RunQueue queue, java.util.function.Supplier<String> summary) {
    this.queue = queue;
    this.summary = summary;
    ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** How many viewers are connected, over all runs. */
  int viewers() {
    return watched.values().stream().mapToInt(w -> w.viewers.size()).sum();
  }

  /**
   * Streams run {@code runId}'s events after {@code after} to an async request whose headers are
   * set; the first tick sends what it missed, then every new event, then {@code status} events.
   */
  void subscribe(long runId, int after, String status, AsyncContext context) throws IOException {
    Viewer viewer = viewer(context, after);
    viewer.offer("retry: 2000\n\n");
    Watched w = watched.computeIfAbsent(runId, id -> new Watched(status));
    // The page was rendered before this stream opened and the status may have changed since (a
    // cancel the worker saw meanwhile): say it now, as only later changes are sent.
    viewer.offer(statusFrame(w.status));
    w.viewers.add(viewer);
  }

  /**
   * Streams the summary (an {@code event: summary} now, then one whenever it changes, read once a
   * second for all viewers together) to an async request whose headers are set.
   */
  void subscribeSummary(AsyncContext context) {
    Viewer viewer = viewer(context, 0);
    viewer.offer("retry: 2000\n\n");
    String last = lastSummary;
    if (last != null) {
      viewer.offer(frame("summary", null, last));
    }
    summaryViewers.add(viewer);
  }

  /** A viewer on {@code context} from {@code cursor}, closed when its request ends or fails. */
  private Viewer viewer(AsyncContext context, int cursor) {
    Viewer viewer = new Viewer(context, cursor);
    context.addListener(
        new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            viewer.closed = true;
          }

          @Override
          public void onTimeout(AsyncEvent event) {
            viewer.close();
          }

          @Override
          public void onError(AsyncEvent event) {
            viewer.close();
          }

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
    return viewer;
  }

  private void summaryTick(int tick) {
    summaryViewers.removeIf(v -> v.closed);
    if (summaryViewers.isEmpty()) {
      lastSummary = null;
      return;
    }
    if (tick % STATUS_EVERY == 0 || lastSummary == null) {
      try {
        String now = summary.get();
        if (!now.equals(lastSummary)) {
          lastSummary = now;
          String frame = frame("summary", null, now);
          summaryViewers.forEach(v -> v.offer(frame));
        }
      } catch (RuntimeException e) {
        // The database is away: the next tick tries again; viewers keep the last figures.
      }
    }
    if (tick % PING_EVERY == 0) {
      summaryViewers.forEach(v -> v.offer(": ping\n\n"));
    }
  }

  private void tick() {
    int tick = ticks.incrementAndGet();
    summaryTick(tick);
    for (Map.Entry<Long, Watched> entry : watched.entrySet()) {
      long runId = entry.getKey();
      Watched w = entry.getValue();
      w.viewers.removeIf(v -> v.closed);
      if (w.viewers.isEmpty()) {
        watched.remove(runId, w);
        continue;
      }
      try {
        int from = w.viewers.stream().mapToInt(v -> v.cursor).min().orElse(0);
        List<RunEvent> events = queue.events(runId, from, BATCH);
        for (RunEvent e : events) {
          String frame = frame("log", String.valueOf(e.seq()), RunJson.event(e).toString());
          for (Viewer v : w.viewers) {
            if (e.seq() > v.cursor) {
              v.cursor = e.seq();
              v.offer(frame);
            }
          }
        }
        if (tick % STATUS_EVERY == 0 || !events.isEmpty()) {
          Optional<Run> run = queue.find(runId);
          String status = run.map(r -> r.status().wireName()).orElse("gone");
          if (!status.equals(w.status)) {
            w.status = status;
            String frame = statusFrame(status);
            w.viewers.forEach(v -> v.offer(frame));
          }
        }
        if (tick % PING_EVERY == 0) {
          w.viewers.forEach(v -> v.offer(": ping\n\n"));
        }
      } catch (RuntimeException e) {
        // The database is away: viewers keep their cursors and get the lines once it is back.
      }
    }
  }

  private static String statusFrame(String status) {
    return frame("status", null, "{\"status\":\"" + status + "\"}");
  }

  private static String frame(String event, String id, String data) {
    StringBuilder b = new StringBuilder();
    if (id != null) {
      b.append("id: ").append(id).append('\n');
    }
    b.append("event: ").append(event).append('\n');
    b.append("data: ").append(data).append("\n\n");
    return b.toString();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    watched.values().forEach(w -> w.viewers.forEach(Viewer::close));
    summaryViewers.forEach(Viewer::close);
    writers.shutdownNow();
  }

  /** A watched run: its last known status and its viewers. */
  private static final class Watched {
    final Set<Viewer> viewers = ConcurrentHashMap.newKeySet();
    volatile String status;

    Watched(String status) {
      this.status = status;
    }
  }

  /** One connected viewer: its cursor, what is waiting to be written, and its stream. */
  private final class Viewer {
    final AsyncContext context;
    final ArrayDeque<String> pending = new ArrayDeque<>();
    volatile int cursor;
    volatile boolean closed;
    private boolean writing;

    Viewer(AsyncContext context, int cursor) {
      this.context = context;
      this.cursor = cursor;
    }

    void offer(String frame) {
      boolean schedule;
      synchronized (this) {
        if (closed) {
          return;
        }
        if (pending.size() >= MAX_PENDING) {
          closed = true;
          schedule = false;
        } else {
          pending.add(frame);
          schedule = !writing;
          writing = true;
        }
      }
      if (closed) {
        close();
      } else if (schedule) {
        writers.execute(this::drain);
      }
    }

    private void drain() {
      try {
        ServletOutputStream out = context.getResponse().getOutputStream();
        while (true) {
          String next;
          synchronized (this) {
            next = pending.poll();
            if (next == null) {
              writing = false;
              return;
            }
          }
          out.write(next.getBytes(StandardCharsets.UTF_8));
          boolean caughtUp;
          synchronized (this) {
            caughtUp = pending.isEmpty();
          }
          if (caughtUp) {
            out.flush();
          }
        }
      } catch (IOException | IllegalStateException e) {
        close();
      }
    }

    void close() {
      closed = true;
      try {
        context.complete();
      } catch (IllegalStateException e) {
        // already completed
      }
    }
  }
}
