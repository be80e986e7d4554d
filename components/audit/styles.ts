// The audit pages' tables put their cells at the top (multi-line details); everything else is the portal's own kit.
import { buttonClass } from "@/components/ui/button";

export { INPUT, LINK, PANEL, ROW, TH } from "@/components/ui/styles";
export { TD } from "@/components/ui/table";
export const BUTTON = buttonClass();
