import { DEFAULT_CHANNEL } from "./broker-invalidation-bus";

/**
 * Triggers that send the cache's notice from inside the writing transaction, so PostgreSQL delivers
 * it exactly at commit, also when the app dies between its commit and its own publish, and also for
 * writes that do not go through the app (an operator's UPDATE). The app still publishes after its
 * commits (that is what Redis relies on); a notice arriving twice only costs a cache miss.
 *
 * One notice per row, not one per statement: a statement-level list could outgrow NOTIFY's 8000-byte
 * payload limit, and that error would roll back the revocation itself. PostgreSQL drops identical
 * notices within a transaction.
 */
export function invalidationTriggerSql(channel: string = DEFAULT_CHANNEL): { up: string[]; down: string[] } {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new RangeError(`invalid channel name ${channel}`);
  return {
    up: [
      `CREATE OR REPLACE FUNCTION "session_cache_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('${channel}', json_build_object('s', json_build_array(OLD.id))::text);
  ELSE
    PERFORM pg_notify('${channel}', json_build_object('u', json_build_array(OLD.id))::text);
  END IF;
  RETURN NULL;
END $$`,
      `CREATE OR REPLACE TRIGGER "sessions_cache_notify" AFTER UPDATE OR DELETE ON "sessions"
  FOR EACH ROW EXECUTE FUNCTION "session_cache_notify"()`,
      `CREATE OR REPLACE TRIGGER "users_cache_notify" AFTER UPDATE OR DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION "session_cache_notify"()`,
    ],
    down: [
      `DROP TRIGGER IF EXISTS "users_cache_notify" ON "users"`,
      `DROP TRIGGER IF EXISTS "sessions_cache_notify" ON "sessions"`,
      `DROP FUNCTION IF EXISTS "session_cache_notify"()`,
    ],
  };
}
