/**
 * The PostgreSQL side of Tollgate: the shipped schema migrations ({@link
 * dev.tollgate.core.postgres.Migrations}) and the factories of the PostgreSQL run queue and deploy
 * store. The SQL itself lives in an internal JDBC package.
 */
package dev.tollgate.core.postgres;
