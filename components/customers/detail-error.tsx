import type { ListError } from "@/lib/errors";

function title(status: number): string {
  if (status === 400) return "This is not a customer id";
  if (status === 401) return "Your session has ended";
  if (status === 403) return "You don't have access to customer pages";
  if (status === 429) return "Devdraft asked us to slow down";
  if (status === 504) return "Devdraft is taking too long to answer";
  return "This customer could not be loaded";
}

/** A detail page that could not be drawn: what happened and the one useful next step. */
export function DetailError({ error, retryHref, signInHref }: { error: ListError; retryHref: string; signInHref: string }) {
  const link = "self-start rounded-md border border-current px-3 py-1.5 text-sm font-medium hover:underline";
  return (
    <section
      role="status"
      aria-labelledby="detail-error"
      className="flex flex-col gap-3 rounded-md border border-amber-400 bg-amber-50 px-4 py-4 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-50"
    >
      <h2 id="detail-error" className="text-base font-semibold">
        {title(error.status)}
      </h2>
      {error.status === 400 ? (
        <p>
          Customer ids look like <code className="font-mono">3f1c…-…</code> (a UUID). Check the link you followed. Devdraft said: {error.message}
        </p>
      ) : error.status === 403 ? (
        <p>Your role does not include customer data. If you need it for your work, ask an admin to change your role.</p>
      ) : (
        <p>{error.message}</p>
      )}
      {error.status === 401 ? (
        <a href={signInHref} className={link}>
          Sign in again
        </a>
      ) : error.status >= 429 ? (
        <a href={retryHref} className={link}>
          {error.retryAfterSec ? `Try again (wait ${error.retryAfterSec} s)` : "Try again"}
        </a>
      ) : null}
    </section>
  );
}
