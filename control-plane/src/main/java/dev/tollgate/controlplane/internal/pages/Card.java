package dev.tollgate.controlplane.internal.pages;

/**
 * One work item on the board.
 *
 * @param id the item's id
 * @param href the link to its page
 * @param title its title
 * @param owner its owner, or empty
 * @param priority its rank as text ({@code P1}), or empty
 * @param blocked whether an open blocker holds it
 * @param status its status label
 */
public record Card(
    String id,
    String href,
    String title,
    String owner,
    String priority,
    boolean blocked,
    String status) {}
