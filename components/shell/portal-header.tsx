import Link from "next/link";
import type { Staff } from "@/lib/auth/session";
import { AUDIT_READERS, CUSTOMER_READERS, STAFF_ADMINS } from "@/lib/auth/roles";
import { SignOutButton } from "./sign-out-button";
import type { Theme } from "./theme";
import { ThemeToggle } from "./theme-toggle";

export function PortalHeader({ staff, theme }: { staff: Staff; theme: Theme }) {
  return (
    <header className="border-b border-slate-200 print:hidden dark:border-slate-800">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-3 py-3 sm:px-6">
        <Link href="/" className="font-semibold">Customer portal</Link>
        <nav aria-label="Main" className="flex gap-4 text-sm">
          {CUSTOMER_READERS.includes(staff.role) && <Link href="/customers" className="hover:underline">Customers</Link>}
          {AUDIT_READERS.includes(staff.role) && <Link href="/audit" className="hover:underline">Audit</Link>}
          {STAFF_ADMINS.includes(staff.role) && <Link href="/admin/staff" className="hover:underline">Staff</Link>}
          {staff.role === "admin" && <Link href="/admin/sessions" className="hover:underline">Sessions</Link>}
          {CUSTOMER_READERS.includes(staff.role) && <Link href="/account/tokens" className="hover:underline">API tokens</Link>}
          {staff.role === "admin" && <Link href="/admin/grants" className="hover:underline">Grants</Link>}
          <Link href="/account" className="hover:underline">Account</Link>
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <ThemeToggle initial={theme} />
          <span>
            <Link href="/account/sessions" className="font-medium hover:underline">{staff.name}</Link>{" "}
            <span className="text-slate-600 dark:text-slate-400">({staff.role})</span>
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
