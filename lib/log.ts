import "server-only";
import pino from "pino";

const options: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
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
