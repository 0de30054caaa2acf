import { DeviceAuthorization } from "../../../src/domain/device/device-authorization";
import { DeviceToken } from "../../../src/domain/device/device-token";
import { Team } from "../../../src/domain/team/team";
import { SessionPolicy, DEFAULT_SESSION_POLICY } from "../../../src/domain/session/session-policy";

/** Guards that keep a misconfiguration from producing codes, tokens or sessions that never expire or are born dead. */
describe("Domain invariants on configuration and names", () => {
  const now = new Date("2026-01-01T00:00:00Z");

  it.each([0, -1, Number.NaN])("refuses a device code or device token living %p seconds", (ttl) => {
    const props = { id: "a1", deviceCodeHash: "h", userCode: "BCDFGHJK", clientId: "cli", scope: null, requestIp: null };
    expect(() => DeviceAuthorization.create(props, now, ttl)).toThrow(RangeError);
    expect(() => DeviceToken.create({ id: "t1", userId: "u1", authorizationId: "a1", clientId: "cli", clientName: "CLI", prefix: "p", secretHash: "h", ip: null }, now, ttl)).toThrow(RangeError);
  });

  it("expires a device code after its lifetime", () => {
    const props = { id: "a1", deviceCodeHash: "h", userCode: "BCDFGHJK", clientId: "cli", scope: null, requestIp: null };
    const authorization = DeviceAuthorization.create(props, now, 60);
    expect(authorization.secondsLeft(now)).toBe(60);
    expect(authorization.secondsLeft(new Date(now.getTime() + 61_000))).toBe(0);
  });

  it.each([0, 1.5, -3])("refuses a session policy allowing %p live sessions per user", (maxActivePerUser) => {
    expect(() => new SessionPolicy({ ...DEFAULT_SESSION_POLICY, maxActivePerUser })).toThrow(RangeError);
  });

  it("never holds a team with a blank, over-long or control-character name, not even after a rename", () => {
    expect(() => Team.create({ id: "t1", name: " " }, now)).toThrow(RangeError);
    const team = Team.create({ id: "t1", name: "  Ops " }, now);
    expect(team.name).toBe("Ops");
    expect(() => team.rename("x".repeat(101))).toThrow(RangeError);
    expect(() => team.rename("a\u0000b")).toThrow(RangeError);
    expect(team.name).toBe("Ops");
    team.rename("Platform");
    expect(team.toSnapshot()).toEqual({ id: "t1", name: "Platform", createdAt: now });
  });
});
