export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

export function themeFromCookie(value: string | undefined): Theme {
  return THEMES.find((t) => t === value) ?? "system";
}
