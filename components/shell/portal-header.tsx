import Link from "next/link";
import { PaletteLauncher } from "@/components/palette/palette-launcher";
import type { Staff } from "@/lib/auth/session";
import { AUDIT_READERS, CUSTOMER_READERS, STAFF_ADMINS } from "@/lib/roles";
import { SignOutButton } from "./sign-out-button";
import type { Theme } from "./theme";
import { ThemeToggle } from "./theme-toggle";

/** The pages this person's role may open: the main navigation, and the pages Go to (Ctrl+K) offers. */
function pagesFor(role: Staff["role"]): { label: string; href: string }[] {
  const pages: [boolean, string, string][] = [
    [CUSTOMER_READERS.includes(role), "Customers", "/customers"],
    [AUDIT_READERS.includes(role), "Audit", "/audit"],
    [STAFF_ADMINS.includes(role), "Staff", "/admin/staff"],
    [role === "admin", "Sessions", "/admin/sessions"],
    [CUSTOMER_READERS.includes(role), "API tokens", "/account/tokens"],
    [role === "admin", "Grants", "/admin/grants"],
    [true, "Account", "/account"],
  ];
  return pages.filter(([allowed]) => allowed).map(([, label, href]) => ({ label, href }));
}

export function PortalHeader({ staff, theme }: { staff: Staff; theme: Theme }) {
  const pages = pagesFor(staff.role);
  return (
    <header className="border-b border-slate-200 print:hidden dark:border-slate-800">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-3 py-3 sm:px-6">
        <Link href="/" className="font-semibold">
          Customer portal
        </Link>
        <nav aria-label="Main" className="flex flex-wrap gap-x-4 text-sm">
          {pages.map((page) => (
            <Link key={page.href} href={page.href} className="hover:underline">
              {page.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex flex-wrap items-center gap-3 text-sm">
          <PaletteLauncher readsCustomers={CUSTOMER_READERS.includes(staff.role)} pages={pages} />
          <ThemeToggle initial={theme} />
          <span>
            <Link href="/account/sessions" className="font-medium hover:underline">
              {staff.name}
            </Link>{" "}
            <span className="text-slate-600 dark:text-slate-400">({staff.role})</span>
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
