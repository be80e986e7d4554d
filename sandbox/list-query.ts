import { collect, isEnumMessage, isIntMessage, maxLengthMessage, maxMessage, minMessage, type RawValue } from "./class-validator-rules";
import { CUSTOMER_STATUSES, type CustomerStatus } from "./customer";

const MAX_TAKE = 100;
const MAX_SKIP = 10_000;
const DEFAULT_TAKE = 10;

interface ListQuery {
  take: number;
  skip: number;
  status?: CustomerStatus;
  name?: string;
  email?: string;
}

export type ListQueryResult = { ok: true; query: ListQuery } | { ok: false; messages: string[] };

/** A repeated parameter arrives as an array, as with Express's query parser. */
function rawParam(params: URLSearchParams, key: string): RawValue {
  const values = params.getAll(key);
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return values;
}

/** class-transformer's `Number(value)`; String() first gives the same result for arrays. */
function toNumber(value: string | readonly string[]): number {
  return Number(String(value));
}

function isStatus(value: RawValue): value is CustomerStatus {
  return typeof value === "string" && CUSTOMER_STATUSES.some((s) => s === value);
}

/** ValidationPipe({ transform: true, whitelist: true }) over the List DTO: take, skip, status, name, email. */
export function parseListQuery(params: URLSearchParams): ListQueryResult {
  const rawTake = rawParam(params, "take");
  const rawSkip = rawParam(params, "skip");
  const status = rawParam(params, "status");
  const name = rawParam(params, "name");
  const email = rawParam(params, "email");
  const take = rawTake === undefined ? DEFAULT_TAKE : toNumber(rawTake);
  const skip = rawSkip === undefined ? 0 : toNumber(rawSkip);
  const messages = [
    ...(rawTake === undefined ? [] : collect(maxMessage("take", take, MAX_TAKE), minMessage("take", take, 1), isIntMessage("take", take))),
    ...(rawSkip === undefined ? [] : collect(minMessage("skip", skip, 0), maxMessage("skip", skip, MAX_SKIP), isIntMessage("skip", skip))),
    ...(status === undefined ? [] : collect(isEnumMessage("status", status, CUSTOMER_STATUSES))),
    ...(name === undefined ? [] : collect(maxLengthMessage("name", name, 100))),
    ...(email === undefined ? [] : collect(maxLengthMessage("email", email, 255))),
  ];
  if (messages.length > 0) return { ok: false, messages };
  const query: ListQuery = { take, skip };
  if (isStatus(status)) query.status = status;
  if (typeof name === "string") query.name = name;
  if (typeof email === "string") query.email = email;
  return { ok: true, query };
}
