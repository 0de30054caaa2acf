import type { Stores } from "../../../../src/infrastructure/persistence/stores";

/** Counts calls that reach the real session and user stores, i.e. queries a database would run. */
export function countingStores<S extends Stores>(stores: S): { stores: S; reads: () => number; reset: () => void } {
  let reads = 0;
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (typeof property === "string" && property.startsWith("find")) reads++;
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  return {
    stores: { ...stores, sessions: wrap(stores.sessions), users: wrap(stores.users) },
    reads: () => reads,
    reset: () => {
      reads = 0;
    },
  };
}
