/**
 * What the validator's rule packages share: a source file with line and column positions, the facts
 * read from a spec, and the data of the rule catalog. Depends on no other package of the validator.
 */
package dev.tollgate.speckit.internal.shared;
