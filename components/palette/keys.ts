// Shared by every keyboard shortcut: none fires while someone types, or while a modal dialog is open.

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** A plain key press meant for the page: no modifier, not typed into a field, no modal dialog in front. */
export function isPageShortcut(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return false;
  return document.querySelector("dialog[open], [aria-modal='true']") === null;
}

/** What the lazily loaded finder shows: the go-to palette or the list of shortcuts. */
export type FinderMode = "palette" | "shortcuts";
