"use client";

import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import Link from "next/link";
import { type SubmitEvent, useState } from "react";
import { formText } from "@/components/ui/form-text";
import type { SavedView } from "@/lib/customers/saved-views";

const FIELD = "min-w-0 rounded-md border border-control bg-surface px-2 py-1 text-sm";
const SMALL = "rounded border border-control px-2 py-0.5 text-xs font-medium hover:bg-hover";

async function send(method: string, url: string, body: unknown, t: Translate<Key>): Promise<SavedView> {
  const response = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = (await response.json().catch(() => null)) as { message?: string | string[] } | null;
  if (!response.ok) {
    const message = answer?.message;
    throw new Error(Array.isArray(message) ? message.join("; ") : (message ?? t("views.portalAnswered", { status: String(response.status) })));
  }
  return answer as SavedView;
}

/** The views beside the table (own and shared), each a plain link; save the list as it is now, rename or delete your own. */
export function SavedViews({ initial }: { initial: SavedView[] | null }) {
  const t = useT();
  const [views, setViews] = useState(initial ?? []);
  const [editing, setEditing] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);

  async function act(change: () => Promise<void>) {
    setBusy(true);
    setProblem(null);
    try {
      await change();
    } catch (err) {
      setProblem(err instanceof Error && !(err instanceof TypeError) ? err.message : t("views.unreachable"));
    } finally {
      setBusy(false);
    }
  }

  const byName = (list: SavedView[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));

  const save = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void act(async () => {
      const view = await send("POST", "/api/views", { name: formText(data, "name"), query: window.location.search, shared: data.get("shared") === "on" }, t);
      setViews((all) => byName([...all, view]));
      setNote(t("views.saved", { name: view.name }));
      form.reset();
    });
  };

  const rename = (view: SavedView) => (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = formText(new FormData(event.currentTarget), "name");
    void act(async () => {
      const renamed = await send("PATCH", `/api/views/${encodeURIComponent(view.id)}`, { name }, t);
      setViews((all) => byName(all.map((v) => (v.id === view.id ? renamed : v))));
      setEditing(null);
      setNote(t("views.renamed", { from: view.name, to: renamed.name }));
    });
  };

  const remove = (view: SavedView) =>
    void act(async () => {
      await send("DELETE", `/api/views/${encodeURIComponent(view.id)}`, undefined, t);
      setViews((all) => all.filter((v) => v.id !== view.id));
      setNote(t("views.deleted", { name: view.name }));
    });

  return (
    <section aria-labelledby="saved-views" className="flex flex-col gap-2">
      <h2 id="saved-views" className="text-base font-semibold">
        {t("views.title")}
      </h2>
      {initial === null ? (
        <p role="status" className="text-sm">
          {t("views.loadFailed")}
        </p>
      ) : views.length === 0 ? (
        <p className="text-sm">{t("views.none")}</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {views.map((view) => (
            <li key={view.id} className="flex flex-wrap items-center gap-x-2 gap-y-1">
              {editing === view.id ? (
                <form onSubmit={rename(view)} className="flex flex-wrap items-center gap-1">
                  <input
                    name="name"
                    defaultValue={view.name}
                    aria-label={t("views.retitle", { name: view.name })}
                    required
                    maxLength={80}
                    autoFocus
                    className={FIELD}
                  />
                  <button type="submit" disabled={busy} className={SMALL}>
                    {t("views.saveTitle")}
                  </button>
                  <button type="button" onClick={() => setEditing(null)} className={SMALL}>
                    {t("views.cancel")}
                  </button>
                </form>
              ) : (
                <>
                  <Link href={view.href} className="break-all text-accent underline underline-offset-2">
                    {view.name}
                  </Link>
                  <span className="text-xs text-muted">
                    {view.mine ? (view.shared ? t("views.shared") : t("views.private")) : t("views.sharedBy", { owner: view.owner })}
                  </span>
                  {view.mine && (
                    <>
                      <button type="button" onClick={() => setEditing(view.id)} aria-label={t("views.renameView", { name: view.name })} className={SMALL}>
                        {t("views.rename")}
                      </button>
                      <button
                        type="button"
                        onClick={() => remove(view)}
                        disabled={busy}
                        aria-label={t("views.deleteView", { name: view.name })}
                        className={SMALL}
                      >
                        {t("views.delete")}
                      </button>
                    </>
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {initial !== null && (
        <form onSubmit={save} aria-label={t("views.form")} className="flex flex-col gap-1 text-sm">
          <label className="flex flex-col gap-1 font-medium">
            {t("views.name")}
            <input name="name" required maxLength={80} autoComplete="off" className={FIELD} />
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="shared" /> {t("views.share")}
          </label>
          <button type="submit" disabled={busy} className="self-start rounded-md border border-control px-3 py-1 font-medium hover:bg-hover">
            {t("views.save")}
          </button>
        </form>
      )}
      <div role="alert" className="text-sm text-danger empty:hidden">
        {problem}
      </div>
      <p aria-live="polite" className="sr-only">
        {note}
      </p>
    </section>
  );
}
