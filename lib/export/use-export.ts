"use client";

import useSWR from "swr";
import * as z from "zod/mini";
import { exportProgressSchema, type ExportProgress, type ExportRequest } from "./types";

const listSchema = z.object({ allowed: z.boolean(), exports: z.array(exportProgressSchema) });
const errorSchema = z.object({ message: z.union([z.string(), z.array(z.string())]) });

export class ExportHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson<T>(res: Response, schema: z.ZodMiniType<T>): Promise<T> {
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = errorSchema.safeParse(body);
    const message = parsed.success ? [parsed.data.message].flat().join("; ") : `The portal answered ${res.status}`;
    throw new ExportHttpError(res.status, message);
  }
  return schema.parse(body);
}

const getList = async (url: string) => readJson(await fetch(url, { cache: "no-store" }), listSchema);
const getJob = async (url: string) => readJson(await fetch(url, { cache: "no-store" }), exportProgressSchema);

/** Whether the signed-in staff member may export (the list answers 403 otherwise), and their exports. */
export function useExportAccess() {
  const { data, error, isLoading } = useSWR<z.infer<typeof listSchema>, ExportHttpError | Error>("/api/exports", getList, {
    revalidateOnFocus: false,
    shouldRetryOnError: false,
  });
  return { allowed: data?.allowed === true, exports: data?.exports ?? [], error, isLoading };
}

/** One export's progress, polled every second while it runs. */
export function useExportJob(id: string | null) {
  return useSWR<ExportProgress, ExportHttpError | Error>(id ? `/api/exports/${id}` : null, getJob, {
    refreshInterval: (job) => (job?.status === "running" ? 1_000 : 0),
    keepPreviousData: true,
    revalidateOnFocus: false,
  });
}

/** Starts an export; `send` wraps the request (the step-up guard asks for the password and sends again). */
export async function startExportRequest(
  request: ExportRequest,
  send: (request: () => Promise<Response>) => Promise<Response> = (r) => r(),
): Promise<ExportProgress> {
  const res = await send(() => fetch("/api/exports", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) }));
  return readJson(res, exportProgressSchema);
}

export async function cancelExportRequest(id: string): Promise<ExportProgress> {
  return readJson(await fetch(`/api/exports/${id}`, { method: "DELETE" }), exportProgressSchema);
}
