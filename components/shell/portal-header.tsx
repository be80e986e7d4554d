import Link from "next/link";
import { PaletteLauncher } from "@/components/palette/palette-launcher";
import type { Staff } from "@/lib/auth/session";
import { getT } from "@/lib/locale/server";
import type { Key } from "@/lib/i18n/keys";
import type { Translate } from "@/lib/i18n/translate";
import { AUDIT_READERS, CUSTOMER_READERS, STAFF_ADMINS } from "@/lib/roles";
import { SignOutButton } from "./sign-out-button";
import type { Theme } from "./theme";
import { ThemeToggle } from "./theme-toggle";

/** The pages this person's role may open: the main navigation, and the pages Go to (Ctrl+K) offers. */
function pagesFor(role: Staff["role"], t: Translate<Key>): { label: string; href: string }[] {
  const pages: [boolean, Key, string][] = [
    [CUSTOMER_READERS.includes(role), "shell.pages.customers", "/customers"],
    [AUDIT_READERS.includes(role), "shell.pages.audit", "/audit"],
    [STAFF_ADMINS.includes(role), "shell.pages.staff", "/admin/staff"],
    [role === "admin", "shell.pages.sessions", "/admin/sessions"],
    [CUSTOMER_READERS.includes(role), "shell.pages.tokens", "/account/tokens"],
    [role === "admin", "shell.pages.grants", "/admin/grants"],
    [true, "shell.pages.account", "/account"],
  ];
  return pages.filter(([allowed]) => allowed).map(([, label, href]) => ({ label: t(label), href }));
}

export async function PortalHeader({ staff, theme }: { staff: Staff; theme: Theme }) {
  const t = await getT();
  const pages = pagesFor(staff.role, t);
  return (
    <header className="border-b border-line print:hidden">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-gutter py-3 sm:px-gutter-wide">
        <Link href="/" className="font-semibold">
          {t("common.appName")}
        </Link>
        <nav aria-label={t("shell.mainNav")} className="flex flex-wrap gap-x-4 text-sm">
          {pages.map((page) => (
            <Link key={page.href} href={page.href} className="hover:underline">
              {page.label}
            </Link>
          ))}
        </nav>
        <div className="ms-auto flex flex-wrap items-center gap-3 text-sm">
          <PaletteLauncher readsCustomers={CUSTOMER_READERS.includes(staff.role)} pages={pages} />
          <ThemeToggle initial={theme} />
          <span>
            <Link href="/account/sessions" className="font-medium hover:underline">
              {staff.name}
            </Link>{" "}
            <span className="text-muted">({t(`shell.roles.${staff.role}`)})</span>
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
