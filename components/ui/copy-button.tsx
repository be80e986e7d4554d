"use client";

import { useT } from "@/lib/i18n/client";
import { useState } from "react";

/** Copies `value`; the accessible name is `label` ("Copy email"), the result is announced politely. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useT();
  const [done, setDone] = useState<"copied" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setDone("copied");
    } catch {
      setDone("failed");
    }
    setTimeout(() => setDone(null), 2000);
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={() => void copy()} className="rounded border border-edge px-2 py-0.5 text-xs font-medium hover:bg-hover">
        {label}
      </button>
      <span role="status" className="text-xs text-muted">
        {done === "copied" ? t("reveal.copied") : done === "failed" ? t("reveal.copyFailed") : ""}
      </span>
    </span>
  );
}
