// The audit pages' tables put their cells at the top (multi-line details); everything else is the portal's own kit.
import { buttonClass } from "@/components/ui/button";

export { INPUT, LINK, PANEL, ROW, TH } from "@/components/ui/styles";
export const TD = "px-3 py-2 align-top";
export const BUTTON = buttonClass();
