import Link from "next/link";
import { LINK } from "./styles";

/** To the access report, for one customer when given (the auditor still picks the period). */
export function AccessReportLink({ customerId, children }: { customerId?: string; children: React.ReactNode }) {
  const href = customerId ? `/audit/access-report?${new URLSearchParams({ customer: customerId }).toString()}` : "/audit/access-report";
  return <Link href={href} className={LINK}>{children}</Link>;
}
