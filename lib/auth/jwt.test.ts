import { decode as nextAuthDecode, encode as nextAuthEncode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, encodeSessionToken } from "./jwt";

const secret = "a-test-secret-of-enough-length-123";

describe("session tokens", () => {
  it("are readable by next-auth, and next-auth's by us", async () => {
    const ours = await encodeSessionToken({ token: { staffId: "s1", role: "agent" }, secret });
    expect(await nextAuthDecode({ token: ours, secret })).toMatchObject({ staffId: "s1", role: "agent" });
    const theirs = await nextAuthEncode({ token: { staffId: "s2" }, secret });
    expect(await decodeSessionToken({ token: theirs, secret })).toMatchObject({ staffId: "s2" });
  });

  it("refuse a token made with another secret", async () => {
    const other = await encodeSessionToken({ token: { staffId: "s1" }, secret: "another-secret-entirely-0000000" });
    await expect(decodeSessionToken({ token: other, secret })).rejects.toThrow();
  });

  it("refuse an expired token", async () => {
    const expired = await encodeSessionToken({ token: { staffId: "s1" }, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow(/exp/);
  });

  it("refuse a token with a changed byte", async () => {
    const token = await encodeSessionToken({ token: { staffId: "s1" }, secret });
    const parts = token.split(".");
    const body = parts[3] ?? "";
    parts[3] = `${body.slice(0, 5)}${body[5] === "A" ? "B" : "A"}${body.slice(6)}`;
    await expect(decodeSessionToken({ token: parts.join("."), secret })).rejects.toThrow();
  });
});
