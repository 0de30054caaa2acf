import { formatUserCode, normaliseUserCode, USER_CODE_ALPHABET, userCodeFromRandomHex } from "../../../src/domain/device/user-code";
import { NodeRandomTokens } from "../../../src/infrastructure/crypto/node-random-tokens";

describe("user codes", () => {
  it("are 8 letters of BCDFGHJKLMNPQRSTVWXZ, shown as XXXX-XXXX", () => {
    const random = new NodeRandomTokens();
    for (let i = 0; i < 200; i++) {
      const code = userCodeFromRandomHex(random.hash(random.newSecret()));
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      expect(formatUserCode(code)).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    }
    expect(USER_CODE_ALPHABET).toBe("BCDFGHJKLMNPQRSTVWXZ");
  });

  it("match case-insensitively, ignoring dashes and spaces", () => {
    expect(normaliseUserCode("wdjb-mjht")).toBe("WDJBMJHT");
    expect(normaliseUserCode(" WDJB MJHT ")).toBe("WDJBMJHT");
    expect(normaliseUserCode("wd-jb-mj-ht")).toBe("WDJBMJHT");
  });

  it.each([["a vowel", "WDJB-MJHA"], ["a digit", "WDJB-MJH1"], ["too short", "WDJB-MJH"], ["too long", "WDJB-MJHTX"], ["not text", 42], ["huge", "B".repeat(1000)]])(
    "refuse %s",
    (_label, input) => {
      expect(normaliseUserCode(input)).toBeNull();
    },
  );

  it("draw every letter alike (bytes over 239 are skipped)", () => {
    expect(userCodeFromRandomHex("f0f1ff" + "00".repeat(8))).toBe("BBBBBBBB");
    expect(userCodeFromRandomHex("13".repeat(8))).toBe("ZZZZZZZZ");
    expect(() => userCodeFromRandomHex("ff".repeat(32))).toThrow(RangeError);
  });
});
