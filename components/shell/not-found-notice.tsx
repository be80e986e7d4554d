import Link from "next/link";
import type { ReactNode } from "react";

/** A page or record that does not exist: what happened and the way back (Next's `not-found.tsx`). */
export function NotFoundNotice({ title, children, backHref, backLabel }: { title: string; children: ReactNode; backHref: string; backLabel: string }) {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p>{children}</p>
      <Link href={backHref} className="self-start text-accent underline underline-offset-2">
        {backLabel}
      </Link>
    </div>
  );
}
