import "server-only";
import type { AuditOutcome } from "@/lib/audit/actions";
import { AuthError } from "@/lib/errors";
import { crossBundleBrand } from "@/lib/cross-bundle-class";
import { DevdraftError } from "@/lib/devdraft/errors";
import type { Message } from "@/lib/i18n/keys";
import { ConflictError, GoneError, InvalidQueryError, NotFoundError, NotGrantedError, ReasonRequiredError, TooManyAttemptsError } from "@/lib/errors";

const CHANGE_REFUSED_BRAND = crossBundleBrand("ChangeRefused");

/**
 * A change refused by a rule or by its input (the last admin, a breached password…): recorded with exactly this
 * outcome and reason. `fields` are the messages for the person, per form field or `form` for the whole form, as
 * catalogue keys the form translates into the reader's language (never recorded).
 */
export class ChangeRefused extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return CHANGE_REFUSED_BRAND.has(value);
  }

  constructor(
    readonly outcome: Exclude<AuditOutcome, "ok">,
    readonly refusal: string,
    readonly fields: Record<string, Message> = {},
  ) {
    super(refusal);
    CHANGE_REFUSED_BRAND.mark(this);
  }
}

/** The one mapping of a refusal or failure to its recorded outcome and a short reason (never customer data). */
export function refusalOf(err: unknown): { outcome: AuditOutcome; refusal: string } {
  if (err instanceof ChangeRefused) return { outcome: err.outcome, refusal: err.refusal.slice(0, 500) };
  if (err instanceof AuthError) {
    return { outcome: "denied", refusal: err.code ? err.code.replaceAll("_", " ") : err.status === 401 ? "signed out" : "role not allowed" };
  }
  if (err instanceof TooManyAttemptsError) return { outcome: "rate_limited", refusal: "too many failed attempts" };
  if (err instanceof ReasonRequiredError) {
    return err.missing
      ? { outcome: "denied", refusal: "no reason for access given" }
      : { outcome: "invalid", refusal: `invalid reason for access: ${err.message}`.slice(0, 500) };
  }
  if (err instanceof NotGrantedError) return { outcome: "denied", refusal: "no live export grant" };
  if (err instanceof InvalidQueryError) return { outcome: "invalid", refusal: `invalid request: ${err.message}`.slice(0, 500) };
  if (err instanceof ConflictError) return { outcome: "denied", refusal: err.message.slice(0, 500) };
  if (err instanceof NotFoundError) return { outcome: "not_found", refusal: err.message.slice(0, 500) };
  if (err instanceof GoneError) return { outcome: "not_found", refusal: `gone: ${err.message}`.slice(0, 500) };
  if (err instanceof DevdraftError) {
    if (err.kind === "rate_limited") return { outcome: "rate_limited", refusal: "Devdraft rate limit" };
    if (err.kind === "not_found") return { outcome: "not_found", refusal: "no such customer at Devdraft" };
    if (err.kind === "bad_request") return { outcome: "invalid", refusal: "Devdraft refused the query" };
    return { outcome: "upstream_error", refusal: `Devdraft ${err.kind}` };
  }
  return { outcome: "failed", refusal: err instanceof Error ? err.name : "unknown failure" };
}
