import type { FormState } from "../shared/form-state";

/** The answer to turning the factor on or making new recovery codes: the codes, shown this once. */
export interface RecoveryCodesState extends FormState {
  readonly recoveryCodes?: readonly string[];
}
