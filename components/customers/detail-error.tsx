"use client";

import type { ListError } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";
import { interleave } from "@/lib/i18n/interleave";
import { errorTitleKey } from "./list-states";

/** A detail page that could not be drawn: what happened and the one useful next step. */
export function DetailError({ error, retryHref, signInHref }: { error: ListError; retryHref: string; signInHref: string }) {
  const t = useT();
  const link = "self-start rounded-md border border-current px-3 py-1.5 text-sm font-medium hover:underline";
  return (
    <section
      role="status"
      aria-labelledby="detail-error"
      className="flex flex-col gap-3 rounded-md border border-warning-edge bg-warning-bg px-4 py-4 text-sm text-warning-ink"
    >
      <h2 id="detail-error" className="text-base font-semibold">
        {t(errorTitleKey(error.status, "detail"))}
      </h2>
      {error.status === 400 ? (
        <p>{interleave(t("detail.notAnIdBody"), { example: <code className="font-mono">3f1c…-…</code>, message: error.message })}</p>
      ) : error.status === 403 ? (
        <p>{t("errors.forbiddenBody")}</p>
      ) : (
        <p>{t("errors.serverSaid", { message: error.message })}</p>
      )}
      {error.status === 401 ? (
        <a href={signInHref} className={link}>
          {t("errors.signInAgain")}
        </a>
      ) : error.status >= 429 ? (
        <a href={retryHref} className={link}>
          {error.retryAfterSec ? t("detail.tryAgainWait", { seconds: error.retryAfterSec }) : t("common.tryAgain")}
        </a>
      ) : null}
    </section>
  );
}
