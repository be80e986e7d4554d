import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "./button";

const BUTTON = buttonClass();

/** One way to move: a link (a page of its own URL, works without JavaScript), or an action in the page. */
export type PageMove = { label: ReactNode } & ({ href: string | null } | { onMove: () => void; enabled: boolean });

// aria-disabled, not disabled: a button that disables itself mid-load would drop keyboard focus.
function Move({ move }: { move: PageMove }) {
  if ("href" in move) {
    return move.href ? (
      <Link href={move.href} className={BUTTON}>
        {move.label}
      </Link>
    ) : (
      <span aria-disabled="true" className={`${BUTTON} cursor-not-allowed opacity-50`}>
        {move.label}
      </span>
    );
  }
  return (
    <button type="button" className={BUTTON} aria-disabled={!move.enabled} onClick={() => move.enabled && move.onMove()}>
      {move.label}
    </button>
  );
}

/**
 * Previous and next in a navigation landmark named `label`: `status` (where the reader is) before them, `children`
 * (a page-size choice) after them, and `notice` (why paging stops) on a line of its own.
 */
export function Pager({
  label,
  previous,
  next,
  status,
  notice,
  children,
}: {
  label: string;
  previous: PageMove;
  next: PageMove;
  status?: ReactNode;
  notice?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <nav aria-label={label} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        {status}
        <div className="flex items-center gap-2">
          <Move move={previous} />
          <Move move={next} />
        </div>
        {children}
      </div>
      {notice}
    </nav>
  );
}
