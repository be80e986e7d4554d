import { getT } from "@/lib/locale/server";
import type { Metadata } from "next";
import { NotFoundNotice } from "@/components/shell/not-found-notice";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getT())("shell.notFoundTitle") };
}

/** Any address the portal does not serve. Drawn without the portal's header: it needs no sign-in. */
export default async function NotFound() {
  const t = await getT();
  return (
    <main id="main" className="mx-auto w-full max-w-3xl px-gutter py-10 sm:px-gutter-wide">
      <NotFoundNotice title={t("shell.notFoundTitle")} backHref="/" backLabel={t("shell.backToPortal")}>
        {t("shell.notFoundBody")}
      </NotFoundNotice>
    </main>
  );
}
