// `npm run staff -- <command>`: manage the portal's staff in the store that PORTAL_DATA_DIR or DATABASE_URL names.
// Every change (and every refused one) is recorded in that store's audit log once it has committed.
// Passwords are read from a prompt (no echo) or, when piped, from standard input; never from the command line.
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { createAuditRecorder } from "@/lib/audit/recorder";
import { PASSWORD_MAX, PASSWORD_MIN } from "@/lib/auth/password-policy";
import { isRole, ROLES } from "@/lib/roles";
import { englishT } from "@/lib/i18n/english";
import { applyStaffChange, type StaffChange, type StaffChangeResult, staffChangeEvent } from "@/lib/auth/staff-changes";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { findStaffByEmail, listStaff } from "@/lib/auth/staff-store";
import { createTokenFor, revokeTokenById, tokenCreateEvent, tokenRevokeEvent } from "@/lib/auth/token-changes";
import type { AuditInput } from "@/lib/audit/input";
import type { Database } from "@/lib/db";
import { closeServices, services } from "@/lib/services";
import type { Kysely } from "kysely";

const USAGE = `usage: npm run staff -- <command>
  add --email E --role ${ROLES.join("|")} [--name N] [--no-password]
  reset-password --email E
  list
  set-role --email E --role R
  disable --email E
  enable --email E
  token create --email E [--days N] [--label L]   prints DEVDRAFT_CLIENT_KEY=… and DEVDRAFT_CLIENT_SECRET=… (shown once)
  token list --email E
  token revoke --id ddpt_…

add and reset-password ask for the password (${PASSWORD_MIN}–${PASSWORD_MAX} characters, not a breached one) without
echoing it, or read its first line from standard input when piped:  echo "$PW" | npm run staff -- reset-password --email E
--no-password adds someone who signs in only through the identity provider (OIDC).`;

const ARGV_PASSWORD_REFUSAL = `--password is not accepted: a password on the command line is visible to every user of the machine in the
process list and stays in shell history. Type it at the prompt, or pipe it: echo "$PW" | npm run staff -- add ...`;

// Exit codes: 0 done and recorded; 1 done but its audit event could not be written; 2 refused or not run.
const DONE = 0;
const NOT_RECORDED = 1;
const REFUSED = 2;

const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

/** A mistake in how the command was called: told, not recorded (nothing was asked of the store). */
class UsageError extends Error {}

function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers).
    return process.env.USER ?? null;
  }
}

type Values = {
  email?: string;
  role?: string;
  name?: string;
  password?: string;
  "no-password"?: boolean;
  days?: string;
  label?: string;
  id?: string;
};

/** The change asked for, a refusal to record (a role that is not one), or null for a usage error. */
async function changeFrom(command: string | undefined, values: Values): Promise<StaffChange | StaffChangeResult | null> {
  const email = values.email;
  if (!email) return null;
  const notARole: StaffChangeResult = {
    ok: false,
    email: email.trim().toLowerCase(),
    outcome: "invalid",
    refusal: `not a role: ${String(values.role).slice(0, 40)}`,
    message: { key: "staff.refusals.chooseRole" },
  };
  switch (command) {
    case "add": {
      if (!isRole(values.role)) return notARole;
      const password = values["no-password"] ? undefined : await readPassword();
      return { kind: "add", email, role: values.role, name: values.name, password };
    }
    case "reset-password":
      return { kind: "reset-password", email, password: await readPassword() };
    case "set-role":
      return isRole(values.role) ? { kind: "set-role", email, role: values.role } : notARole;
    case "disable":
    case "enable":
      return { kind: command, email };
    default:
      return null;
  }
}

function kindOf(command: string | undefined): StaffChange["kind"] | null {
  switch (command) {
    case "add":
    case "set-role":
    case "disable":
    case "enable":
    case "reset-password":
      return command;
    default:
      return null;
  }
}

/** The new password: typed twice at a prompt that does not echo, or the first line of piped standard input. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden("New password: ");
    const again = await promptHidden("Repeat it: ");
    if (first !== again) throw new UsageError("the two passwords differ; nothing was changed");
    if (!first) throw new UsageError("no password typed; nothing was changed");
    return first;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // A password is one line; anything this long is not one.
    if (size > 64 * 1024) break;
  }
  const line = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  if (!line)
    throw new UsageError(
      'no password on standard input: pipe one (echo "$PW" | npm run staff -- ...), run it at a terminal to be asked, or use --no-password with add',
    );
  return line;
}

function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return (finish(), resolve(value));
        // Ctrl-C, or Ctrl-D on an empty line.
        if (ch === "\u0003" || (ch === "\u0004" && value === "")) return (finish(), reject(new UsageError("cancelled; nothing was changed")));
        if (ch === "\u007f" || ch === "\b") value = [...value].slice(0, -1).join("");
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    allowPositionals: command === "token",
    // `password` is parsed only to be refused with the reason, instead of a bare "unknown option".
    options: {
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
      "no-password": { type: "boolean" },
      days: { type: "string" },
      label: { type: "string" },
      id: { type: "string" },
    },
  });
  if (values.password !== undefined) {
    complain(ARGV_PASSWORD_REFUSAL);
    return REFUSED;
  }
  if (command === "token") return token(rest[0], values);
  if (command === "list") {
    for (const s of await listStaff(await services().db())) say(`${s.email}\t${s.role}\t${s.disabled_at ? `disabled ${s.disabled_at}` : "active"}\t${s.name}`);
    return DONE;
  }
  const kind = kindOf(command);
  let asked: StaffChange | StaffChangeResult | null;
  try {
    asked = kind ? await changeFrom(command, values) : null;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    complain(`staff: ${err.message}`);
    return REFUSED;
  }
  if (!kind || !asked) {
    complain(USAGE);
    return REFUSED;
  }
  const db = await services().db();
  const result = "kind" in asked ? await applyStaffChange(db, asked) : asked;
  if (result.ok) say(describe(kind, result.email, values));
  else
    complain(
      result.outcome === "not_found" ? `no staff member ${result.email}` : `${kind} ${result.email}: ${englishT(result.message.key, result.message.vars)}`,
    );

  return recordCli(db, staffChangeEvent(kind, result, osUser()), result.ok);
}

/** `token create|list|revoke`: personal API tokens. Create prints only the two env lines on stdout. */
async function token(sub: string | undefined, values: Values): Promise<number> {
  if (sub === "list" && values.email) {
    const db = await services().db();
    const staff = await findStaffByEmail(db, values.email);
    if (!staff) {
      complain(`no staff member ${values.email.trim().toLowerCase()}`);
      return REFUSED;
    }
    for (const t of await listApiTokens(db, staff.id)) {
      const state = t.revokedAt ? `revoked ${t.revokedAt}` : t.expiresAt <= new Date().toISOString() ? `expired ${t.expiresAt}` : `expires ${t.expiresAt}`;
      say(`${t.id}\t${state}\tlast used ${t.lastUsedAt ?? "never"}\t${t.label}`);
    }
    return DONE;
  }
  if (sub === "create" && values.email) {
    const db = await services().db();
    const result = await createTokenFor(db, { email: values.email, days: values.days, label: values.label });
    if (result.ok) {
      say(`DEVDRAFT_CLIENT_KEY=${result.token.id}`);
      say(`DEVDRAFT_CLIENT_SECRET=${result.token.secret}`);
      complain(`token ${result.token.id} for ${result.email} expires ${result.token.expiresAt}; the secret is not stored and cannot be shown again`);
    } else complain(result.outcome === "not_found" ? `no staff member ${result.email}` : `token create ${result.email}: ${result.refusal}`);
    return recordCli(db, tokenCreateEvent(result, osUser()), result.ok);
  }
  if (sub === "revoke" && values.id) {
    const db = await services().db();
    const result = await revokeTokenById(db, values.id.trim());
    if (result.ok) say(result.already ? `${result.id} was already revoked` : `${result.id} revoked`);
    else complain(`no API token ${isPrintable(values.id) ? values.id : "(the id given)"}`);
    return recordCli(db, tokenRevokeEvent(result, osUser()), result.ok);
  }
  complain(USAGE);
  return REFUSED;
}

const isPrintable = (text: string) => /^[\x21-\x7e]{1,60}$/.test(text);

async function recordCli(db: Kysely<Database>, event: AuditInput, ok: boolean): Promise<number> {
  const recorder = createAuditRecorder(db);
  try {
    await recorder.record(event);
  } catch (err) {
    complain(
      `staff: ${ok ? "the change was made but" : "the refusal"} could not be recorded in the audit log: ${err instanceof Error ? err.message : String(err)}`,
    );
    return ok ? NOT_RECORDED : REFUSED;
  } finally {
    await recorder.close();
  }
  return ok ? DONE : REFUSED;
}

function describe(kind: StaffChange["kind"], email: string, values: Values): string {
  if (kind === "add") return `added ${email} (${values.role})${values["no-password"] ? ", without a password (OIDC sign-in only)" : ""}`;
  if (kind === "set-role") return `${email} is now ${values.role}`;
  if (kind === "reset-password") return `${email}: password set`;
  return `${email} ${kind}d`;
}

main()
  .catch((err: unknown) => {
    complain(err instanceof Error ? err.message : String(err));
    return REFUSED;
  })
  .then(async (code) => {
    await closeServices().catch(() => undefined);
    process.exitCode = code;
  });
