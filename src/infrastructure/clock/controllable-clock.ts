import type { Clock } from "../../application/shared/ports/clock.port";

/** A clock that moves only when told to, so expiry, idle and rotation can be tested without waiting. */
export class ControllableClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2030-01-01T00:00:00.000Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(by: { seconds?: number; minutes?: number; hours?: number; days?: number } | number): Date {
    const seconds =
      typeof by === "number"
        ? by
        : (by.seconds ?? 0) + (by.minutes ?? 0) * 60 + (by.hours ?? 0) * 3600 + (by.days ?? 0) * 86400;
    this.current += seconds * 1000;
    return this.now();
  }
}
