import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";
import { ApiTokenInputError, createApiToken, DEFAULT_TOKEN_DAYS, listApiTokens, MAX_LIVE_TOKENS, revokeApiToken, verifyApiToken } from "./api-tokens";
import { addStaff, setStaffDisabled } from "./staff-store";

const DAY = 86_400_000;

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`API tokens on ${kind}`, () => {
    let store: TestStore;
    let agentId: string;
    beforeAll(async () => {
      store = await openTestStore(kind);
      agentId = (await addStaff(store.db, { email: "script@example.com", role: "agent" })).id;
    });
    afterAll(async () => {
      await store?.cleanup();
    });

    it("creates a token whose secret is shown once and stored only as its SHA-256", async () => {
      const now = new Date("2026-12-01T10:00:00.000Z");
      const token = await createApiToken(store.db, { staffId: agentId, label: "  nightly export  " }, now);
      expect(token.id).toMatch(/^ddpt_[A-Za-z0-9_-]{22}$/);
      expect(token.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token.secret, "base64url")).toHaveLength(32);
      expect(token).toMatchObject({ label: "nightly export", createdAt: now.toISOString(), revokedAt: null, lastUsedAt: null });
      expect(Date.parse(token.expiresAt) - now.getTime()).toBe(DEFAULT_TOKEN_DAYS * DAY);
      const row = await store.db.selectFrom("api_tokens").selectAll().where("id", "=", token.id).executeTakeFirstOrThrow();
      expect(row.secret_hash).toBe(createHash("sha256").update(token.secret).digest("hex"));
      expect(JSON.stringify(row)).not.toContain(token.secret);
      const listed = await listApiTokens(store.db, agentId);
      expect(listed.find((t) => t.id === token.id)).toEqual({ ...token, secret: undefined, lastUsedAt: null });
      expect(JSON.stringify(listed)).not.toContain(token.secret);
    });

    it("verifies the pair, names the owner and notes the use at most once a minute", async () => {
      const token = await createApiToken(store.db, { staffId: agentId, days: 2 });
      const t0 = new Date();
      expect(await verifyApiToken(store.db, token.id, token.secret, t0)).toEqual({
        ok: true,
        tokenId: token.id,
        owner: { id: agentId, email: "script@example.com", name: "script", role: "agent" },
      });
      const used = async () =>
        (await store.db.selectFrom("api_tokens").select("last_used_at").where("id", "=", token.id).executeTakeFirstOrThrow()).last_used_at;
      expect(await used()).toBe(t0.toISOString());
      await verifyApiToken(store.db, token.id, token.secret, new Date(t0.getTime() + 30_000));
      expect(await used()).toBe(t0.toISOString());
      const later = new Date(t0.getTime() + 61_000);
      await verifyApiToken(store.db, token.id, token.secret, later);
      expect(await used()).toBe(later.toISOString());
    });

    it("refuses a wrong secret, an unknown id, malformed or missing headers", async () => {
      const token = await createApiToken(store.db, { staffId: agentId });
      const other = await createApiToken(store.db, { staffId: agentId });
      expect(await verifyApiToken(store.db, token.id, other.secret)).toMatchObject({ ok: false, refusal: "wrong secret", tokenId: token.id });
      const unknown = `ddpt_${"A".repeat(22)}`;
      expect(await verifyApiToken(store.db, unknown, token.secret)).toMatchObject({ ok: false, refusal: "unknown token", owner: null });
      expect(await verifyApiToken(store.db, null, null)).toMatchObject({ ok: false, refusal: "no credentials", tokenId: null });
      expect(await verifyApiToken(store.db, "sandbox-client-key", "sandbox-client-secret")).toMatchObject({
        ok: false,
        refusal: "malformed credentials",
        tokenId: null,
      });
      expect(await verifyApiToken(store.db, token.id, `${token.secret}x`)).toMatchObject({ ok: false, refusal: "malformed credentials", tokenId: token.id });
      expect(await verifyApiToken(store.db, token.id, "")).toMatchObject({ ok: false, refusal: "malformed credentials" });
      // SQL in the key is just an unknown key.
      expect(await verifyApiToken(store.db, "ddpt_' or 1=1 --", token.secret)).toMatchObject({ ok: false, refusal: "malformed credentials" });
    });

    it("stops at its expiry", async () => {
      const created = new Date("2026-01-01T00:00:00.000Z");
      const token = await createApiToken(store.db, { staffId: agentId, days: "3" }, created);
      expect(token.expiresAt).toBe("2026-01-04T00:00:00.000Z");
      expect(await verifyApiToken(store.db, token.id, token.secret, new Date("2026-01-03T23:59:59.999Z"))).toMatchObject({ ok: true });
      expect(await verifyApiToken(store.db, token.id, token.secret, new Date("2026-01-04T00:00:00.000Z"))).toMatchObject({
        ok: false,
        refusal: "token expired",
        owner: { id: agentId },
      });
    });

    it("stops once revoked; a second revocation keeps the first time; another person cannot revoke it", async () => {
      const token = await createApiToken(store.db, { staffId: agentId });
      const stranger = await addStaff(store.db, { email: "stranger@example.com", role: "agent" });
      expect(await revokeApiToken(store.db, { id: token.id, staffId: stranger.id })).toEqual({ status: "not_found" });
      expect(await verifyApiToken(store.db, token.id, token.secret)).toMatchObject({ ok: true });
      const first = new Date("2026-12-01T12:00:00.000Z");
      expect(await revokeApiToken(store.db, { id: token.id, staffId: agentId }, first)).toMatchObject({
        status: "revoked",
        token: { revokedAt: first.toISOString() },
      });
      expect(await revokeApiToken(store.db, { id: token.id }, new Date())).toMatchObject({ status: "already", token: { revokedAt: first.toISOString() } });
      expect(await verifyApiToken(store.db, token.id, token.secret)).toMatchObject({ ok: false, refusal: "token revoked" });
      expect(await revokeApiToken(store.db, { id: "not-a-token" })).toEqual({ status: "not_found" });
    });

    it("stops while its owner is disabled and works again once enabled", async () => {
      const owner = await addStaff(store.db, { email: "leaver@example.com", role: "admin" });
      const token = await createApiToken(store.db, { staffId: owner.id });
      await setStaffDisabled(store.db, owner.email, true);
      expect(await verifyApiToken(store.db, token.id, token.secret)).toMatchObject({
        ok: false,
        refusal: "owner disabled",
        owner: { email: "leaver@example.com" },
      });
      await setStaffDisabled(store.db, owner.email, false);
      expect(await verifyApiToken(store.db, token.id, token.secret)).toMatchObject({ ok: true, owner: { role: "admin" } });
    });

    it("refuses bad days and labels and writes nothing", async () => {
      const before = await listApiTokens(store.db, agentId);
      for (const days of [0, -1, 366, 1.5, "abc", "12abc", "1e2", " ", Number.NaN, {}]) {
        await expect(createApiToken(store.db, { staffId: agentId, days })).rejects.toThrow(ApiTokenInputError);
      }
      await expect(createApiToken(store.db, { staffId: agentId, label: "x".repeat(101) })).rejects.toThrow("at most 100");
      await expect(createApiToken(store.db, { staffId: agentId, label: "a\nb" })).rejects.toThrow("control characters");
      await expect(createApiToken(store.db, { staffId: agentId, label: 7 })).rejects.toThrow("label must be text");
      expect(await listApiTokens(store.db, agentId)).toEqual(before);
      expect((await createApiToken(store.db, { staffId: agentId, days: 365 })).expiresAt).toBeTruthy();
    });

    it(`holds at most ${MAX_LIVE_TOKENS} live tokens per person`, async () => {
      const busy = await addStaff(store.db, { email: "busy@example.com", role: "agent" });
      const tokens = [];
      for (let i = 0; i < MAX_LIVE_TOKENS; i++) tokens.push(await createApiToken(store.db, { staffId: busy.id }));
      await expect(createApiToken(store.db, { staffId: busy.id })).rejects.toThrow("revoke one first");
      await revokeApiToken(store.db, { id: tokens[0]?.id ?? "" });
      await expect(createApiToken(store.db, { staffId: busy.id })).resolves.toMatchObject({ id: expect.any(String) });
    });
  });
}
