"use client";

import "./globals.css";
import { SegmentError } from "@/components/shell/segment-error";

/** The root layout itself failed: this replaces it, so it brings its own html and body. */
export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <main id="main" className="mx-auto w-full max-w-3xl px-3 py-10 sm:px-6">
          <SegmentError {...props} what="The portal" />
        </main>
      </body>
    </html>
  );
}
