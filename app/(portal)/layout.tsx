import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { IdleWarning } from "@/components/session/idle-warning";
import { PortalHeader } from "@/components/shell/portal-header";
import { themeFromCookie } from "@/components/shell/theme";
import { currentStaff } from "@/lib/auth/session";
import { getT } from "@/lib/locale/server";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const staff = await currentStaff();
  if (!staff) redirect("/login");
  const theme = themeFromCookie((await cookies()).get("theme")?.value);
  const t = await getT();
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:px-3 focus:py-2"
      >
        {t("shell.skipToContent")}
      </a>
      <PortalHeader staff={staff} theme={theme} />
      <main id="main" className="mx-auto w-full max-w-7xl px-gutter py-4 sm:px-gutter-wide">
        {children}
      </main>
      <IdleWarning />
    </>
  );
}
