import type { IncomingMessage } from "node:http";
import { toWire, type TimestampStyle } from "./customer";
import { parseCustomerDto } from "./customer-dto";
import { nestError, readJsonBody, type Answer } from "./http-util";
import { parseListQuery } from "./list-query";
import type { CustomerStore, WriteResult } from "./store";

export interface RouteContext {
  store: CustomerStore;
  envelope: boolean;
  timestampStyle: TimestampStyle;
  now: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const BAD_UUID = nestError(400, "Validation failed (uuid is expected)", "Bad Request");
const NOT_FOUND = nestError(404, "Customer not found", "Not Found");
const DUPLICATE = nestError(409, "Customer with this email already exists", "Conflict");

export function listCustomers(params: URLSearchParams, ctx: RouteContext): Answer {
  const parsed = parseListQuery(params);
  if (!parsed.ok) return nestError(400, parsed.messages, "Bad Request");
  const { query } = parsed;
  const page = ctx.store.query({ ...query, withTotal: ctx.envelope });
  const data = page.rows.map((row) => toWire(row, ctx.timestampStyle));
  if (!ctx.envelope) return { status: 200, body: data };
  return { status: 200, body: { data, total: page.total ?? data.length, skip: query.skip, take: query.take } };
}

export function getCustomer(id: string, ctx: RouteContext): Answer {
  if (!UUID.test(id)) return BAD_UUID;
  const customer = ctx.store.get(id);
  if (!customer) return NOT_FOUND;
  return { status: 200, body: toWire(customer, ctx.timestampStyle) };
}

function written(result: WriteResult, status: number, ctx: RouteContext): Answer {
  if (result.ok) return { status, body: toWire(result.customer, ctx.timestampStyle) };
  return result.reason === "not-found" ? NOT_FOUND : DUPLICATE;
}

export async function createCustomer(req: IncomingMessage, ctx: RouteContext): Promise<Answer> {
  const body = await readJsonBody(req);
  if (!body.ok) return body.answer;
  const dto = parseCustomerDto(body.value, "create");
  if (!dto.ok) return nestError(400, dto.messages, "Bad Request");
  const { first_name, last_name, phone_number } = dto.changes;
  if (first_name === undefined || last_name === undefined || phone_number === undefined) {
    return nestError(400, "first_name, last_name and phone_number are required", "Bad Request");
  }
  const result = ctx.store.create({ ...dto.changes, first_name, last_name, phone_number }, ctx.now());
  return written(result, 201, ctx);
}

export async function updateCustomer(id: string, req: IncomingMessage, ctx: RouteContext): Promise<Answer> {
  const body = await readJsonBody(req);
  if (!body.ok) return body.answer;
  if (!UUID.test(id)) return BAD_UUID;
  const dto = parseCustomerDto(body.value, "update");
  if (!dto.ok) return nestError(400, dto.messages, "Bad Request");
  return written(ctx.store.update(id, dto.changes, ctx.now()), 200, ctx);
}
