import { en } from "@/messages/en";
import type { Key } from "./keys";
import { translator, type Translate } from "./translate";

/** English, for server components drawn outside a request (unit tests render them with this default). */
export const englishT: Translate<Key> = translator<Key>("en", en);
