"use client";

// A client component only to read the person's language; still plain markup that works in a GET form before JavaScript.
import { useT } from "@/lib/i18n/client";
import { TICKET_MAX_LENGTH, TICKET_PATTERN_SOURCE, type ReasonProblem } from "@/lib/access/reasons";
import { INPUT } from "@/components/ui/styles";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";

/**
 * The two fields of a reason for access: a select of the configured reasons and a ticket reference, each labelled,
 * required and described. Plain markup (no state), so a server-rendered GET form and the client dialog share it.
 * Field names are `reason` and `ticket`, as every door that asks for a reason reads them.
 */
export function ReasonFields({
  idPrefix,
  reasons,
  defaults,
  invalid = false,
  autoFocus = false,
}: {
  idPrefix: string;
  reasons: readonly string[];
  defaults?: { reason?: string; ticket?: string };
  invalid?: boolean;
  autoFocus?: boolean;
}) {
  const t = useT();
  const reasonId = `${idPrefix}-reason`;
  const ticketId = `${idPrefix}-ticket`;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor={reasonId} className="text-sm font-medium">
          {t("reveal.reason")}
        </label>
        <select
          id={reasonId}
          name="reason"
          required
          autoFocus={autoFocus}
          defaultValue={defaults?.reason && reasons.includes(defaults.reason) ? defaults.reason : ""}
          aria-invalid={invalid || undefined}
          className={INPUT}
        >
          <option value="" disabled>
            {t("reveal.choose")}
          </option>
          {reasons.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ticketId} className="text-sm font-medium">
          {t("reveal.ticket")}
        </label>
        <input
          id={ticketId}
          name="ticket"
          required
          maxLength={TICKET_MAX_LENGTH}
          pattern={TICKET_PATTERN_SOURCE}
          defaultValue={defaults?.ticket ?? ""}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${ticketId}-hint`}
          aria-invalid={invalid || undefined}
          className={`${INPUT} font-mono`}
        />
        <p id={`${ticketId}-hint`} className="text-xs text-muted">
          {t("reveal.ticketHint", { rule: t("reveal.ticketRule") })}
        </p>
      </div>
    </div>
  );
}

/** A reason's problems in the person's language, one sentence each (the configured reasons stay as configured). */
export function reasonProblems(t: Translate<Key>, problems: readonly ReasonProblem[], reasons: readonly string[]): string {
  return problems.map((problem) => t(`reveal.problems.${problem}`, { reasons: reasons.join(" | "), rule: t("reveal.ticketRule") })).join(". ");
}
