import { EntitySchema } from "typeorm";

export interface RateLimitRow {
  key: string;
  count: number;
  resetAt: Date;
  lastAt: Date;
}

export const RateLimitSchema = new EntitySchema<RateLimitRow>({
  name: "RateLimit",
  tableName: "rate_limits",
  columns: {
    key: { type: "text", primary: true, primaryKeyConstraintName: "rate_limits_pkey" },
    count: { type: "integer" },
    resetAt: { type: "timestamptz", name: "reset_at" },
    lastAt: { type: "timestamptz", name: "last_at" },
  },
  indices: [{ name: "rate_limits_reset_at_idx", columns: ["resetAt"] }],
});
