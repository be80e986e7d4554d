import { highlightParts } from "@/lib/customers/format";

/** `text` with each occurrence of the active filter in a `<mark>`. */
export function Highlight({ text, needle }: { text: string; needle: string | undefined }) {
  return (
    <>
      {highlightParts(text, needle).map((part, i) =>
        part.match ? (
          <mark key={i} className="rounded-sm bg-yellow-200 text-inherit dark:bg-yellow-700 dark:text-white">
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}
