import { EntitySchema } from "typeorm";

/** A named lease: which instance runs a singleton job (the retention pass) until when. */
export interface LeaseRow {
  name: string;
  holder: string;
  expiresAt: Date;
}

export const LeaseSchema = new EntitySchema<LeaseRow>({
  name: "Lease",
  tableName: "leases",
  columns: {
    name: { type: "text", primary: true, primaryKeyConstraintName: "leases_pkey" },
    holder: { type: "text" },
    expiresAt: { type: "timestamptz", name: "expires_at" },
  },
});
