// One table of the customer query's validation cases (docs/contract.md), run against the portal's validator and the
// sandbox's (lib/contract/query.test.ts, sandbox/list-query.test.ts) and against both over real HTTP
// (e2e/api.spec.ts): a query string, and the messages of its 400 in order, or [] when it is accepted.

/** Devdraft's messages, word for word (docs/contract.md). */
export const QUERY_MESSAGES = {
  TAKE_GT: "take must not be greater than 100",
  TAKE_LT: "take must not be less than 1",
  TAKE_INT: "take must be an integer number",
  SKIP_GT: "skip must not be greater than 10000",
  SKIP_LT: "skip must not be less than 0",
  SKIP_INT: "skip must be an integer number",
  STATUS: "status must be one of the following values: ACTIVE, BLACKLISTED, DEACTIVATED",
  NAME: "name must be shorter than or equal to 100 characters",
  EMAIL: "email must be shorter than or equal to 255 characters",
} as const;
const { TAKE_GT, TAKE_LT, TAKE_INT, SKIP_GT, SKIP_LT, SKIP_INT, STATUS, NAME, EMAIL } = QUERY_MESSAGES;

export const QUERY_CASES: readonly (readonly [query: string, messages: readonly string[]])[] = [
  // Accepted: Number() conversions, bounds, filters, unknown parameters dropped, validator.js lengths.
  ["", []],
  ["take=100&skip=10000", []],
  ["take=0x10&skip=1e3", []],
  ["take=0b11&skip=0o17", []],
  ["take=%2B25&skip=%2012%20", []],
  ["take=5.&skip=.0", []],
  ["skip=-0", []],
  ["page=3&sort=name&take[]=7", []],
  ["status=BLACKLISTED&name=jo&email=%40gmail.com", []],
  ["name=&email=", []],
  [`name=${"a".repeat(100)}&email=${"e".repeat(255)}`, []],
  [`name=${encodeURIComponent("😀".repeat(100))}`, []],
  // Rejected: every failing rule, parameters in declaration order, each parameter's rules bottom-up.
  ["take=101", [TAKE_GT]],
  ["take=0", [TAKE_LT]],
  ["take=", [TAKE_LT]],
  ["take=%20", [TAKE_LT]],
  ["take=-5", [TAKE_LT]],
  ["take=1.5", [TAKE_INT]],
  ["take=abc", [TAKE_GT, TAKE_LT, TAKE_INT]],
  ["take=10px", [TAKE_GT, TAKE_LT, TAKE_INT]],
  ["take=1&take=2", [TAKE_GT, TAKE_LT, TAKE_INT]],
  ["take=Infinity", [TAKE_GT, TAKE_INT]],
  ["take=-Infinity", [TAKE_LT, TAKE_INT]],
  ["take=0.5", [TAKE_LT, TAKE_INT]],
  ["take=1e3", [TAKE_GT]],
  ["skip=-1", [SKIP_LT]],
  ["skip=10001", [SKIP_GT]],
  ["skip=2.5", [SKIP_INT]],
  ["skip=x", [SKIP_LT, SKIP_GT, SKIP_INT]],
  ["skip=0&skip=0", [SKIP_LT, SKIP_GT, SKIP_INT]],
  ["status=", [STATUS]],
  ["status=active", [STATUS]],
  ["status=DELETED", [STATUS]],
  ["status=ACTIVE&status=ACTIVE", [STATUS]],
  [`name=${"a".repeat(101)}`, [NAME]],
  [`name=${encodeURIComponent("😀".repeat(101))}`, [NAME]],
  ["name=a&name=b", [NAME]],
  [`email=${"e".repeat(256)}`, [EMAIL]],
  ["email=a&email=b", [EMAIL]],
  ["take=101&skip=-1", [TAKE_GT, SKIP_LT]],
  ["take=1&take=2&skip=10001.5", [TAKE_GT, TAKE_LT, TAKE_INT, SKIP_GT, SKIP_INT]],
  [`email=${"e".repeat(256)}&name=${"n".repeat(101)}&status=x&skip=-1&take=0`, [TAKE_LT, SKIP_LT, STATUS, NAME, EMAIL]],
];
