"use client";

import { useRouter } from "next/navigation";
import { startTransition, useEffect } from "react";
import { buttonClass } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import type { Key } from "@/lib/i18n/keys";

/**
 * What a route segment shows when rendering it failed unexpectedly (Next's `error.tsx`). The portal's expected
 * failures (Devdraft down, a spent budget, a missing customer) are drawn by the pages themselves; this is for the
 * rest. A server error reaches the browser without its message (Next sends only a digest), so the person gets a
 * reference to quote instead of internals. "Try again" re-renders the segment on the server, not only in the browser.
 */
export function SegmentError({ error, reset, what }: { error: Error & { digest?: string }; reset: () => void; what: Key }) {
  const router = useRouter();
  const t = useT();
  const docTitle = t("shell.segmentErrorDocTitle");
  useEffect(() => {
    document.title = docTitle;
  }, [docTitle]);
  const retry = () =>
    startTransition(() => {
      router.refresh();
      reset();
    });
  return (
    <section
      role="alert"
      aria-labelledby="segment-error"
      className="flex flex-col gap-3 rounded-md border border-danger-edge bg-danger-bg px-4 py-4 text-sm text-danger-ink"
    >
      <h1 id="segment-error" className="text-lg font-semibold">
        {t("shell.segmentErrorTitle", { what: t(what) })}
      </h1>
      <p>{t("shell.segmentErrorBody")}</p>
      {error.digest ? (
        <p>
          {t("shell.reference")} <code className="font-mono">{error.digest}</code>
        </p>
      ) : null}
      <button type="button" onClick={retry} className={`${buttonClass("inherit")} self-start`}>
        {t("common.tryAgain")}
      </button>
    </section>
  );
}
