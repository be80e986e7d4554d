// `npm run staff -- <command>`: manage the portal's staff in the store that PORTAL_DATA_DIR or DATABASE_URL names.
// Every change (and every refused one) is recorded in that store's audit log once it has committed.
import { randomBytes } from "node:crypto";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { createAuditRecorder } from "@/lib/audit/recorder";
import { isRole, ROLES } from "@/lib/auth/roles";
import { applyStaffChange, type StaffChange, type StaffChangeResult, staffChangeEvent } from "@/lib/auth/staff-changes";
import { listStaff } from "@/lib/auth/staff-store";
import { closeDb, getDb } from "@/lib/db";

const USAGE = `usage: npm run staff -- <command>
  add --email E --role ${ROLES.join("|")} [--name N] [--password P | --no-password]
  list
  set-role --email E --role R
  disable --email E
  enable --email E`;

// Exit codes: 0 done and recorded; 1 done but its audit event could not be written; 2 refused or not run.
const DONE = 0;
const NOT_RECORDED = 1;
const REFUSED = 2;

const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

function osUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers).
    return process.env.USER ?? null;
  }
}

type Values = { email?: string; role?: string; name?: string; password?: string; "no-password"?: boolean };

/** The change asked for, a refusal to record (a role that is not one), or null for a usage error. */
function changeFrom(command: string | undefined, values: Values): StaffChange | StaffChangeResult | null {
  const email = values.email;
  if (!email) return null;
  const notARole: StaffChangeResult = { ok: false, email: email.trim().toLowerCase(), outcome: "invalid", refusal: `not a role: ${String(values.role).slice(0, 40)}` };
  switch (command) {
    case "add": {
      if (!isRole(values.role)) return notARole;
      const password = values.password ?? (values["no-password"] ? undefined : randomBytes(12).toString("base64url"));
      return { kind: "add", email, role: values.role, name: values.name, password };
    }
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
  return command === "add" || command === "set-role" || command === "disable" || command === "enable" ? command : null;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, password: { type: "string" }, "no-password": { type: "boolean" } },
  });
  if (command === "list") {
    for (const s of await listStaff(await getDb())) say(`${s.email}\t${s.role}\t${s.disabled_at ? `disabled ${s.disabled_at}` : "active"}\t${s.name}`);
    return DONE;
  }
  const kind = kindOf(command);
  const asked = changeFrom(command, values);
  if (!kind || !asked) {
    complain(USAGE);
    return REFUSED;
  }
  const db = await getDb();
  const result = "kind" in asked ? await applyStaffChange(db, asked) : asked;
  if (result.ok) say(describe(kind, result.email, values, "kind" in asked && asked.kind === "add" && !values.password ? asked.password : undefined));
  else complain(result.outcome === "not_found" ? `no staff member ${result.email}` : `${kind} ${result.email}: ${result.refusal}`);

  const recorder = createAuditRecorder(db);
  try {
    await recorder.record(staffChangeEvent(kind, result, osUser()));
  } catch (err) {
    complain(`staff: ${result.ok ? "the change was made but" : "the refusal"} could not be recorded in the audit log: ${err instanceof Error ? err.message : String(err)}`);
    return result.ok ? NOT_RECORDED : REFUSED;
  } finally {
    await recorder.close();
  }
  return result.ok ? DONE : REFUSED;
}

function describe(kind: StaffChange["kind"], email: string, values: Values, generated: string | undefined): string {
  if (kind === "add") return `added ${email} (${values.role})${generated ? `; one-time password: ${generated}` : ""}`;
  if (kind === "set-role") return `${email} is now ${values.role}`;
  return `${email} ${kind}d`;
}

main()
  .catch((err: unknown) => {
    complain(err instanceof Error ? err.message : String(err));
    return REFUSED;
  })
  .then(async (code) => {
    await closeDb().catch(() => undefined);
    process.exitCode = code;
  });
