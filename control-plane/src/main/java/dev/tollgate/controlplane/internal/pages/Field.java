package dev.tollgate.controlplane.internal.pages;

/**
 * A label and its value, shown as one row of a definition list.
 *
 * @param label what it is
 * @param value its text; empty shows a dash
 */
public record Field(String label, String value) {}
