import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("./check-package-cycles.mjs", import.meta.url));
let tree: string;

/** A tree of its own with the given files, checked as `npm run lint` checks the repository's. */
function check(files: Record<string, string>) {
  tree = mkdtempSync(join(tmpdir(), "package-cycles-"));
  writeFileSync(join(tree, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler" } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  const run = spawnSync(process.execPath, [script], { cwd: tree, encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

afterEach(() => rmSync(tree, { recursive: true, force: true }));

// Folders reaching each other through different files: no file cycle, so madge --circular alone passes this tree.
const FOLDER_LOOP = {
  "lib/gate/gate.ts": 'import { session } from "../auth/session";\nexport const gate = () => session;\n',
  "lib/auth/session.ts": "export const session = 1;\n",
  "lib/auth/service.ts": 'import { gate } from "../gate/gate";\nexport const service = gate;\n',
};

describe("check-package-cycles", () => {
  it("fails on two folders that import each other, naming each import that closes the loop", () => {
    const { status, output } = check(FOLDER_LOOP);
    expect(status).toBe(1);
    expect(output).toContain("package cycle: lib/auth ↔ lib/gate");
    expect(output).toContain("lib/auth → lib/gate: lib/auth/service.ts → lib/gate/gate.ts");
    expect(output).toContain("lib/gate → lib/auth: lib/gate/gate.ts → lib/auth/session.ts");
  });

  it("passes once the service moves up, and leaves tests beside the code out", () => {
    const { "lib/auth/service.ts": service, ...rest } = FOLDER_LOOP;
    const { status, output } = check({
      ...rest,
      "lib/staff/service.ts": service,
      "lib/auth/session.test.ts": 'import { gate } from "../gate/gate";\nexport const t = gate;\n',
    });
    expect(output).toContain("package cycles: none among 3 packages in lib");
    expect(status).toBe(0);
  });
});
