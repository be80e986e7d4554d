"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useId, useMemo, useState } from "react";
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, viewHref } from "@/lib/contract/query";
import type { FinderData } from "@/lib/customers/saved-view-service";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { buttonClass } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { FinderMode } from "./keys";

// Loaded on first use of Ctrl+K or `?` (palette-launcher.tsx): the Go to palette and the list of shortcuts.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BUTTON = buttonClass();

type Props = { mode: FinderMode; readsCustomers: boolean; pages: { label: string; href: string }[]; onClose: () => void };
type Option = { key: string; kind: string; label: string; href: string };

/** The kit's modal near the top of the screen; a click on the backdrop closes it too. */
function Modal({ onClose, children, wide }: { onClose: () => void; children: (titleId: string) => ReactNode; wide?: boolean }) {
  const titleId = useId();
  return (
    <Dialog open onCancel={onClose} labelledBy={titleId} placement="top" size={wide ? "wide" : "medium"} closeOnBackdrop>
      <div className="flex flex-col gap-3 p-4">{children(titleId)}</div>
    </Dialog>
  );
}

function customerHref(id: string): string {
  // From the list, the detail page's back link (and Esc) return to the list as it was.
  const here = `${window.location.pathname}${window.location.search}`;
  return `/customers/${encodeURIComponent(id)}${window.location.pathname === "/customers" ? `?from=${encodeURIComponent(here)}` : ""}`;
}

function optionsFor(text: string, props: Props, data: FinderData | null, t: Translate<Key>): Option[] {
  const q = text.trim();
  const needle = q.toLowerCase();
  const has = (s: string) => s.toLowerCase().includes(needle);
  const options: Option[] = [];
  // An id or an email is what was meant: first. A name search is the fallback: last.
  const search = props.readsCustomers && q ? q : "";
  if (UUID.test(search))
    options.push({
      key: "id",
      kind: t("palette.kindCustomer"),
      label: t("palette.openCustomer", { id: q.toLowerCase() }),
      href: customerHref(q.toLowerCase()),
    });
  else if (search.includes("@") && q.length <= EMAIL_MAX_LENGTH)
    options.push({ key: "email", kind: t("palette.kindSearch"), label: t("palette.byEmail", { q }), href: viewHref({ take: 10, skip: 0, email: q }) });
  const specific = options.length > 0;
  for (const page of props.pages)
    if (has(page.label)) options.push({ key: `page:${page.href}`, kind: t("palette.kindPage"), label: page.label, href: page.href });
  for (const view of data?.views ?? []) {
    if (has(view.name))
      options.push({
        key: `view:${view.id}`,
        kind: view.shared ? (view.mine ? t("palette.kindViewShared") : t("palette.kindSharedBy", { owner: view.owner })) : t("palette.kindView"),
        label: view.name,
        href: view.href,
      });
  }
  for (const recent of data?.recent ?? []) {
    if (has(recent.id))
      options.push({
        key: `recent:${recent.id}`,
        kind: t("palette.kindRecent"),
        label: t("palette.customer", { id: recent.id }),
        href: customerHref(recent.id),
      });
  }
  if (search && !specific && q.length <= NAME_MAX_LENGTH)
    options.push({ key: "name", kind: t("palette.kindSearch"), label: t("palette.byName", { q }), href: viewHref({ take: 10, skip: 0, name: q }) });
  return options;
}

function Palette(props: Props) {
  const router = useRouter();
  const t = useT();
  const listId = useId();
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const [data, setData] = useState<FinderData | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!props.readsCustomers) return;
    let live = true;
    fetch("/api/views", { cache: "no-store" })
      .then(async (r) => {
        if (!r.ok) throw new Error(t("palette.portalAnswered", { status: String(r.status) }));
        return (await r.json()) as FinderData;
      })
      .then((d) => live && setData(d))
      // A failed fetch (TypeError) says nothing a person can use in their language: "could not be reached".
      .catch((e: unknown) => live && setFailed(e instanceof Error && !(e instanceof TypeError) ? e.message : t("palette.unreachable")));
    return () => {
      live = false;
    };
  }, [props.readsCustomers, t]);
  const options = useMemo(() => optionsFor(text, props, data, t), [text, props, data, t]);
  const current = options[Math.min(active, options.length - 1)];
  const go = (option: Option | undefined) => {
    if (!option) return;
    props.onClose();
    router.push(option.href);
  };
  const optionId = (o: Option) => `${listId}-${o.key.replace(/[^A-Za-z0-9-]/g, "_")}`;
  return (
    <Modal onClose={props.onClose} wide>
      {(titleId) => (
        <>
          <h2 id={titleId} className="text-lg font-semibold">
            {t("palette.title")}
          </h2>
          <input
            type="text"
            role="combobox"
            aria-label={props.readsCustomers ? t("palette.inputCustomers") : t("palette.inputPages")}
            aria-expanded={options.length > 0}
            aria-controls={options.length > 0 ? listId : undefined}
            aria-activedescendant={current ? optionId(current) : undefined}
            aria-autocomplete="list"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            value={text}
            placeholder={props.readsCustomers ? t("palette.inputCustomers") : t("palette.inputPages")}
            onChange={(e) => {
              setText(e.target.value);
              setActive(0);
            }}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                const step = e.key === "ArrowDown" ? 1 : -1;
                setActive((i) => (Math.min(i, options.length - 1) + step + options.length) % Math.max(options.length, 1));
              } else if (e.key === "Enter") {
                e.preventDefault();
                go(current);
              }
            }}
            className="rounded-md border border-control bg-surface px-3 py-2 text-sm"
          />
          {options.length > 0 ? (
            <ul id={listId} role="listbox" aria-label={t("palette.destinations")} className="flex max-h-[50vh] flex-col overflow-y-auto">
              {options.map((o) => (
                <li
                  key={o.key}
                  id={optionId(o)}
                  role="option"
                  aria-selected={o === current}
                  onClick={() => go(o)}
                  className={`flex cursor-pointer flex-wrap items-baseline justify-between gap-x-3 rounded px-2 py-1.5 text-sm ${o === current ? "bg-sky-100 text-sky-950 dark:bg-sky-900 dark:text-sky-50" : ""}`}
                >
                  <span className="break-all font-medium">{o.label}</span>
                  <span className="text-xs">{o.kind}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p role="status" className="text-sm">
              {t("palette.nothing", { q: text.trim() })}
            </p>
          )}
          {failed && (
            <p role="alert" className="text-sm text-danger">
              {t("palette.loadFailed", { reason: failed })}
            </p>
          )}
          {props.readsCustomers && !data && !failed && (
            <p role="status" className="text-sm">
              {t("palette.loadingViews")}
            </p>
          )}
          <p className="text-xs text-muted">{t("palette.help")}</p>
        </>
      )}
    </Modal>
  );
}

const SHORTCUTS = ["palette", "search", "next", "previous", "open", "back", "help"] as const;

function Shortcuts({ onClose }: { onClose: () => void }) {
  const t = useT();
  return (
    <Modal onClose={onClose}>
      {(titleId) => (
        <>
          <h2 id={titleId} className="text-lg font-semibold">
            {t("palette.shortcutsTitle")}
          </h2>
          <p className="text-sm">{t("palette.shortcutsNote")}</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            {SHORTCUTS.map((shortcut) => (
              <div key={shortcut} className="contents">
                <dt className="font-mono font-semibold">{t(`palette.keys.${shortcut}`)}</dt>
                <dd>{t(`palette.shortcuts.${shortcut}`)}</dd>
              </div>
            ))}
          </dl>
          <button type="button" autoFocus onClick={onClose} className={`${BUTTON} self-end`}>
            {t("common.close")}
          </button>
        </>
      )}
    </Modal>
  );
}

export default function Finder(props: Props) {
  return props.mode === "palette" ? <Palette {...props} /> : <Shortcuts onClose={props.onClose} />;
}
