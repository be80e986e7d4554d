// What the machine was doing meanwhile (Linux /proc): on shared cores a late answer may be the portal's doing or
// another tenant's. Every sample: the 1-minute load, CPU busy on the whole machine, and the CPU of the soak's own
// processes (portal group, sandbox group, the soak itself), all in cores.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_S = 100; // USER_HZ on Linux

export type CpuSample = { atMs: number; load1: number; machine: number; portal: number; ours: number };

function machineTicks(): { busy: number } | null {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    return { busy: user + nice + system + irq + softirq + steal };
  } catch {
    return null;
  }
}

/** utime + stime per pid, with its process group. */
function processTicks(): Map<number, { group: number; ticks: number }> {
  const out = new Map<number, { group: number; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After the command: state(0) ppid(1) pgrp(2) … utime(11) stime(12).
      out.set(Number(name), { group: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

export function startCpuSampler(options: {
  clock: () => number;
  portalGroup: () => number | undefined;
  ourGroups: () => (number | undefined)[];
  everyMs?: number;
}) {
  const samples: CpuSample[] = [];
  if (machineTicks() === null) return { samples, stop: () => undefined };
  let last = { at: performance.now(), machine: machineTicks()?.busy ?? 0, procs: processTicks() };
  const timer = setInterval(() => {
    const at = performance.now();
    const machine = machineTicks()?.busy ?? 0;
    const procs = processTicks();
    const seconds = (at - last.at) / 1000;
    const portalGroup = options.portalGroup();
    const ours = new Set(options.ourGroups().filter((g): g is number => g !== undefined));
    let portal = 0;
    let own = 0;
    for (const [pid, p] of procs) {
      const delta = p.ticks - (last.procs.get(pid)?.ticks ?? 0);
      if (p.group === portalGroup) portal += delta;
      if (ours.has(p.group) || pid === process.pid) own += delta;
    }
    const cores = (ticks: number) => ticks / TICKS_PER_S / seconds;
    const load1 = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
    samples.push({ atMs: options.clock(), load1, machine: cores(machine - last.machine), portal: cores(portal), ours: cores(own) });
    last = { at, machine, procs };
  }, options.everyMs ?? 2_000);
  return { samples, stop: () => clearInterval(timer) };
}
