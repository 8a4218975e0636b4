/**
 * Typed errors shared by every stage. Each carries a stable code (GLEANER_ERR_...),
 * what happens next (retry / skip / stop) and the underlying cause.
 */
export type ErrorAction = "retry" | "skip" | "stop";

export class GleanerError extends Error {
  readonly code: string;
  readonly action: ErrorAction;
  readonly context: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    opts: { action?: ErrorAction; cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "GleanerError";
    this.code = code;
    this.action = opts.action ?? "stop";
    this.context = opts.context ?? {};
  }

  get retryable(): boolean {
    return this.action === "retry";
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, action: this.action, ...this.context };
  }
}

/** A spec that does not validate. `issues` name the path and the fix. */
export class SpecError extends GleanerError {
  readonly issues: { path: string; message: string }[];
  constructor(issues: { path: string; message: string }[], source?: string) {
    const where = source ? ` in ${source}` : "";
    const lines = issues.map((i) => `  ${i.path || "(root)"}: ${i.message}`).join("\n");
    super("GLEANER_ERR_SPEC", `invalid spec${where}:\n${lines}`, { action: "stop", context: { source } });
    this.name = "SpecError";
    this.issues = issues;
  }
}

/** Bad command-line usage (unknown flag, missing argument). Exit code 2. */
export class UsageError extends GleanerError {
  constructor(message: string) {
    super("GLEANER_ERR_USAGE", message, { action: "stop" });
    this.name = "UsageError";
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
