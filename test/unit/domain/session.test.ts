import { Session } from "../../../src/domain/session/session";
import { addSeconds, DEFAULT_SESSION_POLICY, SessionPolicy } from "../../../src/domain/session/session-policy";

const policy = new SessionPolicy({
  maxAgeSeconds: 1000,
  idleTimeoutSeconds: 300,
  rotateAfterSeconds: 100,
  rotationGraceSeconds: 10,
  touchIntervalSeconds: 60,
  maxActivePerUser: 50,
});
const t0 = new Date("2030-01-01T00:00:00Z");
const at = (seconds: number) => addSeconds(t0, seconds);

function newSession(): Session {
  return Session.create({ id: "s1", userId: "u1", userAgent: "ua", ip: "198.51.100.1" }, policy, t0);
}

describe("SessionPolicy", () => {
  it("refuses limits that make no sense", () => {
    expect(() => new SessionPolicy({ ...DEFAULT_SESSION_POLICY, maxAgeSeconds: 0 })).toThrow(RangeError);
    expect(() => new SessionPolicy({ ...DEFAULT_SESSION_POLICY, idleTimeoutSeconds: Number.NaN })).toThrow(RangeError);
    expect(() => new SessionPolicy({ ...DEFAULT_SESSION_POLICY, rotationGraceSeconds: -1 })).toThrow(RangeError);
    expect(() => new SessionPolicy({ ...DEFAULT_SESSION_POLICY, touchIntervalSeconds: -1 })).toThrow(RangeError);
    expect(new SessionPolicy().settings).toBe(DEFAULT_SESSION_POLICY);
  });
});

describe("Session", () => {
  it("is active when new, with an absolute expiry fixed at sign-in", () => {
    const session = newSession();
    expect(session.statusAt(t0, policy)).toBe("active");
    expect(session.isActive(t0, policy)).toBe(true);
    expect(session.expiresAt).toEqual(at(1000));
    expect(session.authenticatedAt).toEqual(t0);
    expect([session.userAgent, session.ip, session.revokedAt, session.rotatedAt, session.replacedBy]).toEqual([
      "ua",
      "198.51.100.1",
      null,
      null,
      null,
    ]);
  });

  it("goes idle without use and expires absolutely despite use", () => {
    const session = newSession();
    expect(session.statusAt(at(300), policy)).toBe("idle");
    for (let s = 250; s < 1000; s += 250) session.touch(at(s));
    expect(session.statusAt(at(999), policy)).toBe("active");
    expect(session.statusAt(at(1000), policy)).toBe("expired");
    expect(session.endsAt(policy)).toEqual(at(1000));
  });

  it("ends at the idle limit when that comes first", () => {
    expect(newSession().endsAt(policy)).toEqual(at(300));
  });

  it("is revoked from the moment of revocation, and the first revocation counts", () => {
    const session = newSession();
    session.revoke(at(5));
    session.revoke(at(9));
    expect(session.revokedAt).toEqual(at(5));
    expect(session.statusAt(at(4), policy)).toBe("active");
    expect(session.statusAt(at(5), policy)).toBe("revoked");
  });

  it("needs rotation after its age, and a rotated session is in grace, then out", () => {
    const session = newSession();
    expect(session.needsRotation(at(99), policy)).toBe(false);
    expect(session.needsRotation(at(100), policy)).toBe(true);
    const successor = session.rotate("s2", at(100));
    expect(session.replacedBy).toBe("s2");
    expect(session.needsRotation(at(200), policy)).toBe(false);
    expect(session.statusAt(at(109), policy)).toBe("rotated-in-grace");
    expect(session.statusAt(at(110), policy)).toBe("rotated-out");
    expect(successor.id).toBe("s2");
    expect(successor.createdAt).toEqual(at(100));
    expect(successor.authenticatedAt).toEqual(t0);
    expect(successor.expiresAt).toEqual(session.expiresAt);
    expect(successor.statusAt(at(109), policy)).toBe("active");
  });

  it("is touched only forward and only when due", () => {
    const longIdle = new SessionPolicy({ ...policy.settings, idleTimeoutSeconds: 900 });
    const session = newSession();
    expect(session.needsTouch(at(59), longIdle)).toBe(false);
    expect(session.needsTouch(at(60), longIdle)).toBe(true);
    session.touch(at(60));
    session.touch(at(30));
    expect(session.lastSeenAt).toEqual(at(60));
  });

  it("is touched within a tenth of a short idle limit, so an active user never goes idle", () => {
    const shortIdle = new SessionPolicy({ ...policy.settings, idleTimeoutSeconds: 60, touchIntervalSeconds: 60 });
    const session = newSession();
    expect(session.needsTouch(at(5), shortIdle)).toBe(false);
    expect(session.needsTouch(at(6), shortIdle)).toBe(true);
    session.touch(at(6));
    expect(session.statusAt(at(65), shortIdle)).toBe("active");
  });

  it("round-trips through a snapshot without sharing state", () => {
    const session = newSession();
    const copy = Session.restore(session.toSnapshot());
    copy.revoke(t0);
    expect(session.revokedAt).toBeNull();
    expect(copy.userId).toBe("u1");
    expect(copy.createdAt).toEqual(t0);
  });
});
