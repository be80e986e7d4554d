"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import type { CustomersQuery } from "@/lib/contract/query";
import type { ListError } from "@/lib/errors";
import { buttonClass } from "@/components/ui/button";

const PANEL = "flex flex-col items-start gap-3 rounded-md border px-4 py-4 text-sm";
const CALM = `${PANEL} border-slate-300 bg-slate-50 dark:border-slate-700 dark:bg-slate-900`;
const WARN = `${PANEL} border-amber-400 bg-amber-50 text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-50`;
const BUTTON = buttonClass("inherit");

function Panel({ title, tone = CALM, children }: { title: string; tone?: string; children: ReactNode }) {
  return (
    <section role="status" aria-labelledby="list-state-title" className={tone}>
      <h2 id="list-state-title" className="text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** 429: count down the server's retry delay, then ask again without a click. */
function RateLimited({ seconds, onRetry }: { seconds: number; onRetry: () => void }) {
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
    <Panel title="Devdraft asked us to slow down" tone={WARN}>
      <p>Too many requests reached Devdraft in the last minute. Nothing is wrong with your search.</p>
      <p className="tabular-nums">{left > 0 ? `Trying again in ${left} s…` : "Trying again now…"}</p>
    </Panel>
  );
}

function upstreamTitle(status: number): string {
  if (status === 504) return "Devdraft is taking too long to answer";
  if (status === 0) return "The portal could not be reached";
  if (status === 503) return "Customer data is unavailable right now";
  if (status === 500) return "The portal ran into a problem";
  return "Devdraft is having trouble";
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
  if (error.status === 401) {
    return (
      <Panel title="Your session has ended">
        <p>Sign in again to see customers. You will come back to this same view.</p>
        <a href={signInHref} className={BUTTON}>
          Sign in again
        </a>
      </Panel>
    );
  }
  if (error.status === 403) {
    return (
      <Panel title="You don't have access to customer pages">
        <p>Your role does not include customer data. If you need it for your work, ask an admin to change your role.</p>
      </Panel>
    );
  }
  if (error.status === 429) {
    return <RateLimited key={attempt} seconds={error.retryAfterSec ?? 5} onRetry={onRetry} />;
  }
  if (error.status === 400) {
    return (
      <Panel title="This view could not be shown" tone={WARN}>
        <ul className="list-disc pl-5">
          {error.messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
        {/* A full load on purpose: the list starts again from a clean URL, whatever state the bad query left. */}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
        <a href="/customers" className={BUTTON}>
          Show all customers
        </a>
      </Panel>
    );
  }
  return (
    <Panel title={upstreamTitle(error.status)} tone={WARN}>
      <p>
        {/[.!?]$/.test(error.message) ? error.message : `${error.message}.`} No customers are shown because the list could not be loaded, not because none
        match.
        {error.status ? ` (HTTP ${error.status})` : ""}
      </p>
      <button type="button" onClick={() => !retrying && onRetry()} className={BUTTON} aria-disabled={retrying}>
        {retrying ? "Retrying…" : "Retry"}
      </button>
    </Panel>
  );
}

const FILTER_LABELS: Record<"name" | "email" | "status", string> = { name: "Name", email: "Email", status: "Status" };

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
  const active = (["name", "email", "status"] as const).filter((f) => query[f]);
  if (active.length === 0) {
    return (
      <Panel title="There are no customers yet">
        <p>Devdraft has no customers for this app.</p>
      </Panel>
    );
  }
  return (
    <Panel title="No customers match these filters">
      <p>
        Nothing matches{" "}
        {active.map((f, i) => (
          <span key={f}>
            {i > 0 && (i === active.length - 1 ? " and " : ", ")}
            {FILTER_LABELS[f]} “{f === "status" ? statusText : query[f]}”
          </span>
        ))}
        . Try loosening:
      </p>
      <div className="flex flex-wrap gap-2">
        {active.map((f) => (
          <button key={f} type="button" onClick={() => onLoosen(f)} className={BUTTON}>
            Remove the {FILTER_LABELS[f]} filter
          </button>
        ))}
      </div>
    </Panel>
  );
}
