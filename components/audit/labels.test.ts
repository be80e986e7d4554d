import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/translate";
import type { Key } from "@/lib/i18n/keys";
import { de } from "@/messages/de";
import { en } from "@/messages/en";
import { matchText, outcomeText } from "./labels";

describe("the audit pages' counts and outcomes, in both languages", () => {
  const english = translator<Key>("en", en);
  const german = translator<Key>("de", de);

  it("counts matches exactly up to the cap, then says more than", () => {
    expect(matchText(english, { count: 1000, more: true })).toBe("More than 1,000 events match.");
    expect(matchText(english, { count: 1, more: false })).toBe("1 event matches.");
    expect(matchText(english, { count: 0, more: false })).toBe("No events match.");
    expect(matchText(german, { count: 1000, more: true })).toBe("Mehr als 1.000 Ereignisse passen.");
    expect(matchText(german, { count: 1, more: false })).toBe("1 Ereignis passt.");
  });

  it("names known outcomes and shows an unknown one (an old event's) as stored", () => {
    expect(outcomeText(english, "upstream_error")).toBe("Devdraft unavailable");
    expect(outcomeText(german, "denied")).toBe("Abgelehnt");
    expect(outcomeText(german, "retired_outcome")).toBe("retired_outcome");
  });
});
