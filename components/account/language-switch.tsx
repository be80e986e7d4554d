"use client";

import { useId, useState } from "react";
import { alertClass } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { INPUT } from "@/components/ui/styles";
import { apiMessages } from "@/lib/customers/answers";
import { useT } from "@/lib/i18n/client";
import { LOCALE_NAMES, LOCALES, isLocale, type Locale } from "@/lib/i18n/locales";

/**
 * The person's language, kept on the server (PUT /api/preferences/locale) so it follows them to every device.
 * Saved, the page loads again: the server renders every page in the new language, and <html lang> changes with it.
 */
export function LanguageSwitch({ current }: { current: Locale }) {
  const t = useT();
  const id = useId();
  const [choice, setChoice] = useState<Locale>(current);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function save() {
    setSaving(true);
    setProblem(null);
    try {
      const res = await fetch("/api/preferences/locale", {
        method: "PUT",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({ locale: choice }),
      });
      if (res.ok) {
        window.location.reload();
        return;
      }
      setProblem(t("account.languageNotSaved", { reason: apiMessages(await res.json().catch(() => null), res.status).join("; ") }));
    } catch {
      setProblem(t("columns.unreachable"));
    }
    setSaving(false);
  }

  return (
    <form
      className="flex max-w-md flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {t("account.language")}
      </h2>
      <select
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-help`}
        value={choice}
        onChange={(e) => isLocale(e.target.value) && setChoice(e.target.value)}
        className={INPUT}
      >
        {LOCALES.map((locale) => (
          // Each language in its own words and marked as such, so a screen reader pronounces it right.
          <option key={locale} value={locale} lang={locale}>
            {LOCALE_NAMES[locale]}
          </option>
        ))}
      </select>
      <p id={`${id}-help`} className="text-xs text-muted">
        {t("account.languageHelp")}
      </p>
      <button type="submit" className={`${buttonClass("primary")} self-start`} disabled={saving}>
        {t("account.saveLanguage")}
      </button>
      <p role="alert" className={`${alertClass("error", false)} empty:hidden`}>
        {problem}
      </p>
    </form>
  );
}
