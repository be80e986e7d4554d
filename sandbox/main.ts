import { ConfigError, loadConfig } from "./config";
import { createSandbox } from "./server";

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const sandbox = createSandbox();
  const { url } = await sandbox.listen(config.port, config.host);
  const limit = sandbox.faults.settings.rateLimit;
  log(`sandbox listening on ${url} (${sandbox.store.size} customers, rate limit ${limit === 0 ? "off" : `${limit}/min`})`);
  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `sandbox: invalid setting: ${error.message}` : `sandbox: ${String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
