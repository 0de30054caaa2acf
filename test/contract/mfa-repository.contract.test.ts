import type { PasswordHash } from "../../src/domain/identity/password";
import { RecoveryCode } from "../../src/domain/mfa/recovery-code";
import { TotpFactor } from "../../src/domain/mfa/totp-factor";
import { createTypeOrmStores, deriveOutboxKey } from "../../src/infrastructure/persistence/typeorm";
import { aToken, aUser, newId } from "./support/fixtures";
import { eachAdapter, OUTBOX_SECRET, persistenceAdapters, usePersistence } from "./support/persistence-adapters";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

describe.each(eachAdapter(persistenceAdapters()))("MfaRepository (second factor) on %s", (name, adapter) => {
  const ctx = usePersistence(adapter);

  async function aUserId(): Promise<string> {
    const user = aUser(ctx.clock.now());
    await ctx.stores.users.insert(user);
    return user.id;
  }

  async function enabledFactor(step = 100): Promise<string> {
    const userId = await aUserId();
    expect(await ctx.stores.secondFactors.savePending(TotpFactor.pending({ userId, secret: SECRET }, ctx.clock.now()))).toBe(true);
    expect(await ctx.stores.secondFactors.enable(userId, step, ctx.clock.now())).toBe(true);
    return userId;
  }

  const codes = (userId: string, n: number, lookup = "abcd") =>
    Array.from({ length: n }, (_, i) =>
      RecoveryCode.create({ id: newId("rc"), userId, code: `${lookup}${String(i).padStart(12, "0")}`, codeHash: `hash-${i}` as PasswordHash }, ctx.clock.now()),
    );

  it("keeps a pending factor, replaces it with a newer one, and turns it on once", async () => {
    const userId = await aUserId();
    expect(await ctx.stores.secondFactors.findTotp(userId)).toBeNull();
    expect(await ctx.stores.secondFactors.savePending(TotpFactor.pending({ userId, secret: "AAAAAAAAAAAAAAAA" }, ctx.clock.now()))).toBe(true);
    const newer = TotpFactor.pending({ userId, secret: SECRET }, ctx.clock.advance(5));
    expect(await ctx.stores.secondFactors.savePending(newer)).toBe(true);
    expect((await ctx.stores.secondFactors.findTotp(userId))?.toSnapshot()).toEqual(newer.toSnapshot());

    // Not yet on: no step can be recorded.
    expect(await ctx.stores.secondFactors.recordTotpStep(userId, 5)).toBe(false);
    const at = ctx.clock.advance(5);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => ctx.uow.run((s) => s.secondFactors.enable(userId, 42, at))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect((await ctx.stores.secondFactors.findTotp(userId))?.toSnapshot()).toEqual({ ...newer.toSnapshot(), enabledAt: at, lastUsedStep: 42 });
    // An enabled factor is never overwritten by a new set-up.
    expect(await ctx.stores.secondFactors.savePending(TotpFactor.pending({ userId, secret: "BBBBBBBBBBBBBBBB" }, at))).toBe(false);
    expect((await ctx.stores.secondFactors.findTotp(userId))?.secret).toBe(SECRET);
  });

  it("records only later steps, and lets exactly one of 20 simultaneous units of work record the same step", async () => {
    const userId = await enabledFactor(100);
    expect(await ctx.stores.secondFactors.recordTotpStep(userId, 100)).toBe(false);
    expect(await ctx.stores.secondFactors.recordTotpStep(userId, 99)).toBe(false);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => ctx.uow.run((s) => s.secondFactors.recordTotpStep(userId, 101))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect((await ctx.stores.secondFactors.findTotp(userId))?.lastUsedStep).toBe(101);
    // A step beyond 2^31 (time steps are bigint in the table) survives the round trip.
    expect(await ctx.stores.secondFactors.recordTotpStep(userId, 3_000_000_000)).toBe(true);
    expect((await ctx.stores.secondFactors.findTotp(userId))?.lastUsedStep).toBe(3_000_000_000);
  });

  it("replaces the whole set of recovery codes, finds unused ones by lookup, and spends each once (also under concurrency)", async () => {
    const userId = await enabledFactor();
    const other = await enabledFactor();
    const old = codes(userId, 10, "oldd");
    await ctx.stores.secondFactors.replaceRecoveryCodes(userId, old);
    await ctx.stores.secondFactors.replaceRecoveryCodes(other, codes(other, 10));
    const fresh = codes(userId, 10);
    await ctx.stores.secondFactors.replaceRecoveryCodes(userId, fresh);

    expect(await ctx.stores.secondFactors.findUnusedRecoveryCodes(userId, "oldd")).toEqual([]);
    const found = await ctx.stores.secondFactors.findUnusedRecoveryCodes(userId, "abcd");
    expect(found.map((c) => c.id).sort()).toEqual(fresh.map((c) => c.id).sort());
    expect(found.find((c) => c.id === fresh[0]!.id)?.toSnapshot()).toEqual(fresh[0]!.toSnapshot());
    expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(userId)).toBe(10);

    const at = ctx.clock.advance(1);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => ctx.uow.run((s) => s.secondFactors.useRecoveryCode(fresh[0]!.id, at))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(userId)).toBe(9);
    expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(other)).toBe(10);
    expect((await ctx.stores.secondFactors.findUnusedRecoveryCodes(userId, "abcd")).map((c) => c.id)).not.toContain(fresh[0]!.id);
  });

  it("removes the factor with its codes, and both go with the user", async () => {
    const userId = await enabledFactor();
    await ctx.stores.secondFactors.replaceRecoveryCodes(userId, codes(userId, 3));
    expect(await ctx.stores.secondFactors.remove(userId)).toBe(true);
    expect(await ctx.stores.secondFactors.findTotp(userId)).toBeNull();
    expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(userId)).toBe(0);
    expect(await ctx.stores.secondFactors.remove(userId)).toBe(false);

    const gone = await enabledFactor();
    await ctx.stores.secondFactors.replaceRecoveryCodes(gone, codes(gone, 3));
    await ctx.stores.users.delete(gone);
    expect(await ctx.stores.secondFactors.findTotp(gone)).toBeNull();
    expect(await ctx.stores.secondFactors.countUnusedRecoveryCodes(gone)).toBe(0);
  });

  it("keeps sign-in challenges with the tokens: found by hash, consumed once by 20 simultaneous units of work", async () => {
    const token = aToken(await aUserId(), ctx.clock.now(), { purpose: "sign-in-challenge" });
    await ctx.stores.signInChallenges.insert(token);
    expect((await ctx.stores.signInChallenges.findByHash(token.tokenHash))?.id).toBe(token.id);
    const at = ctx.clock.advance(1);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => ctx.uow.run((s) => s.signInChallenges.consume(token.id, at))));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
  });

  if (adapter.sql) {
    it("keeps the seed only sealed (AES-256-GCM, bound to the user), and opens it after a secret rotation", async () => {
      const userId = await enabledFactor();
      const [row] = await ctx.dataSource!.query(`SELECT secret_sealed FROM totp_factors WHERE user_id = $1`, [userId]);
      const sealed: Buffer = row.secret_sealed;
      expect(sealed.length).toBe(12 + 16 + SECRET.length);
      expect(sealed.toString("latin1")).not.toContain(SECRET);

      // A sealed seed copied to another user's row does not open there.
      const thief = await enabledFactor();
      await ctx.dataSource!.query(`UPDATE totp_factors SET secret_sealed = $2 WHERE user_id = $1`, [thief, sealed]);
      await expect(ctx.stores.secondFactors.findTotp(thief)).rejects.toThrow();

      // Rotated: the new secret is current, the old one previous; the seed opens and is sealed anew.
      const NEW = "a-brand-new-application-secret-of-32-bytes!";
      const rotated = createTypeOrmStores(ctx.dataSource!, { clock: ctx.clock, outboxKey: deriveOutboxKey(NEW), seedSecrets: [NEW, OUTBOX_SECRET] });
      expect((await rotated.stores.secondFactors.findTotp(userId))?.secret).toBe(SECRET);
      const onlyNew = createTypeOrmStores(ctx.dataSource!, { clock: ctx.clock, outboxKey: deriveOutboxKey(NEW), seedSecrets: [NEW] });
      expect((await onlyNew.stores.secondFactors.findTotp(userId))?.secret).toBe(SECRET);
    });
  }

  void name;
});
