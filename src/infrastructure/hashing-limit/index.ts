export { ConcurrencyLimit, type ConcurrencyLimitOptions, type ConcurrencyLimitStats } from "./concurrency-limit";
export { ConcurrencyLimitedPasswordHasher, type HashingLoad, defaultHashingLimit, eventLoopBusy, hashingLimitFromEnv } from "./limited-password-hasher";
export { Overloaded } from "./overloaded";
