import { z } from "zod";
import { createRandom, type Random } from "./prng";

const share = z.number().min(0).max(1);

const faultSettingsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(120_000),
  errorRate: share,
  hangRate: share,
  malformedRate: share,
  envelope: z.boolean(),
  retryAfterStyle: z.enum(["snake", "camel"]),
  timestampStyle: z.enum(["camel", "snake"]),
  /** Requests per minute per client key; 0 turns the limit off. */
  rateLimit: z.number().int().min(0).max(1_000_000),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;
export const faultPatchSchema = faultSettingsSchema.partial();
export type FaultPatch = z.infer<typeof faultPatchSchema>;

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  hangRate: 0,
  malformedRate: 0,
  envelope: false,
  retryAfterStyle: "snake",
  timestampStyle: "camel",
  rateLimit: 100,
};

/** Run-time fault settings, resettable to the start-up values; rolls use a seeded source. */
export class Faults {
  private current: FaultSettings;
  private readonly random: Random;

  constructor(
    private readonly initial: FaultSettings,
    seed: number,
  ) {
    this.current = { ...initial };
    this.random = createRandom(seed ^ 0xfa017);
  }

  get settings(): FaultSettings {
    return { ...this.current };
  }

  merge(patch: FaultPatch): FaultSettings {
    this.current = { ...this.current, ...patch };
    return this.settings;
  }

  reset(): FaultSettings {
    this.current = { ...this.initial };
    return this.settings;
  }

  private roll(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  shouldHang(): boolean {
    return this.roll(this.current.hangRate);
  }

  shouldFail(): boolean {
    return this.roll(this.current.errorRate);
  }

  shouldMangle(): boolean {
    return this.roll(this.current.malformedRate);
  }
}

/** Cut a JSON text so that no parser accepts it. */
export function mangleJson(text: string): string {
  return `${text.slice(0, Math.max(1, Math.floor(text.length / 2)))}\u0000`;
}
