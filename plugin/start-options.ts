import { CARRIER_PROJECT } from './projects.ts'

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
  /** `--project`: only these projects of a workspace (vitest's filter, wildcards allowed). */
  projects?: string[]
  /** `--shard <index>/<count>` (vitest's), already checked. */
  shard?: string
}

/** Vitest CLI options common to both majors' benchmark runs: one run, no watch mode. */
export function baseCliOptions(request: BenchRunRequest): { root: string, run: true, watch: false, update: boolean, config?: string, project?: string[], shard?: string, passWithNoTests?: boolean } {
  return {
    root: request.root,
    run: true,
    watch: false,
    update: request.update,
    ...(request.config ? { config: request.config } : {}),
    // the carrier project (plugin/projects.ts) must survive the filter: it brings the gate into a
    // workspace (vitest 5 runs its bench twin, `<name> (bench)`)
    ...(request.projects?.length ? { project: [...request.projects, CARRIER_PROJECT, `${CARRIER_PROJECT} (bench)`] } : {}),
    // an empty shard (more shards than files) reports no benchmarks rather than failing
    ...(request.shard ? { shard: request.shard, passWithNoTests: true } : {}),
  }
}
