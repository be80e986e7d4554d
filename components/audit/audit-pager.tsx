import Link from "next/link";
import { BUTTON } from "./styles";
import { getT } from "@/lib/i18n/server";

function PageLink({ href, label }: { href: string | null; label: string }) {
  if (!href) {
    return (
      <span aria-disabled="true" className={`${BUTTON} cursor-not-allowed opacity-50`}>
        {label}
      </span>
    );
  }
  return (
    <Link href={href} className={BUTTON}>
      {label}
    </Link>
  );
}

/** Cursor paging as plain links: works without JavaScript and every page has its own URL. */
export async function AuditPager({ prevHref, nextHref, label }: { prevHref: string | null; nextHref: string | null; label: string }) {
  const t = await getT();
  return (
    <nav aria-label={label} className="flex flex-wrap gap-2">
      <PageLink href={prevHref} label={t("audit.pager.previous")} />
      <PageLink href={nextHref} label={t("audit.pager.next")} />
    </nav>
  );
}
