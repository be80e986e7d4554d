import "server-only";
import pino from "pino";
import { currentRequestId } from "@/lib/observe/timing";

const NONE = {};

const options: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
  // Every line written while an API request runs carries its id (lib/observe/timing.ts keeps it per request), without
  // a child logger per request; a field the call names itself wins.
  mixin: () => {
    const requestId = currentRequestId();
    return requestId === undefined ? NONE : { requestId };
  },
  // Secrets and session material are redacted wherever they appear in a logged object.
  redact: {
    paths: [
      "*.clientKey",
      "*.clientSecret",
      "*.password",
      "*.headers['x-client-key']",
      "*.headers['x-client-secret']",
      "*.headers.cookie",
      "*.headers.authorization",
    ],
    censor: "[redacted]",
  },
};

/** The one logger: JSON lines to standard output, or appended to PORTAL_LOG_FILE when that is set. */
export const log = process.env.PORTAL_LOG_FILE
  ? pino(options, pino.destination({ dest: process.env.PORTAL_LOG_FILE, mkdir: true, sync: false }))
  : pino(options);
