package dev.tollgate.controlplane.internal.pages;

/**
 * A page that says one thing: a refusal, something not found, or a question to confirm.
 *
 * @param frame the frame
 * @param heading the heading
 * @param message the text
 * @param hint what to do, or empty
 * @param confirmAction where the confirm form posts, or empty for no form
 * @param confirmLabel the confirm button's label
 * @param backHref where "back" leads
 */
public record MessagePage(
    Frame frame,
    String heading,
    String message,
    String hint,
    String confirmAction,
    String confirmLabel,
    String backHref) {}
