import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { backHref } from "@/components/customers/back-link";
import { CustomerDetail } from "@/components/customers/customer-detail";
import { DetailError } from "@/components/customers/detail-error";
import { RecentAccess } from "@/components/customers/recent-access";
import { toListError } from "@/components/customers/server-error";
import { recentAccessForCustomer } from "@/lib/audit/queries";
import { fullName } from "@/lib/customers/format";
import { getCustomerFor } from "@/lib/customers/service";
import { getDb } from "@/lib/db";
import { DevdraftError } from "@/lib/devdraft/errors";
import { requestId } from "@/lib/http/request-id";

export const metadata: Metadata = { title: "Customer" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const RECENT_ACCESS_LIMIT = 20;

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
  const backLink = (
    <Link href={back} className="self-start text-sm text-blue-800 underline underline-offset-2 dark:text-blue-300">
      ← Back to customers
    </Link>
  );

  let customer;
  try {
    customer = await getCustomerFor(id, rid, "customer.view");
  } catch (err) {
    if (err instanceof DevdraftError && err.kind === "not_found") notFound();
    return (
      <div className="flex flex-col gap-4">
        {backLink}
        <h1 className="text-2xl font-semibold">Customer</h1>
        <DetailError error={await toListError(err, rid)} retryHref={here} signInHref={`/login?callbackUrl=${encodeURIComponent(here)}`} />
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      {backLink}
      <h1 className="text-2xl font-semibold">{fullName(customer.first_name, customer.last_name)}</h1>
      <CustomerDetail customer={customer} />
      <RecentAccess events={await recentAccess(customer.id)} />
    </div>
  );
}
