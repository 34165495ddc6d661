/**
 * An error meant for the user: one clear line, no stack. `exitCode` is what the CLI exits with.
 * 2 = bad input (malformed file, unknown flag, invalid definition).
 */
export class BenchgateError extends Error {
  override name = 'BenchgateError'
  constructor(message: string, readonly exitCode: number = 2, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** Normalises whatever was thrown into an Error. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value
  return new Error(typeof value === 'string' ? value : JSON.stringify(value))
}
