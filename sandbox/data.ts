import { CUSTOMER_STATUSES, LIST_CUSTOMER_TYPES, type CustomerRecord, type CustomerStatus, type CustomerType } from "./customer";
import { BUSINESS_DOMAINS, HANDLE_SYLLABLES, LOCALE_POOLS, type LocalePool } from "./locale-pools";
import { createUint32Source, pick, randomInt, seededUuid, type Random } from "./prng";
import { asciiSlug } from "./transliterate";

/** Fixed so that the same seed gives the same data on any day. */
export const REFERENCE_DATE_MS = Date.UTC(2025, 5, 1);
const SPAN_MS = 3 * 365 * 24 * 60 * 60 * 1000;

const STATUS_WEIGHTS: ReadonlyArray<readonly [CustomerStatus, number]> = [
  [CUSTOMER_STATUSES[0], 0.84],
  [CUSTOMER_STATUSES[1], 0.05],
  [CUSTOMER_STATUSES[2], 0.11],
];
const TYPE_WEIGHTS: ReadonlyArray<readonly [CustomerType, number]> = [
  [LIST_CUSTOMER_TYPES[0], 0.6],
  [LIST_CUSTOMER_TYPES[1], 0.24],
  [LIST_CUSTOMER_TYPES[2], 0.09],
  [LIST_CUSTOMER_TYPES[3], 0.07],
];
const NEVER_BOUGHT_SHARE = 0.12;

function weighted<T>(random: Random, table: ReadonlyArray<readonly [T, number]>): T {
  let roll = random();
  for (const [value, weight] of table) {
    roll -= weight;
    if (roll < 0) return value;
  }
  const last = table[table.length - 1];
  if (!last) throw new Error("empty weight table");
  return last[0];
}

const LOCALE_TABLE: ReadonlyArray<readonly [LocalePool, number]> = (() => {
  const total = LOCALE_POOLS.reduce((sum, p) => sum + p.weight, 0);
  return LOCALE_POOLS.map((p) => [p, p.weight / total] as const);
})();

function digits(random: Random, format: string): string {
  let out = "";
  for (const ch of format) {
    if (ch === "#") out += String(randomInt(random, 10));
    else if (ch === "!") out += String(2 + randomInt(random, 8));
    else out += ch;
  }
  return out;
}

function handle(random: Random): string {
  const parts = 2 + randomInt(random, 2);
  let out = "";
  for (let i = 0; i < parts; i += 1) out += pick(random, HANDLE_SYLLABLES);
  return out;
}

const slugCache = new Map<string, string>();

function slug(name: string): string {
  let cached = slugCache.get(name);
  if (cached === undefined) {
    cached = asciiSlug(name);
    slugCache.set(name, cached);
  }
  return cached;
}

function localPart(random: Random, first: string, last: string): string {
  const f = slug(first);
  const l = slug(last);
  if (!f || !l) return `${handle(random)}${randomInt(random, 100)}`;
  switch (randomInt(random, 6)) {
    case 0:
      return `${f}.${l}`;
    case 1:
      return `${f}${l}`;
    case 2:
      return `${f.charAt(0)}${l}`;
    case 3:
      return `${f}_${l}`;
    case 4:
      return `${f}.${l}${randomInt(random, 100)}`;
    default:
      return `${f}${1950 + randomInt(random, 56)}`;
  }
}

export interface GeneratedData {
  readonly appId: string;
  /** Newest createdAt first. */
  readonly customers: CustomerRecord[];
}

function appIdForSeed(seed: number): string {
  const next = createUint32Source(seed ^ 0x5eed);
  return `app_${String(next() % 1_000_000_000).padStart(9, "0")}`;
}

export function generateCustomers(count: number, seed: number): GeneratedData {
  const next = createUint32Source(seed);
  const random: Random = () => next() / 4294967296;
  const appId = appIdForSeed(seed);
  const created = new Float64Array(count);
  for (let i = 0; i < count; i += 1) created[i] = REFERENCE_DATE_MS - SPAN_MS + Math.floor(random() * SPAN_MS);
  created.sort();
  const customers: CustomerRecord[] = [];
  const emails = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const createdAt = created[count - 1 - i] ?? REFERENCE_DATE_MS;
    const pool = weighted(random, LOCALE_TABLE);
    const sex = random() < 0.5 ? "female" : "male";
    const first = pick(random, pool.firstNames[sex]);
    const last = pick(random, pool.lastNames[sex]);
    const type = weighted(random, TYPE_WEIGHTS);
    const useBusinessDomain = type !== "Individual" && random() < 0.5;
    const domain = pick(random, useBusinessDomain ? BUSINESS_DOMAINS : pool.emailDomains);
    const base = localPart(random, first, last);
    let email = `${base}@${domain}`;
    for (let n = 2; emails.has(email); n += 1) email = `${base}${n}@${domain}`;
    emails.add(email);
    const bought = random() >= NEVER_BOUGHT_SHARE;
    const sinceCreated = REFERENCE_DATE_MS - createdAt;
    const purchase = bought ? createdAt + Math.floor(random() * sinceCreated) : null;
    const touched = createdAt + Math.floor(random() * sinceCreated);
    const cents = Math.floor(Math.exp(3 + random() * 9)) * (type === "Enterprise" ? 5 : 1);
    customers.push({
      id: seededUuid(next),
      first_name: first,
      last_name: last,
      email,
      phone_number: digits(random, pick(random, pool.phoneFormats)),
      customer_type: type,
      status: weighted(random, STATUS_WEIGHTS),
      last_spent: purchase === null ? 0 : cents / 100,
      last_purchase_date: purchase,
      appId,
      createdAt,
      updatedAt: purchase === null ? touched : Math.max(touched, purchase),
    });
  }
  return { appId, customers };
}
