import type { ReactNode } from "react";

export type BadgeTone = "success" | "danger" | "warning" | "neutral";

const TONES: Record<BadgeTone, string> = {
  success: "border-success-edge bg-success-bg text-success-ink",
  danger: "border-danger-edge bg-danger-bg text-danger-ink",
  warning: "border-warning-edge bg-warning-bg text-warning-ink",
  neutral: "border-control bg-hover text-fg",
};

// Whole class names, so Tailwind finds them.
const EDGES = { solid: "border border-solid", dashed: "border border-dashed", dotted: "border border-dotted", double: "border-[3px] border-double" } as const;

export type BadgeEdge = keyof typeof EDGES;

/**
 * A short label in a pill. Colour is never the only difference: give each meaning its own word, and where it
 * matters its own `icon` and border style (`edge`: solid, dashed, dotted, double).
 */
export function Badge({
  tone,
  edge = "solid",
  icon,
  title,
  children,
}: {
  tone: BadgeTone;
  edge?: BadgeEdge;
  icon?: ReactNode;
  title?: string;
  children: ReactNode;
}) {
  return (
    <span
      title={title}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ${EDGES[edge]} ${TONES[tone]}`}
    >
      {icon}
      {children}
    </span>
  );
}
