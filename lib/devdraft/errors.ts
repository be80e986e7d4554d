import "server-only";
import { crossBundleBrand } from "@/lib/cross-bundle-class";

export const DEVDRAFT_ERROR_KINDS = ["timeout", "unavailable", "bad_response", "rate_limited", "not_found", "bad_request", "unauthorized", "network"] as const;
export type DevdraftErrorKind = (typeof DEVDRAFT_ERROR_KINDS)[number];

type Answer = { status: number; publicMessage: string };

// What the PORTAL answers for each kind; a wrong portal key is our fault, not the staff member's.
const DEFAULT_ANSWERS: Record<DevdraftErrorKind, Answer> = {
  timeout: { status: 504, publicMessage: "Devdraft did not answer in time" },
  unavailable: { status: 502, publicMessage: "Devdraft answered with an error" },
  bad_response: { status: 502, publicMessage: "Devdraft sent a response the portal could not read" },
  rate_limited: { status: 429, publicMessage: "Too many requests to Devdraft right now; try again shortly" },
  not_found: { status: 404, publicMessage: "Customer not found" },
  bad_request: { status: 400, publicMessage: "Devdraft rejected the query" },
  unauthorized: { status: 502, publicMessage: "Devdraft refused the portal's credentials" },
  network: { status: 503, publicMessage: "Devdraft could not be reached" },
};

export type DevdraftErrorOptions = {
  /** Internal detail for logs: never an upstream body, never a secret. */
  detail?: string;
  status?: number;
  publicMessage?: string;
  retryAfterMs?: number;
  messages?: string[];
  upstreamStatus?: number;
  cause?: unknown;
};

const DEVDRAFT_ERROR_BRAND = crossBundleBrand("DevdraftError");

export class DevdraftError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return DEVDRAFT_ERROR_BRAND.has(value);
  }

  readonly kind: DevdraftErrorKind;
  /** The HTTP status the portal should answer with. */
  readonly status: number;
  /** Safe to show a staff member. */
  readonly publicMessage: string;
  readonly retryAfterMs: number | undefined;
  /** Devdraft's validation messages, kept for a 400. */
  readonly messages: string[] | undefined;
  readonly upstreamStatus: number | undefined;

  constructor(kind: DevdraftErrorKind, options: DevdraftErrorOptions = {}) {
    const answer = DEFAULT_ANSWERS[kind];
    const publicMessage = options.publicMessage ?? answer.publicMessage;
    super(options.detail ? `${publicMessage} (${options.detail})` : publicMessage, { cause: options.cause });
    this.name = "DevdraftError";
    DEVDRAFT_ERROR_BRAND.mark(this);
    this.kind = kind;
    this.status = options.status ?? answer.status;
    this.publicMessage = publicMessage;
    this.retryAfterMs = options.retryAfterMs;
    this.messages = options.messages;
    this.upstreamStatus = options.upstreamStatus;
  }
}
