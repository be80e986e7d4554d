#!/usr/bin/env node
// Browser tests drive Debian's Chromium: install it when missing and we may, else say how in one line.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    process.stderr.write(`Chromium is missing at ${CHROMIUM}: install it with "sudo apt-get install -y chromium" (or set CHROMIUM_PATH).\n`);
    process.exit(1);
  }
  process.stdout.write("Installing Debian's chromium with apt-get...\n");
  const opts = { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } };
  if (
    spawnSync("apt-get", ["update", "-qq"], opts).status !== 0 ||
    spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], opts).status !== 0 ||
    !existsSync(CHROMIUM)
  ) {
    process.stderr.write("Could not install chromium with apt-get; install it by hand: apt-get install -y chromium\n");
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
