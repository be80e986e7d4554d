// What a staff or account form's server action answers. Browser-safe: no server imports.

export type FormState = {
  status: "idle" | "ok" | "error";
  /** One sentence for the whole form (success, or why nothing was changed). */
  message: string | null;
  /** Per field: what to correct. */
  fields: Record<string, string>;
  /** A generated password, shown once and kept nowhere. */
  oneTimePassword?: string;
  /** What was typed (never a password), so a refused form keeps it. */
  values?: Record<string, string>;
};

export const IDLE: FormState = { status: "idle", message: null, fields: {} };
