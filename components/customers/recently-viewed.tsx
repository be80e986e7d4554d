"use client";

import { useT } from "@/lib/i18n/client";
import { interleave } from "@/lib/i18n/interleave";
import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import type { RecentlyViewed as Recent } from "@/lib/customers/recently-viewed";

/** The customers this person opened, newest first, as the audit log has them: ids and when, nothing fetched again. */
export function RecentlyViewed({ recent }: { recent: Recent[] | null }) {
  const t = useT();
  return (
    <section aria-labelledby="recently-viewed" className="flex flex-col gap-2">
      <h2 id="recently-viewed" className="text-base font-semibold">
        {t("recent.title")}
      </h2>
      {recent === null ? (
        <p role="status" className="text-sm">
          {t("recent.unreadable")}
        </p>
      ) : recent.length === 0 ? (
        <p className="text-sm">{t("recent.none")}</p>
      ) : (
        <ol className="flex flex-col gap-1 text-sm">
          {recent.map((r) => (
            <li key={r.id} className="flex flex-col">
              <Link
                href={`/customers/${encodeURIComponent(r.id)}`}
                prefetch={false}
                className="break-all font-mono text-xs text-accent underline underline-offset-2"
              >
                {r.id}
              </Link>
              <span className="text-xs text-muted">{interleave(t("recent.opened"), { when: <LocalTime value={r.at} withTime /> })}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
