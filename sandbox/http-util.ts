import type { IncomingMessage, ServerResponse } from "node:http";

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type Headers = Record<string, string | number>;

export interface Answer {
  status: number;
  body: JsonValue;
  headers?: Headers;
}

export function nestError(status: number, message: string | string[], error: string): Answer {
  return { status, body: { statusCode: status, message, error } };
}

export function writeJson(res: ServerResponse, answer: Answer, transform?: (text: string) => string): void {
  if (res.destroyed || res.writableEnded) return;
  const json = JSON.stringify(answer.body);
  const text = transform ? transform(json) : json;
  res.writeHead(answer.status, {
    ...answer.headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Express's body-parser default limit. */
const BODY_LIMIT_BYTES = 100 * 1024;

type BodyResult = { ok: true; text: string } | { ok: false; answer: Answer };

function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) resolve({ ok: false, answer: nestError(413, "request entity too large", "Payload Too Large") });
      else resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") });
    });
    req.on("error", reject);
  });
}

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; answer: Answer };

/** body-parser's json(): only JSON content types are parsed; anything else is an empty object. */
export async function readJsonBody(req: IncomingMessage): Promise<JsonBodyResult> {
  const body = await readBody(req);
  if (!body.ok) return body;
  const type = req.headers["content-type"] ?? "";
  if (!/\bjson\b/i.test(type) || body.text.trim() === "") return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(body.text);
    return { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? error.message : "Unexpected token in JSON";
    return { ok: false, answer: nestError(400, message, "Bad Request") };
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
