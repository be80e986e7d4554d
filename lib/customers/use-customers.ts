"use client";

import { useCallback, useState } from "react";
import useSWR from "swr";
import { SKIP_MAX, toSearchParams, type CustomersQuery } from "./query";
import { apiMessages, parseCustomerRows, type CustomerRow } from "./answers";

export type { CustomerRow };

/**
 * One page as the browser holds it; `key` says which request it answers. `hasMore` is the server's word on a next
 * page: true / false when known, null when unknown (a full page at the largest page size: more may exist).
 */
export type CustomersPage = {
  key: string;
  customers: CustomerRow[];
  total: number | null;
  hasMore: boolean | null;
  /** Set when Devdraft is not answering and these are the portal's last rows for this view: their time (ISO 8601). */
  staleAsOf: string | null;
};
/** A failed page, serialisable so the server can hand its own failure to the browser. */
export type ListError = { status: number; message: string; messages: string[]; retryAfterSec: number | null };

class CustomersFetchError extends Error implements ListError {
  constructor(
    readonly status: number,
    message: string,
    readonly messages: string[] = [message],
    readonly retryAfterSec: number | null = null,
  ) {
    super(message);
  }
}

/** The canonical API address of a view: equal views give equal SWR keys. */
export function customersKey(query: CustomersQuery): string {
  return `/api/customers?${toSearchParams(query).toString()}`;
}

// Retry-After is seconds or an HTTP date.
function retryAfterSeconds(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

async function errorFrom(res: Response): Promise<CustomersFetchError> {
  const messages = apiMessages(await res.json().catch(() => null), res.status);
  return new CustomersFetchError(res.status, messages.join("; "), messages, retryAfterSeconds(res.headers.get("retry-after")));
}

async function fetchCustomersPage(key: string): Promise<CustomersPage> {
  let res: Response;
  try {
    res = await fetch(key, { headers: { accept: "application/json" }, cache: "no-store" });
  } catch {
    throw new CustomersFetchError(0, "The portal could not be reached. Check your connection.");
  }
  if (!res.ok) throw await errorFrom(res);
  const rows = parseCustomerRows(await res.json().catch(() => null));
  if (!rows) throw new CustomersFetchError(502, "The portal sent a page it could not read");
  const total = Number(res.headers.get("x-total-count") ?? Number.NaN);
  const staleAsOf = res.headers.get("x-stale") === "true" ? res.headers.get("x-as-of") : null;
  return { key, customers: rows, total: Number.isInteger(total) && total >= 0 ? total : null, hasMore: hasMoreFrom(res.headers.get("x-has-more")), staleAsOf };
}

// "unknown", or a header missing altogether, is not a "no": Next stays usable.
function hasMoreFrom(value: string | null): boolean | null {
  if (value === "true") return true;
  if (value === "false") return false;
  return null;
}

const OPTIONS = { revalidateOnFocus: false, shouldRetryOnError: false, keepPreviousData: true } as const;

export type CustomersState = {
  key: string;
  /** Rows of this exact view; undefined while it loads (then `shown` may hold the previous view's rows). */
  page: CustomersPage | undefined;
  /** What to draw: this view's rows, or the previous view's while this one loads. */
  shown: CustomersPage | undefined;
  error: ListError | undefined;
  loading: boolean;
  /** This view's next page: true / false when known, null when more may exist (see CustomersPage); false while loading. */
  hasMore: boolean | null;
  atSkipCap: boolean;
  retry: () => void;
};

/**
 * One view of the list, one request: the server's first page serves the initial key without any, and whether a
 * next page exists comes with the answer. Nothing is fetched ahead: every row that reaches the browser is shown
 * and on record, and no row is on record that was not shown.
 */
export function useCustomers(query: CustomersQuery, initial: { key: string; page?: CustomersPage; error?: ListError }): CustomersState {
  const key = customersKey(query);
  const [leftInitial, setLeftInitial] = useState(false);
  if (key !== initial.key && !leftInitial) setLeftInitial(true);
  const fromServer = key === initial.key && !leftInitial;

  const swr = useSWR(key, fetchCustomersPage, {
    ...OPTIONS,
    fallbackData: fromServer ? initial.page : undefined,
    revalidateOnMount: !fromServer,
  });
  const { mutate } = swr;
  const retry = useCallback(() => void mutate(), [mutate]);
  const page = swr.data?.key === key ? swr.data : undefined;
  const error: ListError | undefined = (swr.error as ListError | undefined) ?? (fromServer && !swr.data ? initial.error : undefined);

  const hasMore = page ? page.hasMore : false;
  const atSkipCap = hasMore !== false && query.skip + query.take > SKIP_MAX;

  return {
    key,
    page,
    shown: swr.data,
    error,
    loading: swr.isValidating && !page,
    hasMore,
    atSkipCap,
    retry,
  };
}
