package dev.tollgate.core.util;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/** Thread factories for Tollgate's background pools: daemon threads, numbered after a prefix. */
@API(status = INTERNAL, since = "0.1.0")
public final class DaemonThreads {
  private DaemonThreads() {}

  /**
   * A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, …: a pool of them never
   * holds the JVM up, and a thread dump names what each is for.
   */
  public static ThreadFactory named(String prefix) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
