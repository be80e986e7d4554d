import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionCookie } from "./session-cookie";

const SECRET = "a-session-secret-of-forty-characters-xx";

describe("decodeSessionCookie", () => {
  it("reads a cookie next-auth made exactly as next-auth's own decode does", async () => {
    const token = await encode({ token: { sid: "session-1", sub: "staff-1", role: "agent" }, secret: SECRET });
    const ours = await decodeSessionCookie(token, SECRET);
    expect(ours).toEqual(await decode({ token, secret: SECRET }));
    expect(ours.sid).toBe("session-1");
    // Twice: the second read uses the key derived by the first.
    expect(await decodeSessionCookie(token, SECRET)).toEqual(ours);
  });

  it("refuses a cookie made with another secret, a changed cookie and an expired one, as next-auth does", async () => {
    const other = await encode({ token: { sid: "s" }, secret: "another-secret-of-forty-characters-xxxxx" });
    const token = await encode({ token: { sid: "s" }, secret: SECRET });
    const changed = `${token.slice(0, -4)}${token.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    const expired = await encode({ token: { sid: "s" }, secret: SECRET, maxAge: -60 });
    for (const bad of [other, changed, expired, "not-a-cookie"]) {
      await expect(decodeSessionCookie(bad, SECRET)).rejects.toThrow();
      await expect(decode({ token: bad, secret: SECRET })).rejects.toThrow();
    }
  });

  it("keeps one key per secret: a cookie of the old secret fails under the new one", async () => {
    const token = await encode({ token: { sid: "s" }, secret: SECRET });
    expect((await decodeSessionCookie(token, SECRET)).sid).toBe("s");
    await expect(decodeSessionCookie(token, "a-rotated-secret-of-forty-characters-xxx")).rejects.toThrow();
  });
});
