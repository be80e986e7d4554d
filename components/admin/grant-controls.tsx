"use client";

import { useRouter } from "next/navigation";
import { type SubmitEvent, useState } from "react";
import { ReasonFields } from "@/components/access/reason-fields";
import { useAccessReasons } from "@/components/access/reasons-context";
import { GRANT_HOURS_MAX, GRANT_HOURS_MIN } from "@/lib/access/grant-rules";
import { checkAccessReason } from "@/lib/access/reasons";
import { apiMessages } from "@/lib/customers/answers";
import { buttonClass } from "@/components/ui/button";
import { INPUT } from "@/components/ui/styles";
import { alertClass } from "@/components/ui/alert";
import { reasonProblems } from "@/components/access/reason-fields";
import { useT } from "@/lib/i18n/client";

const PRIMARY = `${buttonClass("primary")} self-start`;

/** Grants one agent export rights for N hours, with the reason; the server checks everything again. */
export function GrantForm({ agents }: { agents: { id: string; email: string; name: string }[] }) {
  const reasons = useAccessReasons();
  const router = useRouter();
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const hours = Number(data.get("hours"));
    const check = checkAccessReason({ reason: data.get("reason") ?? undefined, ticket: data.get("ticket") ?? undefined }, reasons);
    const problems = [
      ...(data.get("staffId") ? [] : [t("grants.form.agentMissing")]),
      ...(Number.isInteger(hours) && hours >= GRANT_HOURS_MIN && hours <= GRANT_HOURS_MAX
        ? []
        : [t("grants.form.hoursInvalid", { min: GRANT_HOURS_MIN, max: GRANT_HOURS_MAX })]),
      ...(check.ok ? [] : [reasonProblems(t, check.problems, reasons)]),
    ];
    setDone(null);
    if (problems.length > 0 || !check.ok) {
      setProblem(problems.join(". "));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const res = await fetch("/api/grants", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ staffId: data.get("staffId"), hours, ...check.reason }),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        setProblem(t("grants.form.notGranted", { reason: apiMessages(body, res.status).join("; ") }));
        return;
      }
      const agent = agents.find((a) => a.id === data.get("staffId"));
      setDone(t("grants.form.granted", { agent: agent?.email ?? t("grants.form.theAgent"), count: hours }));
      form.reset();
      router.refresh();
    } catch {
      setProblem(t("grants.form.unreachable"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="grant-heading"
      className="flex max-w-xl flex-col gap-3 rounded-md border border-edge p-4"
    >
      <h2 id="grant-heading" className="text-lg font-semibold">
        {t("grants.form.title")}
      </h2>
      <div className="flex flex-col gap-1">
        <label htmlFor="grant-agent" className="text-sm font-medium">
          {t("grants.form.agent")}
        </label>
        <select id="grant-agent" name="staffId" required defaultValue="" className={INPUT}>
          <option value="" disabled>
            {t("grants.form.chooseAgent")}
          </option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.email})
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="grant-hours" className="text-sm font-medium">
          {t("grants.form.hours")}
        </label>
        <input
          id="grant-hours"
          name="hours"
          type="number"
          required
          min={GRANT_HOURS_MIN}
          max={GRANT_HOURS_MAX}
          step={1}
          defaultValue={4}
          aria-describedby="grant-hours-hint"
          className={`${INPUT} max-w-32`}
        />
        <p id="grant-hours-hint" className="text-xs text-muted">
          {t("grants.form.hoursHint", { min: GRANT_HOURS_MIN, max: GRANT_HOURS_MAX })}
        </p>
      </div>
      <ReasonFields idPrefix="grant" reasons={reasons} invalid={problem !== null} />
      <div role="alert" className={`${alertClass("error", false)} empty:hidden`}>
        {problem}
      </div>
      <div role="status" className="text-sm empty:hidden">
        {done}
      </div>
      <button type="submit" className={PRIMARY} disabled={busy}>
        {busy ? t("grants.form.granting") : t("grants.form.submit")}
      </button>
    </form>
  );
}

/** Ends a live grant now. */
export function RevokeButton({ id, who }: { id: string; who: string }) {
  const router = useRouter();
  const t = useT();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function revoke() {
    setBusy(true);
    setProblem(null);
    try {
      const res = await fetch(`/api/grants/${encodeURIComponent(id)}`, { method: "DELETE", headers: { accept: "application/json" } });
      if (!res.ok) {
        setProblem(apiMessages(await res.json().catch(() => null), res.status).join("; "));
        return;
      }
      router.refresh();
    } catch {
      setProblem(t("grants.form.unreachable"));
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <button
        type="button"
        onClick={() => void revoke()}
        disabled={busy}
        aria-label={t("grants.revoke.label", { who })}
        className="rounded border border-control px-2 py-0.5 text-xs font-medium hover:bg-hover disabled:opacity-60"
      >
        {busy ? t("grants.revoke.revoking") : t("grants.revoke.submit")}
      </button>
      {problem && (
        <span role="alert" className="text-xs text-danger">
          {problem}
        </span>
      )}
    </span>
  );
}
