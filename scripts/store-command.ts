// The shared frame of scripts/backup.ts and scripts/restore.ts: one line on success, one `<name>: <why>` line and
// exit 2 on failure.
export async function runStoreCommand(name: string, run: () => Promise<string>): Promise<void> {
  try {
    process.stdout.write(`${await run()}\n`);
  } catch (err) {
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}
