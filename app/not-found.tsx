import type { Metadata } from "next";
import { NotFoundNotice } from "@/components/shell/not-found-notice";

export const metadata: Metadata = { title: "Page not found" };

/** Any address the portal does not serve. Drawn without the portal's header: it needs no sign-in. */
export default function NotFound() {
  return (
    <main id="main" className="mx-auto w-full max-w-3xl px-3 py-10 sm:px-6">
      <NotFoundNotice title="Page not found" backHref="/" backLabel="Back to the portal">
        There is no page at this address. The link may be mistyped or out of date.
      </NotFoundNotice>
    </main>
  );
}
