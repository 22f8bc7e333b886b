package dev.tollgate.speckit.internal.tasks;

/** Something a dependency statement can name: a task or a group (phase). */
sealed interface Node permits Task, Group {}
