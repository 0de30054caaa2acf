import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DataSource } from "typeorm";
import { createDataSource, runMigrations } from "../../src/infrastructure/persistence/typeorm";
import { createTestDatabase, postgresAvailable } from "../support/postgres";
import { spawnEmbeddedPostgres } from "./support/embedded-process";
import { EMBEDDED_POOL_SIZE } from "../../src/infrastructure/persistence/embedded/embedded-pool";
import { MIGRATIONS } from "../../src/infrastructure/persistence/migrations";
import { EmailSkeleton1765600000000 } from "../../src/infrastructure/persistence/migrations/1765600000000-email-skeleton";

/** Every migration the product ships, in the order they must have run (the list is in timestamp order). */
const MIGRATION_NAMES = MIGRATIONS.map((migration) => ({ name: new migration().name! }));

interface Server {
  url: string;
  /** Connections per DataSource: one on the embedded server, as the app uses it. */
  poolSize: number;
  stop(): Promise<void>;
}

const servers: Array<[string, () => Promise<Server>]> = [
  // Several DataSources stand for several instances here, hence more connections than the app's one.
  ["embedded PGlite", async () => ({ ...(await spawnEmbeddedPostgres({ maxConnections: 10 })), poolSize: EMBEDDED_POOL_SIZE })],
];
if (postgresAvailable()) {
  servers.push([
    "PostgreSQL",
    async () => {
      const db = await createTestDatabase("schema");
      return { url: db.url, poolSize: 3, stop: db.drop };
    },
  ]);
}

describe.each(servers)("Migrations on %s", (_name, start) => {
  let server: Server;
  const open: DataSource[] = [];

  async function connect(): Promise<DataSource> {
    const dataSource = createDataSource({ url: server.url, poolSize: server.poolSize });
    await dataSource.initialize();
    open.push(dataSource);
    return dataSource;
  }

  beforeAll(async () => {
    server = await start();
  }, 180_000);
  afterAll(async () => {
    for (const ds of open) if (ds.isInitialized) await ds.destroy();
    await server?.stop();
  }, 60_000);

  it("build the schema on an empty database once; running them again changes nothing", async () => {
    // Connected one after the other: on the embedded server two connections' statements must never overlap.
    const a = await connect();
    const b = await connect();
    // Two instances starting together: one migrates, the other waits and finds nothing to do.
    const applied = await Promise.all([runMigrations(a), runMigrations(b)]);
    expect(applied.sort()).toEqual([0, MIGRATIONS.length]);
    expect(await runMigrations(a)).toBe(0);
    const rows = await a.query(`SELECT name FROM migrations ORDER BY id`);
    expect(rows).toEqual(MIGRATION_NAMES);
  });

  it("match the persistence models exactly (nothing for migration:generate to add)", async () => {
    const ds = await connect();
    await runMigrations(ds);
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it("create the indexes the queries rely on", async () => {
    const ds = await connect();
    await runMigrations(ds);
    const rows: Array<{ indexname: string; indexdef: string }> = await ds.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()`,
    );
    const defs = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef.replace(/public\./g, "")]));
    expect(defs.users_email_key).toMatch(/CREATE UNIQUE INDEX users_email_key ON users USING btree \(email\)/);
    expect(defs.users_email_skeleton_key).toMatch(/CREATE UNIQUE INDEX users_email_skeleton_key ON users USING btree \(email_skeleton\)/);
    expect(defs.sessions_user_id_idx).toMatch(/ON sessions USING btree \(user_id\)/);
    expect(defs.verification_tokens_token_hash_key).toMatch(/UNIQUE INDEX .* ON verification_tokens USING btree \(token_hash\)/);
    expect(defs.api_keys_prefix_key).toMatch(/UNIQUE INDEX .* ON api_keys USING btree \(prefix\)/);
    expect(defs.device_tokens_prefix_key).toMatch(/UNIQUE INDEX .* ON device_tokens USING btree \(prefix\)/);
    expect(defs.device_tokens_authorization_id_key).toMatch(/UNIQUE INDEX .* ON device_tokens USING btree \(authorization_id\)/);
    expect(defs.device_authorizations_device_code_hash_key).toMatch(/UNIQUE INDEX .* ON device_authorizations USING btree \(device_code_hash\)/);
    expect(defs.device_authorizations_user_code_key).toMatch(/UNIQUE INDEX .* ON device_authorizations USING btree \(user_code\)/);
    expect(defs.outbox_due_idx).toMatch(/ON outbox USING btree \(next_attempt_at\) WHERE \(sent_at IS NULL\)/);
    expect(defs.auth_events_user_id_at_idx).toMatch(/ON auth_events USING btree \(user_id, at\)/);
    expect(defs.rate_limits_pkey).toMatch(/UNIQUE INDEX rate_limits_pkey ON rate_limits USING btree \(key\)/);
    expect(defs.team_memberships_pkey).toMatch(/UNIQUE INDEX team_memberships_pkey ON team_memberships USING btree \(team_id, user_id\)/);
    expect(defs.team_memberships_user_id_idx).toMatch(/ON team_memberships USING btree \(user_id\)/);
    expect(defs.team_invitations_token_hash_key).toMatch(/UNIQUE INDEX .* ON team_invitations USING btree \(token_hash\)/);
    expect(defs.team_invitations_team_id_email_idx).toMatch(/ON team_invitations USING btree \(team_id, email\)/);
    expect(defs.totp_factors_pkey).toMatch(/UNIQUE INDEX totp_factors_pkey ON totp_factors USING btree \(user_id\)/);
    expect(defs.recovery_codes_user_id_lookup_idx).toMatch(/ON recovery_codes USING btree \(user_id, lookup\)/);
    expect(defs.passkeys_credential_id_key).toMatch(/UNIQUE INDEX .* ON passkeys USING btree \(credential_id\)/);
    expect(defs.passkeys_user_id_idx).toMatch(/ON passkeys USING btree \(user_id\)/);
    expect(defs.passkey_challenges_pkey).toMatch(/UNIQUE INDEX passkey_challenges_pkey ON passkey_challenges USING btree \(challenge\)/);
    expect(defs.auth_events_team_id_idx).toMatch(/ON auth_events USING btree \(\(\(detail ->> 'teamId'::text\)\), seq\)/);
    // Retention's batched deletes and the bounded sessions list.
    expect(defs.sessions_user_live_idx).toMatch(/ON sessions USING btree \(user_id, expires_at\) WHERE \(\(revoked_at IS NULL\) AND \(rotated_at IS NULL\)\)/);
    expect(defs.sessions_expires_at_idx).toMatch(/ON sessions USING btree \(expires_at\)/);
    expect(defs.sessions_revoked_at_idx).toMatch(/ON sessions USING btree \(revoked_at\) WHERE \(revoked_at IS NOT NULL\)/);
    expect(defs.verification_tokens_expires_at_idx).toMatch(/ON verification_tokens USING btree \(expires_at\)/);
    expect(defs.device_tokens_expires_at_idx).toMatch(/ON device_tokens USING btree \(expires_at\)/);
    expect(defs.outbox_sent_at_idx).toMatch(/ON outbox USING btree \(sent_at\) WHERE \(sent_at IS NOT NULL\)/);
    expect(defs.outbox_failed_at_idx).toMatch(/ON outbox USING btree \(failed_at\) WHERE \(failed_at IS NOT NULL\)/);
    expect(defs.auth_events_at_idx).toMatch(/ON auth_events USING btree \(at\)/);
    expect(defs.leases_pkey).toMatch(/UNIQUE INDEX leases_pkey ON leases USING btree \(name\)/);
    expect(defs.team_subscriptions_pkey).toMatch(/UNIQUE INDEX team_subscriptions_pkey ON team_subscriptions USING btree \(team_id\)/);
    expect(defs.team_subscriptions_customer_id_idx).toMatch(/ON team_subscriptions USING btree \(customer_id\)/);
    expect(defs.billing_events_pkey).toMatch(/UNIQUE INDEX billing_events_pkey ON billing_events USING btree \(id\)/);
  });

  it("give existing users their address's skeleton, oldest first; a later look-alike is left without one", async () => {
    const ds = await connect();
    await runMigrations(ds);
    const after = MIGRATIONS.length - MIGRATIONS.indexOf(EmailSkeleton1765600000000);
    for (let i = 0; i < after; i++) await ds.undoLastMigration({ transaction: "each" });
    const cyrillicApple = "\u0430\u0440\u0440\u04cf\u0435@example.com";
    const users: Array<[string, string, string]> = [
      ["u-latin", "apple@example.com", "2025-01-01T00:00:00Z"],
      ["u-cyrillic", cyrillicApple, "2025-02-01T00:00:00Z"],
      ["u-other", "\u0436\u0443\u043a@example.com", "2025-03-01T00:00:00Z"],
    ];
    for (const [id, email, at] of users) {
      await ds.query(
        `INSERT INTO users (id, email, password_hash, email_verified_at, password_changed_at, created_at) VALUES ($1, $2, 'h', NULL, $3, $3)`,
        [id, email, at],
      );
    }
    expect(await runMigrations(ds)).toBe(after);
    expect(await ds.query(`SELECT id, email_skeleton FROM users ORDER BY id`)).toEqual([
      { id: "u-cyrillic", email_skeleton: null },
      { id: "u-latin", email_skeleton: "apple@example.com" },
      { id: "u-other", email_skeleton: "\u0436y\u0138@example.com" },
    ]);
    await ds.query(`DELETE FROM users`);
  });

  it("can be reverted and applied again", async () => {
    const ds = await connect();
    await runMigrations(ds);
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: "each" });
    expect(await ds.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'migrations'`)).toEqual([
      { n: 0 },
    ]);
    expect(await runMigrations(ds)).toBe(MIGRATIONS.length);
  });
});

describe("The embedded database on disk", () => {
  it("keeps its data and its migration history across restarts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "embedded-"));
    try {
      const { stdout, status, stderr } = spawnSync(
        process.execPath,
        ["--import", "tsx", join(__dirname, "support/open-database-check.ts"), join(dir, "pglite")],
        { cwd: join(__dirname, "../.."), encoding: "utf8", timeout: 90_000 },
      );
      expect({ status, stderr: status === 0 ? "" : stderr }).toEqual({ status: 0, stderr: "" });
      expect(JSON.parse(stdout.trim())).toEqual({
        embedded: true,
        email: "persisted@example.com",
        migrations: MIGRATION_NAMES,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
