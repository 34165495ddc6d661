/** What the `benchgate test` / `baseline` commands ask for, whatever the Vitest major. */
export interface BenchRunRequest {
  /** Project root: the vitest it resolves is the one that runs. */
  root: string
  /** `-u`: write or refresh the baseline. */
  update: boolean
  /** File filters, as `vitest bench <filters>` takes them. */
  filters: string[]
  /** Vitest config file (default: the project's own, if any). */
  config?: string
}

/** Vitest CLI options common to both majors' benchmark runs: one run, no watch mode. */
export function baseCliOptions(request: BenchRunRequest): { root: string, run: true, watch: false, update: boolean, config?: string } {
  return { root: request.root, run: true, watch: false, update: request.update, ...(request.config ? { config: request.config } : {}) }
}
