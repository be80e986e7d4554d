import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/translate";
import type { Key } from "@/lib/i18n/keys";
import { de } from "@/messages/de";
import { en } from "@/messages/en";
import { actionLabel } from "./action-label";
import { AUDIT_ACTION_NAMES } from "./actions";

describe("an action's label", () => {
  const languages = { en: translator<Key>("en", en), de: translator<Key>("de", de) };

  it.each(Object.entries(languages))("names every registry action in %s, each differently (the audit filter offers them side by side)", (_, t) => {
    const labels = AUDIT_ACTION_NAMES.map((a) => actionLabel(t, a));
    // A missing message would come back as its key; the label is never the action's own name either.
    for (const [i, label] of labels.entries()) {
      expect(label, AUDIT_ACTION_NAMES[i]).not.toMatch(/^audit\.actions\./);
      expect(label, AUDIT_ACTION_NAMES[i]).not.toBe(AUDIT_ACTION_NAMES[i]);
    }
    expect(new Set(labels).size).toBe(labels.length);
  });

  it("is the reader's language", () => {
    expect(actionLabel(languages.en, "customer.reveal")).toBe("Revealed contact details");
    expect(actionLabel(languages.de, "customer.reveal")).toBe("Kontaktdaten angezeigt");
  });

  it("shows an action no longer in the registry (an old event) as stored", () => {
    expect(actionLabel(languages.de, "customer.retired_action")).toBe("customer.retired_action");
  });
});
