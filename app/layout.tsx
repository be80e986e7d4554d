import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { themeFromCookie } from "@/components/shell/theme";
import { I18nProvider } from "@/lib/i18n/client";
import { getT, i18nForLayout } from "@/lib/locale/server";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const appName = (await getT())("common.appName");
  return {
    title: { default: appName, template: `%s · ${appName}` },
    robots: { index: false, follow: false },
    icons: {
      icon: [
        { url: "/favicon.ico", sizes: "32x32" },
        { url: "/icon.svg", type: "image/svg+xml" },
      ],
    },
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = themeFromCookie((await cookies()).get("theme")?.value);
  // The person's language (their choice, else the browser's): <html lang dir>, and the client's share of its messages.
  const { locale, dir, messages } = await i18nForLayout();
  return (
    <html lang={locale} dir={dir} className={theme === "system" ? undefined : theme}>
      <body className="min-h-screen bg-page text-fg antialiased">
        <I18nProvider locale={locale} messages={messages}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}
