"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { isPageShortcut } from "@/components/palette/keys";
import { CUSTOMER_STATUSES, type CustomersQuery } from "@/lib/contract/query";
import { useT } from "@/lib/i18n/client";
import { statusLabel } from "./status-badge";

const DEBOUNCE_MS = 300;
const FIELD = "rounded-md border border-control bg-surface px-3 py-2 text-sm";

type TextField = "name" | "email";
type Props = {
  query: CustomersQuery;
  onText: (field: TextField, value: string) => void;
  onStatus: (status: CustomersQuery["status"]) => void;
  onClear: () => void;
};

/** A text filter that keeps its own value (typing never loses characters) and commits after a pause. */
function TextFilter({
  field,
  label,
  value,
  onCommit,
  inputRef,
}: {
  field: TextField;
  label: string;
  value: string;
  onCommit: (field: TextField, value: string) => void;
  inputRef?: React.Ref<HTMLInputElement>;
}) {
  const [text, setText] = useState(value);
  const committed = useRef(value);
  // The URL changed by itself (Back, Clear filters): show its value, unless it is what we just committed.
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);
  const commit = useCallback(
    (next: string) => {
      if (next === committed.current) return;
      committed.current = next;
      onCommit(field, next);
    },
    [field, onCommit],
  );
  // Only typing arms the pause. A timer armed for text already applied could fire after the URL changed by itself
  // (Clear filters right after the page loads) and put the old filter back.
  useEffect(() => {
    if (text === committed.current) return;
    const timer = setTimeout(() => commit(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, commit]);
  return (
    <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm font-medium">
      {label}
      <input
        ref={inputRef}
        type="text"
        enterKeyHint="search"
        name={field}
        value={text}
        onChange={(e) => setText(e.target.value)}
        // Leaving the field applies it at once, so a pending pause never lands after the next action.
        onBlur={() => commit(text)}
        autoComplete="off"
        spellCheck={false}
        className={FIELD}
      />
    </label>
  );
}

export function CustomerFilters({ query, onText, onStatus, onClear }: Props) {
  const t = useT();
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key !== "/" || !isPageShortcut(event)) return;
      event.preventDefault();
      nameRef.current?.focus();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  const filtered = Boolean(query.name || query.email || query.status);
  return (
    <search aria-label={t("customers.filters")} className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <TextFilter field="name" label={t("customers.name")} value={query.name ?? ""} onCommit={onText} inputRef={nameRef} />
      <TextFilter field="email" label={t("customers.email")} value={query.email ?? ""} onCommit={onText} />
      <label className="flex flex-col gap-1 text-sm font-medium">
        {t("customers.status")}
        <select name="status" value={query.status ?? ""} onChange={(e) => onStatus(CUSTOMER_STATUSES.find((s) => s === e.target.value))} className={FIELD}>
          <option value="">{t("customers.allStatuses")}</option>
          {CUSTOMER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status, t)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        onClick={onClear}
        disabled={!filtered}
        className="rounded-md border border-control px-3 py-2 text-sm font-medium hover:bg-hover disabled:cursor-not-allowed disabled:opacity-60"
      >
        {t("customers.clearFilters")}
      </button>
    </search>
  );
}
