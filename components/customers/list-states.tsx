"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { CustomersQuery } from "@/lib/contract/query";
import type { ListError } from "@/lib/errors";
import { buttonClass } from "@/components/ui/button";
import { useT } from "@/lib/i18n/client";
import { interleave } from "@/lib/i18n/interleave";
import type { Key } from "@/lib/i18n/keys";

const PANEL = "flex flex-col items-start gap-3 rounded-md border px-4 py-4 text-sm";
const CALM = `${PANEL} border-edge bg-sunken`;
const WARN = `${PANEL} border-warning-edge bg-warning-bg text-warning-ink`;
/** The next step out of an error (sign in, try again), on the panel's own colours. */
export const STATE_ACTION = buttonClass("inherit");

/**
 * The one panel in which the list and the customer page say what state they are in: calm for an answer that is
 * not an error (no access, signed out), a warning for a failure. Announced politely; named by its heading.
 */
export function StatePanel({ title, warn = false, children }: { title: string; warn?: boolean; children: ReactNode }) {
  const id = useId();
  return (
    <section role="status" aria-labelledby={id} className={warn ? WARN : CALM}>
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** 429: count down the server's retry delay, then ask again without a click. */
function RateLimited({ seconds, onRetry }: { seconds: number; onRetry: () => void }) {
  const t = useT();
  const [left, setLeft] = useState(seconds);
  const asked = useRef(false);
  useEffect(() => {
    if (left > 0) {
      const timer = setTimeout(() => setLeft((s) => s - 1), 1000);
      return () => clearTimeout(timer);
    }
    // Once per countdown: a fresh 429 brings a fresh countdown (see `attempt`).
    if (!asked.current) {
      asked.current = true;
      onRetry();
    }
  }, [left, onRetry]);
  return (
    <StatePanel title={t("errors.rateLimitedTitle")} warn>
      <p>{t("errors.rateLimitedBody")}</p>
      <p className="tabular-nums">{left > 0 ? t("errors.tryingIn", { seconds: left }) : t("errors.tryingNow")}</p>
    </StatePanel>
  );
}

/**
 * The one mapping from an error's code (its HTTP status: the API's messages stay English, for scripts) to the
 * heading the list and the detail page show, in the person's language.
 */
export function errorTitleKey(status: number, on: "list" | "detail"): Key {
  if (status === 400) return on === "list" ? "errors.invalidTitle" : "errors.notAnId";
  if (status === 401) return "errors.sessionEndedTitle";
  if (status === 403) return "errors.forbiddenTitle";
  if (status === 429) return "errors.rateLimitedTitle";
  if (status === 504) return "errors.timeout";
  if (status === 0) return "errors.unreachable";
  if (on === "detail") return "errors.customerFailed";
  if (status === 503) return "errors.unavailable";
  if (status === 500) return "errors.internal";
  return "errors.upstream";
}

type ErrorProps = {
  error: ListError;
  /** Changes with every failed answer, so each 429 restarts its own countdown. */
  attempt: number;
  signInHref: string;
  onRetry: () => void;
  retrying: boolean;
};

export function ListErrorState({ error, attempt, signInHref, onRetry, retrying }: ErrorProps) {
  const t = useT();
  const title = t(errorTitleKey(error.status, "list"));
  if (error.status === 401) {
    return (
      <StatePanel title={title}>
        <p>{t("errors.sessionEndedBody")}</p>
        <a href={signInHref} className={STATE_ACTION}>
          {t("errors.signInAgain")}
        </a>
      </StatePanel>
    );
  }
  if (error.status === 403) {
    return (
      <StatePanel title={title}>
        <p>{t("errors.forbiddenBody")}</p>
      </StatePanel>
    );
  }
  if (error.status === 429) {
    return <RateLimited key={attempt} seconds={error.retryAfterSec ?? 5} onRetry={onRetry} />;
  }
  if (error.status === 400) {
    return (
      <StatePanel title={title} warn>
        <ul className="list-disc ps-5">
          {error.messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
        {/* A full load on purpose: the list starts again from a clean URL, whatever state the bad query left. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/customers" className={STATE_ACTION}>
          {t("errors.showAll")}
        </a>
      </StatePanel>
    );
  }
  return (
    <StatePanel title={title} warn>
      <p>
        {t("errors.serverSaid", { message: /[.!?]$/.test(error.message) ? error.message : `${error.message}.` })} {t("errors.notShown")}
        {error.status ? ` ${t("errors.status", { status: String(error.status) })}` : ""}
      </p>
      <button type="button" onClick={() => !retrying && onRetry()} className={STATE_ACTION} aria-disabled={retrying}>
        {retrying ? t("common.retrying") : t("common.retry")}
      </button>
    </StatePanel>
  );
}

/** No match: names each active filter, with a button that drops just that one. */
export function NoMatch({
  query,
  statusText,
  onLoosen,
}: {
  query: CustomersQuery;
  statusText: string;
  onLoosen: (field: "name" | "email" | "status") => void;
}) {
  const t = useT();
  const active = (["name", "email", "status"] as const).filter((f) => query[f]);
  if (active.length === 0) {
    return (
      <StatePanel title={t("customers.noMatch.emptyTitle")}>
        <p>{t("customers.noMatch.emptyBody")}</p>
      </StatePanel>
    );
  }
  const filters = active.map((f, i) => (
    <span key={f}>
      {i > 0 && (i === active.length - 1 ? t("customers.noMatch.and") : ", ")}
      {t("customers.noMatch.filter", { label: t(`customers.${f}`), value: (f === "status" ? statusText : query[f]) ?? "" })}
    </span>
  ));
  return (
    <StatePanel title={t("customers.noMatch.title")}>
      <p>{interleave(t("customers.noMatch.nothing"), { filters })}</p>
      <div className="flex flex-wrap gap-2">
        {active.map((f) => (
          <button key={f} type="button" onClick={() => onLoosen(f)} className={STATE_ACTION}>
            {t("customers.noMatch.remove", { label: t(`customers.${f}`) })}
          </button>
        ))}
      </div>
    </StatePanel>
  );
}
