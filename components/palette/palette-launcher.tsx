"use client";

import { useEffect, useState } from "react";
import { lazyPart } from "@/components/ui/lazy";
import { useT } from "@/lib/i18n/client";
import { type FinderMode, isPageShortcut } from "./keys";

// The palette's code loads on first open, never with the page (the list page's JavaScript budget). React's lazy
// (components/ui/lazy.tsx) rather than next/dynamic, whose loader would ship with every page for this alone.
const { Part: Finder } = lazyPart(() => import("./finder").then((m) => m.default));

/** Ctrl+K / ⌘K (also while typing: it types nothing) opens Go to; `?` lists the shortcuts. Mounted on every portal page. */
export function PaletteLauncher({ readsCustomers, pages }: { readsCustomers: boolean; pages: { label: string; href: string }[] }) {
  const t = useT();
  const [mode, setMode] = useState<FinderMode | null>(null);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
        if (document.querySelector("dialog[open]")) return;
        event.preventDefault();
        setMode("palette");
      } else if (event.key === "?" && isPageShortcut(event)) {
        event.preventDefault();
        setMode("shortcuts");
      }
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return (
    <>
      <button
        type="button"
        aria-haspopup="dialog"
        aria-keyshortcuts="Control+K Meta+K"
        onClick={() => setMode("palette")}
        className="rounded-md border border-control px-2 py-1 text-sm hover:bg-hover"
      >
        {t("shell.goTo")} <kbd className="font-mono text-xs">Ctrl K</kbd>
      </button>
      {mode && <Finder mode={mode} readsCustomers={readsCustomers} pages={pages} onClose={() => setMode(null)} />}
    </>
  );
}
