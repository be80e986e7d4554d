import { TICKET_MAX_LENGTH, TICKET_PATTERN_SOURCE, TICKET_RULE } from "@/lib/access/reasons";
import { INPUT } from "@/components/ui/styles";

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
  const reasonId = `${idPrefix}-reason`;
  const ticketId = `${idPrefix}-ticket`;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor={reasonId} className="text-sm font-medium">
          Reason for access
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
            Choose a reason…
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
          Ticket reference
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
        <p id={`${ticketId}-hint`} className="text-xs text-slate-700 dark:text-slate-300">
          The support, fraud or legal ticket this access belongs to, e.g. INC-1234 ({TICKET_RULE}).
        </p>
      </div>
    </div>
  );
}
