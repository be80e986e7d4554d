import { Migrator, sql } from "kysely";
import { hashEvent } from "../audit/hash";
import { frontierFromJson, frontierPush, frontierRoot, frontierToJson, leafHash, rootFromLeafHashes } from "@/lib/merkle/tree";
import { createAuditRecorder } from "../audit/recorder";
import { verifyChain } from "../audit/verify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ROLES } from "@/lib/roles";
import { AUDIT_PARTITION_NAME, listAuditPartitions } from "./audit-partitions";
import { dialectOf } from "./dialect";
import { GENESIS_HASH, migrateDownAll, migrateToLatest, migrationsFor } from "./migrations";
import { openTestStore, STORE_KINDS, type TestStore } from "@/test/support/stores";

const TABLES = [
  "access_grants",
  "api_tokens",
  "audit_alerts",
  "audit_anchor",
  "audit_chain_head",
  "audit_events",
  "audit_targets",
  "audit_verification",
  "export_jobs",
  "export_pages",
  "login_attempts",
  "saved_views",
  "siem_cursors",
  "staff",
  "staff_preferences",
  "staff_sessions",
  "upstream_budget",
  "upstream_budget_turns",
  "upstream_budget_waiters",
];

function sampleFields(seq: number) {
  return {
    id: crypto.randomUUID(),
    at: new Date().toISOString(),
    actor_id: null,
    actor_email: null,
    action: "portal.start",
    targets: "[]",
    query: "{}",
    request_id: `r${seq}`,
    outcome: "ok",
    detail: null,
    session_id: null,
    client_address: null,
    user_agent: null,
    refusal: null,
    purpose: null,
  };
}

async function tableNames(store: TestStore): Promise<string[]> {
  const tables = await store.db.introspection.getTables();
  return tables
    .filter((t) => store.schema === null || t.schema === store.schema)
    .map((t) => t.name)
    .filter((n) => !n.startsWith("kysely_") && !AUDIT_PARTITION_NAME.test(n))
    .sort();
}

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip)(`migrations on ${kind}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore(kind, { migrate: false });
    });
    afterEach(async () => {
      await store.cleanup();
    });

    it("creates every table and the genesis chain head", async () => {
      await migrateToLatest(store.db);
      expect(dialectOf(store.db)).toBe(kind);
      expect(await tableNames(store)).toEqual(TABLES);
      const head = await store.db.selectFrom("audit_chain_head").selectAll().execute();
      expect(head).toEqual([{ id: 1, seq: 0, hash: GENESIS_HASH, merkle_frontier: "[]" }]);
    });

    it("is idempotent: a second run applies nothing and keeps data", async () => {
      const first = await migrateToLatest(store.db);
      expect(first.results?.map((r) => r.migrationName)).toEqual(Object.keys(migrationsFor(kind)));
      await store.db.insertInto("login_attempts").values({ key: "ip:127.0.0.1", at: new Date().toISOString() }).execute();
      const second = await migrateToLatest(store.db);
      expect(second.results).toEqual([]);
      const rows = await store.db.selectFrom("login_attempts").selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(await store.db.selectFrom("audit_chain_head").select("seq").execute()).toEqual([{ seq: 0 }]);
    });

    it("concurrent migrate calls from two connections end in one schema", async () => {
      if (kind === "sqlite") await migrateToLatest(store.db);
      const other = store.reopen();
      await Promise.all([migrateToLatest(store.db), migrateToLatest(other)]);
      expect(await tableNames(store)).toEqual(TABLES);
      expect(await store.db.selectFrom("audit_chain_head").select("seq").execute()).toEqual([{ seq: 0 }]);
    });

    it("migrates down and up again", async () => {
      await migrateToLatest(store.db);
      await migrateDownAll(store.db);
      expect(await tableNames(store)).toEqual([]);
      await migrateToLatest(store.db);
      expect(await tableNames(store)).toEqual(TABLES);
    });

    it("enforces lowercased staff email and known roles", async () => {
      await migrateToLatest(store.db);
      const now = new Date().toISOString();
      const staff = { id: crypto.randomUUID(), name: "A", password_hash: null, disabled_at: null, created_at: now, updated_at: now };
      await store.db
        .insertInto("staff")
        .values({ ...staff, email: "a@example.com", role: "agent" })
        .execute();
      await expect(
        store.db
          .insertInto("staff")
          .values({ ...staff, id: crypto.randomUUID(), email: "B@example.com", role: "agent" })
          .execute(),
      ).rejects.toThrow();
      await expect(
        sql`insert into staff (id, email, name, role, created_at, updated_at) values (${crypto.randomUUID()}, 'c@example.com', 'C', 'root', ${now}, ${now})`.execute(
          store.db,
        ),
      ).rejects.toThrow();
      await expect(
        store.db
          .insertInto("staff")
          .values({ ...staff, id: crypto.randomUUID(), email: "a@example.com", role: "admin" })
          .execute(),
      ).rejects.toThrow();
      // The store's CHECK holds exactly the one list of roles (lib/roles.ts).
      for (const role of ROLES) {
        await store.db
          .insertInto("staff")
          .values({ ...staff, id: crypto.randomUUID(), email: `${role}@example.com`, role })
          .execute();
      }
    });

    it("keeps seq and bigint columns as numbers", async () => {
      await migrateToLatest(store.db);
      await store.db.insertInto("upstream_budget").values({ window_start: 1_767_000_000_000, used: 3 }).execute();
      const row = await store.db.selectFrom("upstream_budget").selectAll().executeTakeFirstOrThrow();
      expect(row).toEqual({ window_start: 1_767_000_000_000, used: 3 });
    });

    it("applies a migration numbered below one already applied (branches merged out of order)", async () => {
      const all = migrationsFor(kind);
      const withoutGrants = Object.fromEntries(Object.entries(all).filter(([name]) => name !== "0010_access_grants"));
      const schema = kind === "postgres" ? ((await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s ?? undefined) : undefined;
      const early = new Migrator({ db: store.db, migrationTableSchema: schema, provider: { getMigrations: async () => withoutGrants } });
      expect((await early.migrateToLatest()).error).toBeUndefined();
      expect(await tableNames(store)).not.toContain("access_grants");
      const late = await migrateToLatest(store.db);
      expect(late.results?.map((r) => [r.migrationName, r.status])).toEqual([["0010_access_grants", "Success"]]);
      expect(await tableNames(store)).toEqual(TABLES);
    });

    it("0008 builds the Merkle tree over the events already in the chain", async () => {
      const before = Object.fromEntries(Object.entries(migrationsFor(kind)).filter(([name]) => name < "0008"));
      const schema = kind === "postgres" ? ((await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s ?? undefined) : undefined;
      const old = new Migrator({ db: store.db, migrationTableSchema: schema, provider: { getMigrations: async () => before } });
      expect((await old.migrateToLatest()).error).toBeUndefined();
      let prev = GENESIS_HASH;
      const hashes: string[] = [];
      for (let seq = 1; seq <= 7; seq++) {
        const fields = sampleFields(seq);
        const hash = hashEvent(prev, fields);
        await store.db
          .insertInto("audit_events")
          .values({ seq, ...fields, prev_hash: prev, hash })
          .execute();
        hashes.push(hash);
        prev = hash;
      }
      await sql`update audit_chain_head set seq = 7, hash = ${prev} where id = 1`.execute(store.db);
      await migrateToLatest(store.db);
      const head = await store.db.selectFrom("audit_chain_head").selectAll().executeTakeFirstOrThrow();
      const expected = rootFromLeafHashes(hashes.map((h) => leafHash(Buffer.from(h, "hex"))));
      expect(frontierRoot(frontierFromJson(7, head.merkle_frontier)).equals(expected)).toBe(true);
    });

    it.skipIf(kind !== "postgres")("0020 moves an audit log written before it into monthly partitions, and the chain still verifies", async () => {
      const before = Object.fromEntries(Object.entries(migrationsFor(kind)).filter(([name]) => name < "0020"));
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s ?? undefined;
      const old = new Migrator({ db: store.db, migrationTableSchema: schema, provider: { getMigrations: async () => before } });
      expect((await old.migrateToLatest()).error).toBeUndefined();
      // Nine events over three months (the old one-table schema), each naming a customer, chained and in the tree.
      let prev = GENESIS_HASH;
      const frontier = { size: 0, hashes: [] as Buffer[] };
      const ats = ["2026-01-05", "2026-01-31", "2026-02-01", "2026-02-10", "2026-02-28", "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-31"];
      for (const [i, day] of ats.entries()) {
        const seq = i + 1;
        const fields = { ...sampleFields(seq), at: `${day}T23:59:59.999Z`, targets: JSON.stringify([`cus_${seq}`]) };
        const hash = hashEvent(prev, fields);
        await store.db
          .insertInto("audit_events")
          .values({ seq, ...fields, prev_hash: prev, hash })
          .execute();
        await store.db
          .insertInto("audit_targets")
          .values({ event_seq: seq, customer_id: `cus_${seq}` })
          .execute();
        frontierPush(frontier, leafHash(Buffer.from(hash, "hex")));
        prev = hash;
      }
      await sql`update audit_chain_head set seq = 9, hash = ${prev}, merkle_frontier = ${frontierToJson(frontier)} where id = 1`.execute(store.db);
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 9 });

      await migrateToLatest(store.db);
      const parts = await sql<{ table: string; month: string; n: number }>`
        select 'events' as table, left(at, 7) as month, count(*)::int as n, tableoid::regclass::text as part from audit_events group by 1, 2, 4
        union all select 'targets', left(event_at, 7), count(*)::int, tableoid::regclass::text from audit_targets group by 1, 2, 4 order by 1, 2`.execute(
        store.db,
      );
      expect(parts.rows).toEqual([
        { table: "events", month: "2026-01", n: 2, part: "audit_events_2026_01" },
        { table: "events", month: "2026-02", n: 3, part: "audit_events_2026_02" },
        { table: "events", month: "2026-03", n: 4, part: "audit_events_2026_03" },
        { table: "targets", month: "2026-01", n: 2, part: "audit_targets_2026_01" },
        { table: "targets", month: "2026-02", n: 3, part: "audit_targets_2026_02" },
        { table: "targets", month: "2026-03", n: 4, part: "audit_targets_2026_03" },
      ]);
      // The months around today exist too, ready for the next event.
      const thisMonth = new Date().toISOString().slice(0, 7);
      expect((await listAuditPartitions(store.db)).map((p) => p.month)).toContain(thisMonth);
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 9 });
      // The writer carries on from the migrated head, and every index the old table had is on the new one.
      const recorder = createAuditRecorder(store.db);
      await recorder.record({ actor: null, action: "portal.start", targets: ["cus_x"], query: {}, requestId: "after", outcome: "ok" });
      await recorder.close();
      expect(await verifyChain(store.db)).toMatchObject({ ok: true, checked: 10 });
      const indexes = await sql<{
        name: string;
      }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'audit_events' order by 1`.execute(store.db);
      expect(indexes.rows.map((r) => r.name)).toEqual(
        expect.arrayContaining(["audit_events_pkey", "audit_events_id_key", "audit_events_at_seq", "audit_events_actor_seq", "audit_events_session_seq"]),
      );
      // Bad input changes nothing: an event for a month with no partition is refused (the writer creates them first).
      await expect(
        sql`insert into audit_events (seq, id, at, action, targets, query, request_id, outcome, prev_hash, hash) values (99, 'x', '1999-01-01T00:00:00.000Z', 'a', '[]', '{}', 'r', 'ok', '', '')`.execute(
          store.db,
        ),
      ).rejects.toThrow(/no partition/);
    });
  });
}
