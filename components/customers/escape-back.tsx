"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { isPageShortcut } from "@/components/palette/keys";

/** Esc on a customer's page goes back to the list view it was opened from (its URL, filters and page kept). */
export function EscapeBack({ href }: { href: string }) {
  const router = useRouter();
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key !== "Escape" || !isPageShortcut(event)) return;
      event.preventDefault();
      router.push(href);
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [href, router]);
  return null;
}
