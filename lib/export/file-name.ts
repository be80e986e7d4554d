/** `customers-YYYYMMDD-HHmm.csv`, in UTC so every staff member gets the same name for the same export. */
export function exportFileName(at: Date): string {
  const iso = at.toISOString();
  return `customers-${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 13)}${iso.slice(14, 16)}.csv`;
}
