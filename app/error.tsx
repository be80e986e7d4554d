"use client";

import { SegmentError } from "@/components/shell/segment-error";

export default function Error(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto w-full max-w-3xl px-gutter py-10 sm:px-gutter-wide">
      <SegmentError {...props} what="shell.failed.page" />
    </main>
  );
}
