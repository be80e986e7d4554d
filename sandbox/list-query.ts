import { customersQueryShape } from "../lib/contract/schema";
import { readRawQuery } from "../lib/contract/query";
import { CUSTOMER_STATUSES, type CustomerStatus } from "./customer";

const DEFAULT_TAKE = 10;

interface ListQuery {
  take: number;
  skip: number;
  status?: CustomerStatus;
  name?: string;
  email?: string;
}

export type ListQueryResult = { ok: true; query: ListQuery } | { ok: false; messages: string[] };

// The published contract's rules (lib/contract, docs/contract.md) over the sandbox's own status list: it stands in
// for Devdraft, and a list shared with the portal would hide the divergence the contract tests exist to catch.
const LIST_DTO = customersQueryShape(CUSTOMER_STATUSES);

function isStatus(value: unknown): value is CustomerStatus {
  return typeof value === "string" && CUSTOMER_STATUSES.some((s) => s === value);
}

/** ValidationPipe({ transform: true, whitelist: true }) over the List DTO: take, skip, status, name, email. */
export function parseListQuery(params: URLSearchParams): ListQueryResult {
  const result = LIST_DTO.safeParse(readRawQuery(params));
  if (!result.success) return { ok: false, messages: result.error.issues.map((issue) => issue.message) };
  const { take, skip, status, name, email } = result.data;
  const query: ListQuery = { take: typeof take === "number" ? take : DEFAULT_TAKE, skip: typeof skip === "number" ? skip : 0 };
  if (isStatus(status)) query.status = status;
  if (typeof name === "string") query.name = name;
  if (typeof email === "string") query.email = email;
  return { ok: true, query };
}
