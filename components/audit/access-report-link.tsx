import Link from "next/link";
import { LINK } from "./styles";

/** To the access report, for one customer when given (the auditor still picks the period). */
export function AccessReportLink({ customerId, children }: { customerId?: string; children: React.ReactNode }) {
  const href = customerId ? `/audit/access-report?${new URLSearchParams({ customer: customerId }).toString()}` : "/audit/access-report";
  // Underlined at rest: it sits in running text, where colour alone does not mark a link.
  return (
    <Link href={href} className={`${LINK} underline`}>
      {children}
    </Link>
  );
}
