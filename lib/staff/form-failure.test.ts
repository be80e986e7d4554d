import { describe, expect, it } from "vitest";
import { ChangeRefused } from "@/lib/access/outcome";
import { AuditUnavailableError, AuthError } from "@/lib/errors";
import type { Key } from "@/lib/i18n/keys";
import { translator } from "@/lib/i18n/translate";
import { de } from "@/messages/de";
import { en } from "@/messages/en";
import { formFailure } from "./form-failure";

const german = translator<Key>("de", de);
const english = translator<Key>("en", en);

describe("a staff or account form's failure", () => {
  it("says a rule's refusal in the reader's language, for the whole form", () => {
    const refused = new ChangeRefused("denied", "the last enabled admin cannot be demoted", { form: { key: "staff.refusals.lastAdminDemote" } });
    expect(formFailure(german, refused)).toEqual({ status: "error", fields: {}, message: "Der letzte aktive Admin kann nicht herabgestuft werden." });
    expect(formFailure(english, refused).message).toBe("The last enabled admin cannot be demoted.");
  });

  it("puts each field's refusal at its field, with its numbers, and keeps what was typed", () => {
    const refused = new ChangeRefused("invalid", "password refused: too short", {
      password: { key: "password.refusals.tooShort", vars: { min: 12, length: 5 } },
      email: { key: "staff.refusals.exists" },
    });
    expect(formFailure(german, refused, { email: "jo@example.com" })).toEqual({
      status: "error",
      values: { email: "jo@example.com" },
      message: "Nichts wurde geändert: Korrigieren Sie die markierten Felder.",
      fields: { password: expect.stringContaining("12") as string, email: "Diese Person ist bereits als Mitarbeiter angelegt." },
    });
    expect(formFailure(english, refused).fields.password).toBe("Use at least 12 characters (this one has 5).");
  });

  it("tells a session that ended from a role that does not allow it, and an unwritten audit event from any other failure", () => {
    expect(formFailure(german, new AuthError(401, "signed out")).message).toBe(german("forms.signedOut"));
    expect(formFailure(german, new AuthError(403, "Your role does not allow this")).message).toBe(german("forms.roleNotAllowed"));
    expect(formFailure(german, new AuditUnavailableError("down")).message).toBe(german("forms.auditUnavailable"));
    expect(formFailure(german, new Error("boom")).message).toBe(german("forms.unexpected"));
    // All four are different sentences, and German ones.
    const sentences = ["forms.signedOut", "forms.roleNotAllowed", "forms.auditUnavailable", "forms.unexpected"] as const;
    expect(new Set(sentences.map((k) => german(k))).size).toBe(4);
    for (const k of sentences) expect(german(k)).not.toBe(english(k));
  });
});
