"use client";

import { useId, useState } from "react";
import { alertClass } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { apiMessages } from "@/lib/customers/answers";
import { useT } from "@/lib/i18n/client";
import { COLUMN_IDS, DENSITIES, WIDTHS, type ColumnId, type ColumnPrefs } from "@/lib/customers/columns";
import { useColumnPrefsState } from "./column-prefs";

type Draft = { order: ColumnId[]; shown: Set<ColumnId>; density: ColumnPrefs["density"]; widths: ColumnPrefs["widths"] };

function draftOf(prefs: ColumnPrefs): Draft {
  return {
    order: [...prefs.columns, ...COLUMN_IDS.filter((c) => !prefs.columns.includes(c))],
    shown: new Set(prefs.columns),
    density: prefs.density,
    widths: prefs.widths,
  };
}

/**
 * The form inside "Columns" beside the table: a checkbox per column, Move up / Move down buttons (no dragging), a width choice per
 * column (narrow, normal, wide: a list box rather than a drag handle, so sizing needs no pointer), and the density.
 * Save stores it for this person (PUT /api/preferences/columns) and only then redraws the table.
 */
export function ColumnsForm() {
  const { prefs, setPrefs } = useColumnPrefsState();
  const t = useT();
  const [draft, setDraft] = useState(() => draftOf(prefs));
  const [message, setMessage] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();

  function move(column: ColumnId, by: -1 | 1) {
    setDraft((d) => {
      const to = d.order.indexOf(column) + by;
      if (to < 0 || to >= d.order.length) return d;
      const order = d.order.filter((c) => c !== column);
      order.splice(to, 0, column);
      return { ...d, order };
    });
  }

  function toggle(column: ColumnId, on: boolean) {
    setDraft((d) => {
      const shown = new Set(d.shown);
      if (on) shown.add(column);
      else shown.delete(column);
      return { ...d, shown };
    });
  }

  async function save() {
    setSaving(true);
    const widths = Object.fromEntries(Object.entries(draft.widths).filter(([, width]) => width !== "normal"));
    const body: ColumnPrefs = { columns: draft.order.filter((c) => draft.shown.has(c)), density: draft.density, widths };
    try {
      const res = await fetch("/api/preferences/columns", {
        method: "PUT",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        setMessage({ tone: "error", text: t("columns.notSaved", { reason: apiMessages(answer, res.status).join("; ") }) });
        return;
      }
      setPrefs(body);
      setMessage({ tone: "info", text: t("columns.saved") });
    } catch {
      setMessage({ tone: "error", text: t("columns.unreachable") });
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      className="mt-3 flex flex-col gap-3"
      aria-label={t("columns.form")}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend className="font-medium">{t("columns.shown")}</legend>
        <ol className="mt-1 flex flex-col gap-1">
          {draft.order.map((column, index) => {
            const label = t(`columns.labels.${column}`);
            return (
              <li key={column} className="flex flex-wrap items-center gap-2">
                <input
                  type="checkbox"
                  id={`${id}-${column}`}
                  checked={draft.shown.has(column)}
                  disabled={column === "name"}
                  onChange={(e) => toggle(column, e.target.checked)}
                />
                <label htmlFor={`${id}-${column}`} className="min-w-28">
                  {label}
                  {column === "name" && <span className="text-muted"> {t("columns.always")}</span>}
                </label>
                <button
                  type="button"
                  className={buttonClass("secondary", "small")}
                  aria-label={t("columns.moveUp", { label })}
                  disabled={index === 0}
                  onClick={() => move(column, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className={buttonClass("secondary", "small")}
                  aria-label={t("columns.moveDown", { label })}
                  disabled={index === draft.order.length - 1}
                  onClick={() => move(column, 1)}
                >
                  ↓
                </button>
                <select
                  aria-label={t("columns.widthOf", { label })}
                  className="rounded-md border border-control bg-surface px-1 py-0.5 text-sm text-fg"
                  value={draft.widths[column] ?? "normal"}
                  onChange={(e) => {
                    const width = WIDTHS.find((w) => w === e.target.value) ?? "normal";
                    setDraft((d) => ({ ...d, widths: { ...d.widths, [column]: width } }));
                  }}
                >
                  {WIDTHS.map((width) => (
                    <option key={width} value={width}>
                      {t(`columns.widths.${width}`)}
                    </option>
                  ))}
                </select>
              </li>
            );
          })}
        </ol>
      </fieldset>
      <fieldset className="flex flex-wrap gap-4">
        <legend className="font-medium">{t("columns.density")}</legend>
        {DENSITIES.map((density) => (
          <label key={density} className="flex items-center gap-1">
            <input
              type="radio"
              name={`${id}-density`}
              value={density}
              checked={draft.density === density}
              onChange={() => setDraft((d) => ({ ...d, density }))}
            />
            {t(`columns.densities.${density}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" className={`${buttonClass("primary")} self-start`} disabled={saving}>
        {t("columns.save")}
      </button>
      <p role={message?.tone === "error" ? "alert" : "status"} className={alertClass(message?.tone ?? "info", false)}>
        {message?.text}
      </p>
    </form>
  );
}
