import { IsOptional, IsString, Matches, MaxLength, MinLength } from "class-validator";

/**
 * Request bodies: types and gross bounds only. The rules of an e-mail address or a password live in
 * the domain (Email, Password) and come back as INVALID_EMAIL / WEAK_PASSWORD with a field.
 */

const mustBeString = { message: "Must be a string." };
// A bound well above every real value, so an absurd one is refused before it reaches the core.
const LONG = 1024;

export class CredentialsBody {
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) email!: string;
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) password!: string;
}

export class TokenBody {
  @IsString(mustBeString) @MinLength(1, { message: "Required." }) @MaxLength(512, { message: "Too long." }) token!: string;
}

export class EmailBody {
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) email!: string;
}

export class NewEmailBody {
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) newEmail!: string;
}

export class ResetPasswordBody {
  @IsString(mustBeString) @MinLength(1, { message: "Required." }) @MaxLength(512, { message: "Too long." }) token!: string;
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) password!: string;
}

export class ChangePasswordBody {
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) currentPassword!: string;
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) newPassword!: string;
}

export class PasswordBody {
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) password!: string;
}

export class ApiKeyBody {
  @IsString(mustBeString)
  @Matches(/\S/, { message: "Enter a name." })
  @MaxLength(100, { message: "Use at most 100 characters." })
  name!: string;
}

export class TeamNameBody {
  @IsString(mustBeString)
  @Matches(/\S/, { message: "Enter a name." })
  @MaxLength(100, { message: "Use at most 100 characters." })
  name!: string;
}

/** The role's allowed values are the domain's (VALIDATION_FAILED with a `role` field otherwise). */
export class InvitationBody {
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) email!: string;
  @IsString(mustBeString) @MaxLength(32, { message: "Too long." }) role!: string;
}

export class RoleBody {
  @IsString(mustBeString) @MaxLength(32, { message: "Too long." }) role!: string;
}

/** A TOTP code from the app; its format (six digits) is the domain's, refused as INVALID_MFA_CODE. */
export class TotpCodeBody {
  @IsString(mustBeString) @MaxLength(64, { message: "Too long." }) code!: string;
}

/** Step-up: the password, and with a second factor on a code from the app or a recovery code. */
export class ReauthenticateBody {
  @IsString(mustBeString) @MaxLength(LONG, { message: "Too long." }) password!: string;
  @IsOptional() @IsString(mustBeString) @MaxLength(64, { message: "Too long." }) code?: string;
  @IsOptional() @IsString(mustBeString) @MaxLength(64, { message: "Too long." }) recoveryCode?: string;
}

/** `{code}` or `{recoveryCode}`: exactly one of them (see `secondFactorProof`). */
export class SecondFactorBody {
  @IsOptional() @IsString(mustBeString) @MaxLength(64, { message: "Too long." }) code?: string;
  @IsOptional() @IsString(mustBeString) @MaxLength(64, { message: "Too long." }) recoveryCode?: string;
}

/** The plan's name only: what it costs is the payment provider's, from configuration. */
export class PlanBody {
  @IsString(mustBeString) @MaxLength(32, { message: "Too long." }) plan!: string;
}
