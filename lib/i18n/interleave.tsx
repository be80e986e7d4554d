import { Fragment, type ReactNode } from "react";

/**
 * A translated sentence with elements in it: "Press {slash} to search" and { slash: <kbd>/</kbd> } → the words
 * around the element, in the order the language puts them. Server and client alike.
 */
export function interleave(message: string, parts: Record<string, ReactNode>): ReactNode[] {
  return message.split(/\{(\w+)\}/g).map((piece, index) => <Fragment key={index}>{index % 2 === 1 ? (parts[piece] ?? `{${piece}}`) : piece}</Fragment>);
}
