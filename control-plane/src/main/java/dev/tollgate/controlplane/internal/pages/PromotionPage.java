package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * One promotion, followed live while its deploy runs: its status, what it ships where, the release
 * and backup that executed it, the last attempt, the buttons that move it on, and its deploy's log.
 *
 * @param frame the frame
 * @param id its id
 * @param status its status
 * @param fields environment, ref, commit, release, backup, last attempt
 * @param approveAction where Approve posts, or empty
 * @param deployAction where Deploy now posts, or empty
 * @param canDeploy whether the caller has the deploy scope
 * @param refused the gates of the last refused Deploy now, each with its result; empty when none
 * @param refusedRecovery the first refusing gate's recovery: cause, policy, next step, safe retry
 * @param notice what the last form did, or empty
 * @param followUrl the API URL the page polls while the deploy runs, or empty when nothing runs
 * @param log the deploy's log so far, when it has started
 * @param streamUrl where the log's live stream is, or empty before the deploy starts
 * @param runHref the log's run page, or empty
 */
public record PromotionPage(
    Frame frame,
    String id,
    String status,
    List<Field> fields,
    String approveAction,
    String deployAction,
    boolean canDeploy,
    List<ActionCard.GateRow> refused,
    List<Field> refusedRecovery,
    String notice,
    String followUrl,
    List<RunPage.LogLine> log,
    String streamUrl,
    String runHref) {}
