/** Export error codes and the broken-pipe test the CLI uses to treat `| head` as normal termination. */
import { GleanerError } from "../shared/errors.js";

/** The output stream failed (EPIPE, ENOSPC, destroyed...). Nothing more can be written. */
export const EXPORT_WRITE = "GLEANER_ERR_EXPORT_WRITE";
/** A stored row is not an object text; the store's invariant is broken. */
export const EXPORT_ROW = "GLEANER_ERR_EXPORT_ROW";
/** Unknown export format. */
export const EXPORT_FORMAT = "GLEANER_ERR_EXPORT_FORMAT";

export function exportWriteError(cause: unknown, context: Record<string, unknown>): GleanerError {
  const code = (cause as { code?: unknown } | null)?.code;
  const why = cause instanceof Error ? cause.message : String(cause);
  return new GleanerError(EXPORT_WRITE, `export: cannot write to the output stream: ${why}`, {
    action: "stop",
    cause,
    context: { ...context, ...(typeof code === "string" ? { errno: code } : {}) },
  });
}

export function exportRowError(message: string, url: string, cause?: unknown): GleanerError {
  return new GleanerError(EXPORT_ROW, `export: ${message} (item from ${url})`, {
    action: "stop",
    cause,
    context: { url },
  });
}

/**
 * True when `err` (or something in its cause chain) is EPIPE: the reader went away,
 * e.g. `gleaner export ... | head`. The CLI exits quietly on it.
 */
export function isBrokenPipe(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e !== null && typeof e === "object"; depth++) {
    if ((e as { code?: unknown }).code === "EPIPE") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
