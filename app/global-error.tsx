"use client";

import "./globals.css";
import { SegmentError } from "@/components/shell/segment-error";
import { I18nProvider } from "@/lib/i18n/client";

// The root layout, which knows the person's language and hands out the messages, is what failed: this page speaks
// English, with its few messages here rather than the catalogue's module in the browser's bundle.
const MESSAGES = {
  common: { tryAgain: "Try again" },
  shell: {
    failed: { portal: "The portal" },
    segmentErrorDocTitle: "Something went wrong · Customer portal",
    segmentErrorTitle: "{what} could not be shown",
    segmentErrorBody: "Something went wrong on our side. Nothing was changed. Try again; if it keeps happening, tell the portal's operators.",
    reference: "Reference:",
  },
};

/** The root layout itself failed: this replaces it, so it brings its own html and body. */
export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-page text-fg antialiased">
        <main id="main" className="mx-auto w-full max-w-3xl px-gutter py-10 sm:px-gutter-wide">
          <I18nProvider locale="en" messages={MESSAGES}>
            <SegmentError {...props} what="shell.failed.portal" />
          </I18nProvider>
        </main>
      </body>
    </html>
  );
}
