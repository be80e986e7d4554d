import type { Messages } from "@/messages/en";
import type { MessageKey } from "./translate";

/** Every message's key ("customers.title"), checked by the compiler wherever t() is called. */
export type Key = MessageKey<Messages>;
