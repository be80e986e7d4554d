// `npm run staff -- <command>`: manage the portal's staff in the store that PORTAL_DATA_DIR or DATABASE_URL names.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { addStaff, listStaff, setStaffDisabled, setStaffRole } from "@/lib/auth/staff-store";
import { isRole, ROLES } from "@/lib/auth/roles";
import { closeDb, getDb } from "@/lib/db";

const USAGE = `usage: npm run staff -- <command>
  add --email E --role ${ROLES.join("|")} [--name N] [--password P | --no-password]
  list
  set-role --email E --role R
  disable --email E
  enable --email E`;

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(2);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, password: { type: "string" }, "no-password": { type: "boolean" } },
  });
  const db = await getDb();
  const email = values.email;
  switch (command) {
    case "add": {
      if (!email || !isRole(values.role)) fail(USAGE);
      const generated = !values.password && !values["no-password"] ? randomBytes(12).toString("base64url") : undefined;
      const staff = await addStaff(db, { email, role: values.role, name: values.name, password: values.password ?? generated });
      process.stdout.write(`added ${staff.email} (${staff.role})${generated ? `; one-time password: ${generated}` : ""}\n`);
      break;
    }
    case "list":
      for (const s of await listStaff(db)) process.stdout.write(`${s.email}\t${s.role}\t${s.disabled_at ? `disabled ${s.disabled_at}` : "active"}\t${s.name}\n`);
      break;
    case "set-role":
      if (!email || !isRole(values.role)) fail(USAGE);
      if (!(await setStaffRole(db, email, values.role))) fail(`no staff member ${email}`);
      process.stdout.write(`${email} is now ${values.role}\n`);
      break;
    case "disable":
    case "enable":
      if (!email) fail(USAGE);
      if (!(await setStaffDisabled(db, email, command === "disable"))) fail(`no staff member ${email}`);
      process.stdout.write(`${email} ${command}d\n`);
      break;
    default:
      fail(USAGE);
  }
  await closeDb();
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
