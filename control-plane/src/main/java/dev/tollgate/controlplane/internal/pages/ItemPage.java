package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * A work item's page: what it is, where it stands, whether the queue's view is fresh, its prompt
 * context and every action with its gates.
 *
 * @param frame the frame
 * @param id the item's id
 * @param title its title
 * @param fields its lifecycle and execution context
 * @param freshness the freshness verdict line, or empty
 * @param drift signals that the item and the repository disagree, with guidance
 * @param blockers its blockers, one line each
 * @param promptPath the prompt file, or empty
 * @param promptText the prompt's text (at most 64 KiB), or a note why it is not shown
 * @param actions its actions
 * @param notice the outcome of the action just performed or refused, or empty
 * @param noticeBlocked whether that notice is a refusal
 * @param edit the form that changes its fields
 */
public record ItemPage(
    Frame frame,
    String id,
    String title,
    List<Field> fields,
    String freshness,
    List<Field> drift,
    List<String> blockers,
    String promptPath,
    String promptText,
    List<ActionCard> actions,
    String notice,
    boolean noticeBlocked,
    ItemEdit edit) {}
