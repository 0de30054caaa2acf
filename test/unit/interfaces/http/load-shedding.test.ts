import { shedLoad } from "../../../../src/interfaces/http/shared/load-shedding";

const busy = () => ({ retryAfterSeconds: 2.2 });
const idle = () => null;

describe("load shedding before Next.js routes a request", () => {
  it("answers a sign-in or sign-up with 503 OVERLOADED while hashing is at capacity, whatever the body", () => {
    for (const url of ["/api/auth/sign-in", "/api/auth/sign-up", "/api/auth/sign-in?x=1"]) {
      const answer = shedLoad("POST", url, busy);
      expect(answer).not.toBeNull();
      expect(answer!.status).toBe(503);
      expect(JSON.parse(answer!.body)).toEqual({ error: { code: "OVERLOADED", message: "The server is busy. Try again in a moment." } });
      expect(answer!.headers).toMatchObject({
        "Retry-After": "3",
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
      });
    }
  });

  it("leaves everything else to Next.js: other routes and methods, and any request while hashing has room", () => {
    expect(shedLoad("POST", "/api/auth/sign-in", idle)).toBeNull();
    for (const [method, url] of [
      ["GET", "/api/auth/sign-in"],
      ["POST", "/api/auth/sign-out"],
      ["POST", "/api/auth/password/reset"],
      ["POST", "/api/auth/sign-in/extra"],
      ["POST", "/sign-in"],
      [undefined, "/api/auth/sign-in"],
      ["POST", undefined],
    ] as const) {
      expect(shedLoad(method, url, busy)).toBeNull();
    }
  });

  it("never refuses before the product has booted (nothing is hashing then)", () => {
    expect(shedLoad("POST", "/api/auth/sign-in")).toBeNull();
  });
});
