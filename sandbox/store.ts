import { randomUUID } from "node:crypto";
import { CUSTOMER_STATUSES, type CustomerRecord, type CustomerStatus } from "./customer";
import type { CustomerChanges } from "./customer-dto";

interface CustomerFilter {
  status?: CustomerStatus;
  name?: string;
  email?: string;
}

export interface PageRequest extends CustomerFilter {
  skip: number;
  take: number;
  /** Count every match (envelope mode); otherwise the scan stops once the page is full. */
  withTotal: boolean;
}

export interface Page {
  rows: CustomerRecord[];
  total: number | null;
}

export type WriteResult = { ok: true; customer: CustomerRecord } | { ok: false; reason: "not-found" | "duplicate-email" };

/**
 * Customers newest-first, with filter columns kept beside the records:
 * names are interned so a name filter tests each distinct name once, not each customer.
 */
export class CustomerStore {
  private readonly rows: CustomerRecord[];
  private readonly ids: string[];
  private readonly statusCodes: number[];
  private readonly firstIds: number[];
  private readonly lastIds: number[];
  private readonly emails: Array<string | null>;
  private readonly names: string[] = [];
  private readonly namesLower: string[] = [];
  private readonly nameIds = new Map<string, number>();

  constructor(
    customers: CustomerRecord[],
    readonly appId: string,
  ) {
    this.rows = customers;
    const n = customers.length;
    this.ids = [];
    this.statusCodes = [];
    this.firstIds = [];
    this.lastIds = [];
    this.emails = [];
    // Filled in order so V8 keeps the columns as packed arrays, not sparse dictionaries.
    for (let i = 0; i < n; i += 1) {
      const c = customers[i];
      if (c) this.index(i, c);
    }
  }

  get size(): number {
    return this.rows.length;
  }

  all(): readonly CustomerRecord[] {
    return this.rows;
  }

  /** A scan of the id column instead of a Map, which would cost start-up time and memory at 1,000,000 rows. */
  get(id: string): CustomerRecord | undefined {
    return this.rows[this.ids.indexOf(id.toLowerCase())];
  }

  query(request: PageRequest): Page {
    const { skip, take, withTotal } = request;
    const statusCode = request.status === undefined ? -1 : CUSTOMER_STATUSES.indexOf(request.status);
    const nameMatch = request.name === undefined ? null : this.matchNames(request.name.toLowerCase());
    const email = request.email?.toLowerCase();
    const rows: CustomerRecord[] = [];
    let matched = 0;
    const n = this.rows.length;
    for (let i = 0; i < n; i += 1) {
      if (statusCode >= 0 && this.statusCodes[i] !== statusCode) continue;
      if (nameMatch && !nameMatch[this.firstIds[i] ?? 0] && !nameMatch[this.lastIds[i] ?? 0]) continue;
      if (email !== undefined && !this.emails[i]?.includes(email)) continue;
      matched += 1;
      if (matched > skip && rows.length < take) {
        const row = this.rows[i];
        if (row) rows.push(row);
      }
      if (!withTotal && rows.length === take) break;
    }
    return { rows, total: withTotal ? matched : null };
  }

  create(changes: CustomerChanges & { first_name: string; last_name: string; phone_number: string }, now: number): WriteResult {
    if (changes.email !== undefined && this.emailTaken(changes.email, -1)) return { ok: false, reason: "duplicate-email" };
    const newest = this.rows[0];
    const createdAt = newest ? Math.max(now, newest.createdAt + 1) : now;
    const customer: CustomerRecord = {
      id: randomUUID(),
      first_name: changes.first_name,
      last_name: changes.last_name,
      email: changes.email ?? null,
      phone_number: changes.phone_number,
      customer_type: changes.customer_type ?? "Individual",
      status: changes.status ?? "ACTIVE",
      last_spent: 0,
      last_purchase_date: null,
      appId: this.appId,
      createdAt,
      updatedAt: createdAt,
    };
    this.rows.unshift(customer);
    this.ids.unshift(customer.id);
    this.statusCodes.unshift(0);
    this.firstIds.unshift(0);
    this.lastIds.unshift(0);
    this.emails.unshift(null);
    this.index(0, customer);
    return { ok: true, customer };
  }

  update(id: string, changes: CustomerChanges, now: number): WriteResult {
    const customer = this.get(id);
    if (!customer) return { ok: false, reason: "not-found" };
    const position = this.ids.indexOf(customer.id);
    if (changes.email !== undefined && this.emailTaken(changes.email, position)) {
      return { ok: false, reason: "duplicate-email" };
    }
    Object.assign(customer, changes);
    customer.updatedAt = Math.max(now, customer.createdAt);
    this.index(position, customer);
    return { ok: true, customer };
  }

  private emailTaken(email: string, except: number): boolean {
    const lower = email.toLowerCase();
    for (let i = this.emails.indexOf(lower); i !== -1; i = this.emails.indexOf(lower, i + 1)) {
      if (i !== except) return true;
    }
    return false;
  }

  private index(position: number, c: CustomerRecord): void {
    this.ids[position] = c.id;
    this.statusCodes[position] = CUSTOMER_STATUSES.indexOf(c.status);
    this.firstIds[position] = this.intern(c.first_name);
    this.lastIds[position] = this.intern(c.last_name);
    this.emails[position] = c.email === null ? null : c.email.toLowerCase();
  }

  private intern(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.namesLower.push(name.toLowerCase());
      this.nameIds.set(name, id);
    }
    return id;
  }

  private matchNames(needle: string): Uint8Array {
    const match = new Uint8Array(this.namesLower.length);
    for (let k = 0; k < this.namesLower.length; k += 1) {
      if (this.namesLower[k]?.includes(needle)) match[k] = 1;
    }
    return match;
  }
}
