package dev.tollgate.controlplane.internal.pages;

/**
 * One run in a list.
 *
 * @param id its id
 * @param href its page
 * @param template its template
 * @param lane its lane
 * @param status its status
 * @param created when it was enqueued (ISO-8601)
 * @param message its final message, or empty
 */
public record RunRow(
    String id,
    String href,
    String template,
    String lane,
    String status,
    String created,
    String message) {}
