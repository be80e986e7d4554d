import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { themeFromCookie } from "@/components/shell/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Customer portal", template: "%s · Customer portal" },
  robots: { index: false, follow: false },
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "32x32" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
  },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = themeFromCookie((await cookies()).get("theme")?.value);
  return (
    <html lang="en" className={theme === "system" ? undefined : theme}>
      <body className="min-h-screen bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">{children}</body>
    </html>
  );
}
