import "server-only";
import pino from "pino";

// The one logger. Secrets and session material are redacted wherever they appear in a logged object.
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
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
});
