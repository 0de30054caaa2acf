import { InitialSchema1764150000000 } from "./1764150000000-initial-schema";
import { DeviceAuthorization1764160000000 } from "./1764160000000-device-authorization";
import { Teams1765100000000 } from "./1765100000000-teams";
import { OutboxFailedMail1765170000000 } from "./1765170000000-outbox-failed-mail";
import { SessionStepUp1765150000000 } from "./1765150000000-session-step-up";
import { Billing1765200000000 } from "./1765200000000-billing";
import { Retention1765300000000 } from "./1765300000000-retention";
import { SecondFactor1765400000000 } from "./1765400000000-second-factor";
import { Passkeys1765500000000 } from "./1765500000000-passkeys";
import { EmailSkeleton1765600000000 } from "./1765600000000-email-skeleton";

/**
 * Listed by class rather than found by a file glob, so bundlers (Next.js) and the TypeORM CLI see
 * the same set. Append new migrations here.
 */
export const MIGRATIONS = [
  InitialSchema1764150000000,
  DeviceAuthorization1764160000000,
  Teams1765100000000,
  SessionStepUp1765150000000,
  OutboxFailedMail1765170000000,
  Billing1765200000000,
  Retention1765300000000,
  SecondFactor1765400000000,
  Passkeys1765500000000,
  EmailSkeleton1765600000000,
];
