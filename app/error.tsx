"use client";

import { SegmentError } from "@/components/shell/segment-error";

export default function Error(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto w-full max-w-3xl px-3 py-10 sm:px-6">
      <SegmentError {...props} what="shell.failed.page" />
    </main>
  );
}
