import { InvalidInput } from "../shared/domain-error";
import { fail, ok, type Result } from "../shared/result";

export interface TeamSnapshot {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

export const TEAM_NAME_MAX_LENGTH = 100;

/**
 * Control characters, or an unpaired surrogate that UTF-8 cannot carry: PostgreSQL refuses a NUL byte
 * (a 500), and a lone surrogate would be stored as another name than the one shown back.
 */
const NOT_PLAIN_TEXT = /[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A team's name as people type it: trimmed, 1 to 100 characters, plain text. */
export function teamName(raw: unknown): Result<string, InvalidInput> {
  const name = typeof raw === "string" ? raw.trim() : "";
  if (name.length === 0 || name.length > TEAM_NAME_MAX_LENGTH || NOT_PLAIN_TEXT.test(name)) {
    const message = `Name the team in 1 to ${TEAM_NAME_MAX_LENGTH} characters, without control characters.`;
    return fail(new InvalidInput(message, { name: message }));
  }
  return ok(name);
}

export class Team {
  private constructor(private state: TeamSnapshot) {}

  static create(props: { id: string; name: string }, now: Date): Team {
    const name = teamName(props.name);
    if (!name.ok) throw new RangeError(name.error.message);
    return new Team({ id: props.id, name: name.value, createdAt: now });
  }

  static restore(snapshot: TeamSnapshot): Team {
    return new Team({ ...snapshot });
  }

  get id(): string {
    return this.state.id;
  }
  get name(): string {
    return this.state.name;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }

  rename(raw: string): void {
    const name = teamName(raw);
    if (!name.ok) throw new RangeError(name.error.message);
    this.state = { ...this.state, name: name.value };
  }

  toSnapshot(): TeamSnapshot {
    return { ...this.state };
  }
}
