import "server-only";
import { audited } from "@/lib/access/gate";
import { AuthError } from "@/lib/errors";
import { CUSTOMER_READERS } from "@/lib/roles";
import { getDb } from "@/lib/db";
import { ConflictError, InvalidQueryError, NotFoundError } from "@/lib/errors";
import { recentlyViewed, type RecentlyViewed } from "./recently-viewed";
import { createSavedView, deleteSavedView, isViewId, listSavedViews, renameSavedView, SavedViewError, type SavedView } from "./saved-views";

// The portal's door to saved views (/api/views): through the one gate, so each change is on record under the
// person, from their session and address, and a refused one (someone else's view, bad input) is recorded too.

/** A store refusal as the error the gate records and the API answers. */
function asHttpError(err: unknown): unknown {
  if (!(err instanceof SavedViewError)) return err;
  switch (err.kind) {
    case "invalid":
      return new InvalidQueryError(err.messages);
    case "duplicate":
    case "limit":
      return new ConflictError(err.message);
    case "not_found":
      return new NotFoundError("No such saved view");
    case "not_owner":
      return new AuthError(403, "Only the owner may change this view", "not_owner");
  }
}

async function store<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    throw asHttpError(err);
  }
}

/** What an id given in the path is recorded as: itself, or its length when it is not a view id. */
const idForRecord = (id: string) => (isViewId(id) ? id : `(not a view id, ${String(id).length} characters)`);

function bodyFields(body: unknown): Record<string, unknown> | null {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

export async function createViewForSession(body: unknown, requestId: string): Promise<SavedView> {
  const fields = bodyFields(body);
  return audited({
    action: "view.create",
    roles: CUSTOMER_READERS,
    requestId,
    query: fields ? { name: fields.name ?? null, query: fields.query ?? null, shared: fields.shared ?? null } : { body: "not a JSON object" },
    async run(staff) {
      const view = await store(async () => createSavedView(await getDb(), staff.id, body));
      return { value: view, query: { name: view.name, query: view.href, shared: view.shared }, detail: { view: view.id } };
    },
  });
}

export async function renameViewForSession(id: string, body: unknown, requestId: string): Promise<SavedView> {
  const fields = bodyFields(body);
  return audited({
    action: "view.rename",
    roles: CUSTOMER_READERS,
    requestId,
    query: { view: idForRecord(id), name: fields?.name ?? null },
    async run(staff) {
      const { before, view } = await store(async () => renameSavedView(await getDb(), id, staff.id, body));
      return { value: view, query: { view: view.id, name: view.name }, detail: { view: view.id, before: before.name, after: view.name } };
    },
  });
}

export async function deleteViewForSession(id: string, requestId: string): Promise<SavedView> {
  return audited({
    action: "view.delete",
    roles: CUSTOMER_READERS,
    requestId,
    query: { view: idForRecord(id) },
    async run(staff) {
      const view = await store(async () => deleteSavedView(await getDb(), id, staff.id));
      return { value: view, detail: { view: view.id, name: view.name, query: view.href, shared: view.shared } };
    },
  });
}

export type FinderData = { views: SavedView[]; recent: RecentlyViewed[] };

/** The palette's data: the views this person may see, and the customers the audit log says they opened. */
export async function finderDataForSession(requestId: string): Promise<FinderData> {
  return audited({
    action: "view.list",
    roles: CUSTOMER_READERS,
    requestId,
    query: {},
    record: "refusals",
    run: async (staff) => ({ value: await finderDataFor(staff.id) }),
  });
}

/** The same for a server page, which has already checked the person. */
export async function finderDataFor(staffId: string): Promise<FinderData> {
  const db = await getDb();
  const [views, recent] = await Promise.all([listSavedViews(db, staffId), recentlyViewed(db, staffId)]);
  return { views, recent };
}
