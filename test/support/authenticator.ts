import { generate } from "otplib";

const PERIOD = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An authenticator app for tests against a running server on the real clock: each call hands out the
 * code of a time step after every step it handed out before (the server accepts each step once), one
 * step either side of now, keeping clear of steps about to leave the server's ±1 window; when none is
 * left it waits for the next step.
 */
export class TestAuthenticator {
  private last = -Infinity;

  constructor(readonly secret: string) {}

  async nextCode(): Promise<string> {
    for (;;) {
      const seconds = Date.now() / 1000;
      const current = Math.floor(seconds / PERIOD);
      const into = seconds - current * PERIOD;
      const candidates = [into < 15 ? current - 1 : null, current, current + 1].filter((s): s is number => s !== null);
      const step = candidates.find((s) => s > this.last);
      if (step !== undefined) {
        this.last = step;
        return generate({ secret: this.secret, epoch: step * PERIOD });
      }
      await sleep((current + 1) * PERIOD * 1000 - Date.now() + 200);
    }
  }

  /** The code of the step handed out last: what an attacker replaying it would send. */
  lastCode(): Promise<string> {
    return generate({ secret: this.secret, epoch: this.last * PERIOD });
  }
}
