import Link from "next/link";
import { BUTTON } from "./styles";

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
export function AuditPager({ prevHref, nextHref, label }: { prevHref: string | null; nextHref: string | null; label: string }) {
  return (
    <nav aria-label={label} className="flex flex-wrap gap-2">
      <PageLink href={prevHref} label="Previous page" />
      <PageLink href={nextHref} label="Next page" />
    </nav>
  );
}
