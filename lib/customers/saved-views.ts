import "server-only";
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "@/lib/db/schema";
import { DEFAULT_SKIP, viewHref } from "@/lib/contract/query";
import { validateCustomersQuery } from "@/lib/contract/schema";

// Saved views (issue 17, point 3): a filter set of the customer list under a name, private to its owner or shared
// with every staff member. Only the owner may rename or delete one; a change by anyone else changes nothing.

const VIEW_NAME_MAX = 80;
export const MAX_VIEWS_PER_OWNER = 50;
const VIEW_ID = /^view_[A-Za-z0-9_-]{22}$/;

export type SavedView = {
  id: string;
  name: string;
  /** A plain link to the list: `/customers?status=ACTIVE`. */
  href: string;
  shared: boolean;
  /** The person asking owns it (may rename and delete it). */
  mine: boolean;
  owner: string;
  createdAt: string;
  updatedAt: string;
};

export type SavedViewFailure = "invalid" | "duplicate" | "limit" | "not_found" | "not_owner";

/** A refused change; nothing was written. `messages` are for the person (and the audit's refusal). */
export class SavedViewError extends Error {
  constructor(
    readonly kind: SavedViewFailure,
    readonly messages: string[],
  ) {
    super(messages.join("; "));
    this.name = "SavedViewError";
  }
}

export function isViewId(value: unknown): value is string {
  return typeof value === "string" && VIEW_ID.test(value);
}

const name = z
  .string({ error: "name must be a string" })
  .trim()
  .min(1, { error: "name must not be empty" })
  .max(VIEW_NAME_MAX, { error: `name must be at most ${VIEW_NAME_MAX} characters` })
  .refine((v) => !/[\p{Cc}\p{Cf}]/u.test(v), { error: "name must not contain control characters" });

const createInput = z.strictObject({
  name,
  query: z.string({ error: "query must be a string" }).max(2_000, { error: "query must be at most 2000 characters" }),
  shared: z.boolean({ error: "shared must be true or false" }).default(false),
});
const renameInput = z.strictObject({ name });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new SavedViewError(
    "invalid",
    result.error.issues.map((i) => (i.code === "unrecognized_keys" ? `unknown field: ${i.keys.join(", ")}`.slice(0, 120) : i.message)),
  );
}

/**
 * A list URL's query (`?status=ACTIVE&name=jo`, with or without `?` or `/customers`) read the way Devdraft would:
 * a field it would refuse is refused here too. The page (`skip`) is dropped: a view starts at its first page.
 */
export function normaliseViewQuery(raw: string): string {
  const search = raw.replace(/^\/customers(?=\?|$)/, "").replace(/^\?/, "");
  const params = new URLSearchParams(search);
  const checked = validateCustomersQuery(params);
  if (!checked.ok) throw new SavedViewError("invalid", checked.messages);
  const href = viewHref({ ...checked.query, skip: DEFAULT_SKIP }, "");
  return href.replace(/^\?/, "");
}

type Row = { id: string; name: string; query: string; shared: number; owner_id: string; owner: string; created_at: string; updated_at: string };

function toView(row: Row, staffId: string): SavedView {
  return {
    id: row.id,
    name: row.name,
    href: row.query ? `/customers?${row.query}` : "/customers",
    shared: row.shared === 1,
    mine: row.owner_id === staffId,
    owner: row.owner,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function viewsQuery(db: Kysely<Database>) {
  return db
    .selectFrom("saved_views")
    .innerJoin("staff", "staff.id", "saved_views.owner_id")
    .select([
      "saved_views.id",
      "saved_views.name",
      "saved_views.query",
      "saved_views.shared",
      "saved_views.owner_id",
      "staff.name as owner",
      "saved_views.created_at",
      "saved_views.updated_at",
    ]);
}

/** The views one staff member may see: their own and every shared one, by name. */
export async function listSavedViews(db: Kysely<Database>, staffId: string): Promise<SavedView[]> {
  const rows = await viewsQuery(db)
    .where((eb) => eb.or([eb("saved_views.owner_id", "=", staffId), eb("saved_views.shared", "=", 1)]))
    .orderBy("saved_views.name")
    .orderBy("saved_views.id")
    .execute();
  return rows.map((row) => toView(row, staffId));
}

async function visibleView(db: Kysely<Database>, id: string, staffId: string): Promise<SavedView | null> {
  if (!isViewId(id)) return null;
  const row = await viewsQuery(db).where("saved_views.id", "=", id).executeTakeFirst();
  if (!row || (row.owner_id !== staffId && row.shared !== 1)) return null;
  return toView(row, staffId);
}

async function nameTaken(db: Kysely<Database>, ownerId: string, viewName: string, except?: string): Promise<boolean> {
  let q = db.selectFrom("saved_views").select("id").where("owner_id", "=", ownerId).where("name", "=", viewName);
  if (except) q = q.where("id", "!=", except);
  return (await q.executeTakeFirst()) !== undefined;
}

const duplicate = (viewName: string) => new SavedViewError("duplicate", [`you already have a view named “${viewName}”`]);

/** Saves a view for `ownerId`; `input` is the request's JSON ({ name, query, shared? }). */
export async function createSavedView(db: Kysely<Database>, ownerId: string, input: unknown, now = new Date()): Promise<SavedView> {
  const fields = parse(createInput, input);
  const query = normaliseViewQuery(fields.query);
  const count = await db
    .selectFrom("saved_views")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("owner_id", "=", ownerId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_VIEWS_PER_OWNER) throw new SavedViewError("limit", [`you have ${MAX_VIEWS_PER_OWNER} saved views: delete one first`]);
  if (await nameTaken(db, ownerId, fields.name)) throw duplicate(fields.name);
  const id = `view_${randomBytes(16).toString("base64url")}`;
  const at = now.toISOString();
  try {
    await db
      .insertInto("saved_views")
      .values({ id, owner_id: ownerId, name: fields.name, query, shared: fields.shared ? 1 : 0, created_at: at, updated_at: at })
      .execute();
  } catch (err) {
    // Two saves of one name at once: the unique constraint kept one.
    if (await nameTaken(db, ownerId, fields.name)) throw duplicate(fields.name);
    throw err;
  }
  return (await visibleView(db, id, ownerId)) as SavedView;
}

/** Why a change to a view `staffId` may not make was refused: a view they cannot see is not found. */
async function refusal(db: Kysely<Database>, id: string, staffId: string): Promise<SavedViewError> {
  return (await visibleView(db, id, staffId))
    ? new SavedViewError("not_owner", ["only the owner may change this view"])
    : new SavedViewError("not_found", ["no such saved view"]);
}

/** Renames one of `staffId`'s own views; returns it before and after. */
export async function renameSavedView(
  db: Kysely<Database>,
  id: string,
  staffId: string,
  input: unknown,
  now = new Date(),
): Promise<{ before: SavedView; view: SavedView }> {
  const fields = parse(renameInput, input);
  const before = await visibleView(db, id, staffId);
  if (!before || !before.mine) throw await refusal(db, id, staffId);
  if (await nameTaken(db, staffId, fields.name, id)) throw duplicate(fields.name);
  const result = await db
    .updateTable("saved_views")
    .set({ name: fields.name, updated_at: now.toISOString() })
    .where("id", "=", id)
    .where("owner_id", "=", staffId)
    .executeTakeFirst()
    .catch(async (err: unknown) => {
      if (await nameTaken(db, staffId, fields.name, id)) throw duplicate(fields.name);
      throw err;
    });
  if (Number(result.numUpdatedRows) !== 1) throw await refusal(db, id, staffId);
  return { before, view: (await visibleView(db, id, staffId)) as SavedView };
}

/** Deletes one of `staffId`'s own views; returns what was deleted. */
export async function deleteSavedView(db: Kysely<Database>, id: string, staffId: string): Promise<SavedView> {
  const view = await visibleView(db, id, staffId);
  if (!view || !view.mine) throw await refusal(db, id, staffId);
  const result = await db.deleteFrom("saved_views").where("id", "=", id).where("owner_id", "=", staffId).executeTakeFirst();
  if (Number(result.numDeletedRows) !== 1) throw await refusal(db, id, staffId);
  return view;
}
