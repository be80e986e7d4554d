import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback";

describe("safeCallbackPath", () => {
  it("keeps a path of the portal with its query", () => {
    expect(safeCallbackPath("/customers?status=ACTIVE&skip=25")).toBe("/customers?status=ACTIVE&skip=25");
  });
  it.each(["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", undefined])(
    "refuses %s and goes home",
    (value) => {
      expect(safeCallbackPath(value)).toBe("/");
    },
  );
});
