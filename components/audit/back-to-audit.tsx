import Link from "next/link";
import { LINK } from "./styles";

/** The way back to the audit log above a history or a report (hidden in print, where it leads nowhere). */
export function BackToAudit({ children }: { children: React.ReactNode }) {
  return (
    <p className="text-sm print:hidden">
      <Link href="/audit" className={LINK}>
        {children}
      </Link>
    </p>
  );
}
