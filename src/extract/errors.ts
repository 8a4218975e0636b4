import { GleanerError, type ErrorAction } from "../shared/errors.js";

/**
 * A page that could not be extracted (parser failure, unusable page URL).
 * The default action is "skip": the engine records it and moves on to the next page.
 */
export class ExtractError extends GleanerError {
  constructor(
    message: string,
    opts: { action?: ErrorAction; cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super("GLEANER_ERR_EXTRACT", message, { action: opts.action ?? "skip", cause: opts.cause, context: opts.context });
    this.name = "ExtractError";
  }
}
