import { Pager } from "@/components/ui/pager";
import { getT } from "@/lib/locale/server";

/** Cursor paging as plain links: works without JavaScript and every page has its own URL. */
export async function AuditPager({ prevHref, nextHref, label }: { prevHref: string | null; nextHref: string | null; label: string }) {
  const t = await getT();
  return <Pager label={label} previous={{ label: t("audit.pager.previous"), href: prevHref }} next={{ label: t("audit.pager.next"), href: nextHref }} />;
}
