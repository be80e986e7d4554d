import type { Messages } from "@/messages/en";
import type { MessageKey } from "./translate";

/** Every message's key ("customers.title"), checked by the compiler wherever t() is called. */
export type Key = MessageKey<Messages>;

/**
 * A sentence decided on the server before the reader's language is known (a refusal, a password's problem): its
 * key and the numbers it needs. Whoever shows it translates it (`t(m.key, m.vars)`); the command line uses English.
 */
export type Message = { key: Key; vars?: Record<string, number> };
