"use client";

import type { ListError } from "@/lib/errors";
import { useT } from "@/lib/i18n/client";
import { interleave } from "@/lib/i18n/interleave";
import { errorTitleKey, STATE_ACTION, StatePanel } from "./list-states";

/** A detail page that could not be drawn: what happened and the one useful next step. */
export function DetailError({ error, retryHref, signInHref }: { error: ListError; retryHref: string; signInHref: string }) {
  const t = useT();
  return (
    <StatePanel title={t(errorTitleKey(error.status, "detail"))} warn>
      {error.status === 400 ? (
        <p>{interleave(t("detail.notAnIdBody"), { example: <code className="font-mono">3f1c…-…</code>, message: error.message })}</p>
      ) : error.status === 403 ? (
        <p>{t("errors.forbiddenBody")}</p>
      ) : (
        <p>{t("errors.serverSaid", { message: error.message })}</p>
      )}
      {error.status === 401 ? (
        <a href={signInHref} className={STATE_ACTION}>
          {t("errors.signInAgain")}
        </a>
      ) : error.status >= 429 ? (
        <a href={retryHref} className={STATE_ACTION}>
          {error.retryAfterSec ? t("detail.tryAgainWait", { seconds: error.retryAfterSec }) : t("common.tryAgain")}
        </a>
      ) : null}
    </StatePanel>
  );
}
