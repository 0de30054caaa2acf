// Apart from embedded-postgres.ts so that code which only sizes a pool (tests included) does not load PGlite.

/** The pool in front of the embedded server: one connection, so no two statements interleave (embedded-postgres.ts says why). */
export const EMBEDDED_POOL_SIZE = 1;
/** One more than the pool, for a connection that replaces a broken one while the server still counts the old. */
export const EMBEDDED_MAX_CONNECTIONS = EMBEDDED_POOL_SIZE + 1;
