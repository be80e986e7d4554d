// One short sentence per customer type Devdraft is known to send; anything else is shown as it came.
const TYPES: Record<string, string> = {
  Individual: "A private person buying for themselves.",
  Business: "A company account; the contact acts for the business.",
  Startup: "An early-stage company account.",
  "Small Business": "A company account for a small business.",
  "Medium Business": "A company account for a mid-sized business.",
  Enterprise: "A large organisation's account, usually with several contacts.",
  "Non-Profit": "A charity or other non-profit organisation.",
  Government: "A public-sector body's account.",
};

export function explainType(type: string | null): string {
  if (!type) return "Devdraft sent no customer type.";
  return TYPES[type] ?? `"${type}" is a type the portal does not know; it is shown as Devdraft sent it.`;
}
