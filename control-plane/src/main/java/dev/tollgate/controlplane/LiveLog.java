package dev.tollgate.controlplane;

import dev.tollgate.core.runs.LogWatch;
import dev.tollgate.core.runs.Run;
import dev.tollgate.core.runs.RunEvent;
import dev.tollgate.core.runs.RunJson;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.util.DaemonThreads;
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
 * The live logs of one control-plane server: one database listener for the whole server, and one
 * reader thread that fetches a watched run's new events when the listener says there are some and
 * fans them out to every viewer of that run as Server-Sent Events. The database sees the same
 * queries however many people watch.
 *
 * <p>The runs someone watches are registered with the queue ({@link RunQueue#watchLogs}), so only
 * appends to those runs send a {@code NOTIFY}; workers appending to runs nobody watches never take
 * PostgreSQL's notification lock. Once a second the reader also reads each watched run's status and
 * any events it was not told about (a claim, or an append that raced the registration). While a
 * run's watch is not live (the listener is reconnecting, or the queue cannot notify) the reader
 * polls that run every 50 ms instead, and catches up when the listener is back.
 *
 * <p>Each viewer has its own cursor (the {@code Last-Event-ID} it resumed from), its own bounded
 * queue and a writer thread from a small pool, so a slow viewer never holds up the others; one that
 * falls 10,000 lines behind is dropped and reconnects from its last id.
 */
final class LiveLog implements AutoCloseable {
  private static final long TICK_MS = 50;
  private static final int STATUS_EVERY = 20;
  private static final int PING_EVERY = 300;
  private static final int MAX_PENDING = 10_000;
  private static final int BATCH = 1000;

  private final RunQueue queue;
  private final LogWatch watch;
  private final java.util.function.Supplier<String> summary;
  private final Set<Viewer> summaryViewers = ConcurrentHashMap.newKeySet();
  private volatile String lastSummary;
  private final Map<Long, Watched> watched = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tollgate-live-log"));
  private final ExecutorService writers =
      Executors.newFixedThreadPool(4, DaemonThreads.named("tollgate-sse"));
  private final AtomicInteger ticks = new AtomicInteger();

  /**
   * Live logs of {@code queue}'s runs, and a live summary: {@code summary} (the header's figures as
   * JSON) is read once a second while someone watches it, and sent to them when it changes.
   */
  LiveLog(RunQueue queue, java.util.function.Supplier<String> summary) {
    this.queue = queue;
    this.summary = summary;
    this.watch = queue.watchLogs(this::appended, this::resync);
    ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  /** How many viewers are connected, over all runs. */
  int viewers() {
    return watched.values().stream().mapToInt(w -> w.viewers.size()).sum();
  }

  /**
   * Streams run {@code runId}'s events after {@code after} to an async request whose headers are
   * set; it is sent what it missed at once, then every new event, then {@code status} events.
   */
  void subscribe(long runId, int after, String status, AsyncContext context) throws IOException {
    Viewer viewer = viewer(context, after);
    viewer.offer("retry: 2000\n\n");
    Watched w =
        watched.compute(
            runId,
            (id, current) -> {
              Watched now = current == null ? new Watched(status) : current;
              // The page was rendered before this stream opened and the status may have changed
              // since (a cancel the worker saw meanwhile): say it now, as only later changes are
              // sent.
              viewer.offer(statusFrame(now.status));
              now.viewers.add(viewer);
              return now;
            });
    watch.watch(runId);
    // What it missed, now rather than at the next announcement.
    schedule(runId, w);
  }

  /** Called by the queue's listener after an append to run {@code runId}'s log commits. */
  private void appended(long runId) {
    Watched w = watched.get(runId);
    if (w != null) {
      schedule(runId, w);
    }
  }

  /** Called when the listener (re)connects: appends made while it was away were not announced. */
  private void resync() {
    watched.forEach(this::schedule);
  }

  /** Reads {@code w}'s new events on the reader thread soon, unless a read is already due. */
  private void schedule(long runId, Watched w) {
    if (w.due.compareAndSet(false, true)) {
      try {
        ticker.execute(() -> read(runId, w, false));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closed.
      }
    }
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
    boolean everySecond = tick % STATUS_EVERY == 0;
    for (Map.Entry<Long, Watched> entry : watched.entrySet()) {
      long runId = entry.getKey();
      Watched w = entry.getValue();
      w.viewers.removeIf(v -> v.closed);
      if (watched.computeIfPresent(runId, (id, cur) -> cur.viewers.isEmpty() ? null : cur)
          == null) {
        watch.unwatch(runId);
        if (watched.containsKey(runId)) {
          watch.watch(runId); // someone started watching it again meanwhile
        }
        continue;
      }
      if (everySecond || !watch.live(runId)) {
        read(runId, w, everySecond);
      }
      if (tick % PING_EVERY == 0) {
        w.viewers.forEach(v -> v.offer(": ping\n\n"));
      }
    }
  }

  /**
   * Sends run {@code runId}'s events after its slowest viewer's cursor to the viewers that lack
   * them, then its status if it changed; reads the status when {@code withStatus} or when there
   * were events. Runs on the reader thread only.
   */
  private void read(long runId, Watched w, boolean withStatus) {
    w.due.set(false);
    if (w.viewers.isEmpty()) {
      return;
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
      if (events.size() == BATCH) {
        schedule(runId, w); // more to come
      }
      if (withStatus || !events.isEmpty()) {
        Optional<Run> run = queue.find(runId);
        String status = run.map(r -> r.status().wireName()).orElse("gone");
        if (!status.equals(w.status)) {
          w.status = status;
          String frame = statusFrame(status);
          w.viewers.forEach(v -> v.offer(frame));
        }
      }
    } catch (RuntimeException e) {
      // The database is away: viewers keep their cursors and get the lines once it is back.
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
    watch.close();
    watched.values().forEach(w -> w.viewers.forEach(Viewer::close));
    summaryViewers.forEach(Viewer::close);
    writers.shutdownNow();
  }

  /** A watched run: its last known status and its viewers. */
  private static final class Watched {
    final Set<Viewer> viewers = ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicBoolean due =
        new java.util.concurrent.atomic.AtomicBoolean();
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
