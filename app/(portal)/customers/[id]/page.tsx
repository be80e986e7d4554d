import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ReasonFields } from "@/components/access/reason-fields";
import { AccessReasonsProvider } from "@/components/access/reasons-context";
import { backHref } from "@/components/customers/back-link";
import { CustomerDetail } from "@/components/customers/customer-detail";
import { DetailError } from "@/components/customers/detail-error";
import { EscapeBack } from "@/components/customers/escape-back";
import { RecentAccess } from "@/components/customers/recent-access";
import { listErrorOf } from "@/lib/http/api-error";
import { recentAccessForCustomer } from "@/lib/audit/queries";
import { fullName } from "@/lib/customers/format";
import { checkAccessReason } from "@/lib/access/reasons";
import { readAccessSettings } from "@/lib/access/settings";
import { getCustomerFor, maskCustomer } from "@/lib/customers/service";
import { auditPageAccess } from "@/lib/audit-service/page-guard";
import { AUDIT_READERS } from "@/lib/roles";
import { currentStaff } from "@/lib/auth/session";
import { AuthError } from "@/lib/errors";
import { StaleNote } from "@/components/customers/stale-note";
import { getDb } from "@/lib/db";
import { DevdraftError } from "@/lib/devdraft/errors";
import { ReasonRequiredError } from "@/lib/errors";
import { requestId } from "@/lib/http/request-id";
import { interleave } from "@/lib/i18n/interleave";
import { getT } from "@/lib/locale/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("detail.title") };
}

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const RECENT_ACCESS_LIMIT = 20;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * The reason form of a customer whose status is sensitive: a plain GET form back to this page (it works before
 * JavaScript, and a reload repeats the access with the same reason, recorded again). Nothing of the customer is
 * shown: the server answered `reason_required` without sending any of its data.
 */
async function ReasonForm({ id, back, error, given }: { id: string; back: string; error: ReasonRequiredError; given: { reason?: string; ticket?: string } }) {
  const t = await getT();
  return (
    <form
      method="get"
      action={`/customers/${encodeURIComponent(id)}`}
      aria-labelledby="reason-heading"
      aria-describedby="reason-why"
      className="flex max-w-xl flex-col gap-4 rounded-md border border-edge p-4"
    >
      <h2 id="reason-heading" className="text-lg font-semibold">
        {t("detail.reasonTitle")}
      </h2>
      <p id="reason-why" className="text-sm">
        {t("detail.reasonWhy")}
      </p>
      {back !== "/customers" && <input type="hidden" name="from" value={back} />}
      <ReasonFields idPrefix="detail" reasons={error.reasons} defaults={given} invalid={!error.missing} />
      {!error.missing && (
        <div role="alert" className="rounded-md border border-danger-edge bg-danger-bg px-3 py-2 text-sm text-danger-ink">
          <p className="font-medium">{t("detail.reasonRefused")}</p>
          <ul className="list-disc ps-5">
            {error.messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      <button
        type="submit"
        className="self-start rounded-md bg-sky-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-900 dark:bg-sky-300 dark:text-slate-950"
      >
        {t("detail.open")}
      </button>
    </form>
  );
}

/**
 * An auditor sees no customer data, but may read what the audit log holds about this customer: that reading is
 * itself on record (`audit.view`), as on the audit pages.
 */
async function AuditorView({ id }: { id: string }) {
  if ((await auditPageAccess(`/customers/${encodeURIComponent(id)}`, { customer: id })) === "forbidden") return null;
  const t = await getT();
  return (
    <>
      <p className="text-sm">{interleave(t("detail.auditorNote"), { id: <code className="break-all font-mono">{id}</code> })}</p>
      <RecentAccess events={await recentAccess(id)} customerId={id} />
    </>
  );
}

async function recentAccess(customerId: string) {
  try {
    return await recentAccessForCustomer(await getDb(), customerId, RECENT_ACCESS_LIMIT);
  } catch {
    return null;
  }
}

export default async function CustomerPage({ params, searchParams }: Props) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const back = backHref(search.from);
  const here = `/customers/${encodeURIComponent(id)}${back === "/customers" ? "" : `?from=${encodeURIComponent(back)}`}`;
  const rid = await requestId();
  const t = await getT();
  const backLink = (
    <>
      <Link href={back} aria-keyshortcuts="Escape" className="self-start text-sm text-accent underline underline-offset-2">
        {t("detail.back")}
      </Link>
      <EscapeBack href={back} />
    </>
  );

  const given = { reason: one(search.reason), ticket: one(search.ticket) };
  let answer;
  try {
    answer = await getCustomerFor(id, rid, "customer.view", given);
  } catch (err) {
    if (err instanceof DevdraftError && err.kind === "not_found") notFound();
    if (err instanceof ReasonRequiredError) {
      return (
        <div className="flex flex-col gap-4">
          {backLink}
          <h1 className="text-2xl font-semibold">{t("detail.title")}</h1>
          <ReasonForm id={id} back={back} error={err} given={given} />
        </div>
      );
    }
    const staff = err instanceof AuthError && err.status === 403 ? await currentStaff() : null;
    if (staff?.role === "auditor") {
      return (
        <div className="flex flex-col gap-4">
          <h1 className="text-2xl font-semibold">{t("detail.title")}</h1>
          <AuditorView id={id} />
        </div>
      );
    }
    return (
      <div className="flex flex-col gap-4">
        {backLink}
        <h1 className="text-2xl font-semibold">{t("detail.title")}</h1>
        <DetailError error={listErrorOf(err, rid)} retryHref={here} signInHref={`/login?callbackUrl=${encodeURIComponent(here)}`} />
      </div>
    );
  }

  const { customer } = answer;
  const role = (await currentStaff())?.role;
  const check = checkAccessReason(given, readAccessSettings().ACCESS_REASONS);
  const purpose = check.ok ? check.purpose : null;
  return (
    <div className="flex flex-col gap-stack">
      {backLink}
      <h1 className="text-2xl font-semibold">{fullName(customer.first_name, customer.last_name, t("customers.noName"))}</h1>
      {purpose && <p className="text-sm text-muted">{t("detail.openedFor", { purpose })}</p>}
      {answer.stale && <StaleNote asOf={answer.asOf} />}
      {/* Masked here, on the server: contact details leave it only through a Reveal and its own event. */}
      <AccessReasonsProvider reasons={readAccessSettings().ACCESS_REASONS}>
        <CustomerDetail customer={maskCustomer(customer)} showRaw={role === "admin"} />
      </AccessReasonsProvider>
      {role && AUDIT_READERS.includes(role) && <RecentAccess events={await recentAccess(customer.id)} customerId={customer.id} />}
    </div>
  );
}
