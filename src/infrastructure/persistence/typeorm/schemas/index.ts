import { ApiKeySchema } from "./api-key.schema";
import { BillingEventSchema, SubscriptionSchema } from "./billing.schema";
import { AuthEventSchema } from "./auth-event.schema";
import { DeviceAuthorizationSchema, DeviceTokenSchema } from "./device.schema";
import { LeaseSchema } from "./lease.schema";
import { OutboxMailSchema } from "./outbox-mail.schema";
import { PasskeyChallengeSchema, PasskeySchema } from "./passkey.schema";
import { RateLimitSchema } from "./rate-limit.schema";
import { SessionSchema } from "./session.schema";
import { RecoveryCodeSchema, TotpFactorSchema } from "./mfa.schema";
import { InvitationSchema, MembershipSchema, TeamSchema } from "./team.schema";
import { UserSchema } from "./user.schema";
import { VerificationTokenSchema } from "./verification-token.schema";

export const PERSISTENCE_SCHEMAS = [
  UserSchema,
  SessionSchema,
  VerificationTokenSchema,
  ApiKeySchema,
  TeamSchema,
  MembershipSchema,
  InvitationSchema,
  SubscriptionSchema,
  BillingEventSchema,
  DeviceAuthorizationSchema,
  DeviceTokenSchema,
  TotpFactorSchema,
  RecoveryCodeSchema,
  PasskeySchema,
  PasskeyChallengeSchema,
  OutboxMailSchema,
  AuthEventSchema,
  RateLimitSchema,
  LeaseSchema,
];
