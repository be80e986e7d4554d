"use client";

import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { THEMES, type Theme } from "./theme";

/** Follows the system until the person picks a theme; the choice lives in a cookie so the server renders it. */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const t = useT();
  const [theme, setTheme] = useState<Theme>(initial);
  function choose(next: Theme) {
    setTheme(next);
    document.cookie = `theme=${next}; path=/; max-age=31536000; samesite=lax`;
    document.documentElement.classList.remove("light", "dark");
    if (next !== "system") document.documentElement.classList.add(next);
  }
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only sm:not-sr-only">{t("shell.theme")}</span>
      <select
        aria-label={t("shell.theme")}
        value={theme}
        onChange={(e) => choose(THEMES.find((th) => th === e.target.value) ?? "system")}
        className="rounded-md border border-edge bg-surface px-2 py-1 text-sm"
      >
        {THEMES.map((th) => (
          <option key={th} value={th}>
            {t(`shell.themes.${th}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
