package dev.tollgate.controlplane.internal.pages;

/**
 * What every console page shows around its content: the title, where the console is mounted, who is
 * signed in, the form token, the queue's counts and which navigation entry is current.
 *
 * @param title the page's title
 * @param base the mount path, e.g. {@code /ops} or {@code ""}; every link starts with it
 * @param user the caller's name
 * @param csrf the token forms send back
 * @param queued runs waiting, or -1 without a run queue
 * @param running runs running, or -1 without a run queue
 * @param stale running runs whose heartbeat is stale
 * @param section {@code board} or {@code runs}
 * @param readOnly whether state changes are refused
 * @param deploys whether the Operations view is served (the host gave deploy services)
 * @param templates whether the Templates view is served (the host gave run templates)
 * @param specKit whether the Spec Kit view is served
 * @param audit whether the audit log is kept and shown
 */
public record Frame(
    String title,
    String base,
    String user,
    String csrf,
    long queued,
    long running,
    long stale,
    String section,
    boolean readOnly,
    boolean deploys,
    boolean templates,
    boolean specKit,
    boolean audit) {

  /** Whether the header shows queue counts. */
  public boolean hasQueue() {
    return queued >= 0;
  }

  /** {@code aria-current} for a navigation entry: {@code page} when current, else null. */
  public String current(String entry) {
    return entry.equals(section) ? "page" : null;
  }
}
