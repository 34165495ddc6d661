import type { CAC } from 'cac'
import { BenchgateError } from '../../util/errors.ts'
import { optionalPositiveInt } from '../../util/parse.ts'

/** Flags of `benchgate ab <action>` (each action accepts its own subset, see {@link AB_ACTIONS}). */
export interface AbFlags {
  name?: string | number
  controlConfig?: string
  treatmentConfig?: string | string[]
  tags?: string | string[]
  metrics?: string | string[]
  alpha?: number | string
  samples?: number | string
  budget?: string | number
  rounds?: number | string
  config?: string
  format?: string
  deployWinner?: boolean
  root?: string
  stateDir?: string
  historyDb?: string
  store?: string
}

const COMMON = ['root', 'stateDir', 'historyDb', 'store'] as const

/** The actions and the flags each one takes (besides --root, --state-dir, --history-db, --store). */
export const AB_ACTIONS = {
  create: ['name', 'controlConfig', 'treatmentConfig', 'tags', 'metrics', 'alpha'],
  run: ['name', 'samples', 'budget', 'rounds', 'config'],
  status: ['name', 'format'],
  list: ['format'],
  finalize: ['name', 'deployWinner'],
} as const satisfies Record<string, readonly (keyof AbFlags)[]>

type AbAction = keyof typeof AB_ACTIONS

const kebab = (flag: string) => `--${flag.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}`

/** A config key as the variants' JSON gives it: dotted, or a section object (`{"FRAME_CACHE": {...}}`). */
function hasConfigKey(overrides: unknown): boolean {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) return false
  return Object.entries(overrides).some(([key, value]) => key.includes('.') || (value !== null && typeof value === 'object'))
}

/**
 * The experiment's config target. benchgate knows one project config, the GifLab workload's: an
 * experiment whose variants name config keys uses it; one of environment variables alone uses
 * the engine's `envOnlyTarget` and needs nothing from the project.
 */
async function configTarget(variantOverrides: readonly unknown[]): Promise<import('../../ab/overrides.ts').ConfigTarget> {
  if (variantOverrides.some(hasConfigKey)) return (await import('../../gif/workload-target.ts')).workloadTarget
  return (await import('../../ab/overrides.ts')).envOnlyTarget
}

/** Adds `benchgate ab create|run|status|list|finalize`. The A/B modules load only when one runs. */
export function registerAb(cli: CAC): void {
  cli.command('ab <action> [...files]', 'A/B experiments on config and environment overrides: create, run, status, list, finalize')
    .option('--name <name>', 'Experiment name')
    .option('--control-config <json>', 'create: the control\'s overrides: environment variables and dotted config keys, e.g. \'{"FRAME_CACHE.memory_limit_mb": 500}\'')
    .option('--treatment-config <json>', 'create: a treatment\'s overrides, repeatable; name it with name={...}')
    .option('--tags <tags>', 'create: only scenarios with any of these tags')
    .option('--metrics <names>', 'create: only these metrics (comma-separated; default: all recorded)')
    .option('--alpha <p>', 'create: family-wise error rate of the sequential test (default: 0.05)')
    .option('--samples <n>', 'run: collect until every variant has n new samples per metric')
    .option('--budget <duration>', 'run: stop starting cycles that would end after this long (90s, 5m, 1h30m)')
    .option('--rounds <n>', 'run: measured rounds per scenario and batch (default: each scenario\'s own)')
    .option('--config <file>', 'run: Vitest config file (default: the project\'s own)')
    .option('--format <format>', 'status, list: text or json (default: text)')
    .option('--deploy-winner', 'finalize: write the winning config keys into benchgate.config.json (environment variables are printed)')
    .option('--root <dir>', 'Project root: the Vitest project, benchgate.config.json and benchmark_results/ (default: current directory)')
    .option('--state-dir <dir>', 'JSON store directory (default: <root>/.benchgate)')
    .option('--history-db <file>', 'SQLite store: the history database (default: $BENCHGATE_HISTORY_DB or .benchgate/history.db)')
    .option('--store <kind>', 'auto, sqlite or json (default: auto, sqlite when better-sqlite3 is installed)')
    .example('benchgate ab create --name cache_size_test --control-config \'{"FRAME_CACHE.memory_limit_mb": 500}\' --treatment-config \'{"FRAME_CACHE.memory_limit_mb": 1000}\'')
    .example('benchgate ab run --name cache_size_test --budget 30m')
    .example('benchgate ab finalize --name cache_size_test --deploy-winner')
    .action((action: string, files: string[], flags: AbFlags) => abCommand(action, files, flags))
}

function list(value: string | number | (string | number)[] | undefined): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).flatMap(v => String(v).split(/[\s,]+/)).filter(Boolean)
}

function checkFlags(action: AbAction, files: readonly string[], flags: AbFlags): void {
  const allowed = new Set<string>([...AB_ACTIONS[action], ...COMMON, '--'])
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined || allowed.has(key)) continue
    throw new BenchgateError(`ab ${action}: ${kebab(key)} is not an option of ${action} (it takes ${[...AB_ACTIONS[action], ...COMMON].map(kebab).join(', ')})`)
  }
  if (files.length > 0 && action !== 'create')
    throw new BenchgateError(`ab ${action}: unexpected argument ${JSON.stringify(files[0])} (file filters are given to ab create)`)
  if ((AB_ACTIONS[action] as readonly string[]).includes('name') && flags.name === undefined)
    throw new BenchgateError(`ab ${action}: --name is required`)
  if (flags.format !== undefined && !['text', 'json'].includes(flags.format))
    throw new BenchgateError(`--format: expected text or json, received ${JSON.stringify(flags.format)}`)
}

/** Runs one `ab` action and returns the exit code (2 for bad input). */
export async function abCommand(action: string, files: string[], flags: AbFlags): Promise<number> {
  if (!Object.hasOwn(AB_ACTIONS, action))
    throw new BenchgateError(`ab: unknown action "${action}" (expected ${Object.keys(AB_ACTIONS).join(', ')})`)
  const act = action as AbAction
  checkFlags(act, files, flags)
  const { resolve, join } = await import('node:path')
  const { existsSync } = await import('node:fs')
  const { historyDbPath } = await import('../../config/history.ts')
  const [{ openStore }, { notFound }] = await Promise.all([import('../../ab/store.ts'), import('../../ab/experiment-store.ts')])
  const { validateExperimentName } = await import('../../ab/definition.ts')
  const name = flags.name === undefined ? '' : validateExperimentName(flags.name)
  const root = resolve(flags.root ?? process.cwd())
  const stateDir = resolve(root, flags.stateDir ?? '.benchgate')
  const store = await openStore({ kind: (flags.store ?? 'auto') as 'auto', dbPath: historyDbPath(flags.historyDb, root), stateDir })
  const out = (text: string) => process.stdout.write(text)
  const load = () => {
    const stored = store.load(name)
    if (stored) return stored
    if (store.kind === 'sqlite' && existsSync(join(stateDir, 'experiments', `${name}.json`)))
      throw new BenchgateError(`experiment "${name}" is not in ${store.location} but in the JSON store ${join(stateDir, 'experiments')}: add --store json`)
    throw notFound(name, store)
  }
  try {
    if (act === 'create') {
      if (flags.controlConfig === undefined) throw new BenchgateError('ab create: --control-config is required (\'{}\' runs the project\'s config unchanged)')
      const { defineExperiment, namedConfig, sameAsControl } = await import('../../ab/definition.ts')
      const alpha = flags.alpha === undefined ? undefined : Number(flags.alpha)
      const control = String(flags.controlConfig)
      const treatments = flags.treatmentConfig === undefined ? [] : [flags.treatmentConfig].flat().map(String)
      const experiment = defineExperiment({
        name,
        control,
        treatments,
        // malformed JSON decides nothing here; defineExperiment reports it
        target: await configTarget([control, ...treatments].map((raw) => {
          try {
            return JSON.parse(namedConfig(raw).text) as unknown
          }
          catch {
            return undefined
          }
        })),
        tags: list(flags.tags),
        metrics: list(flags.metrics),
        files,
        ...(alpha === undefined ? {} : { alpha }),
      })
      store.create(experiment)
      out(`Created experiment ${experiment.name} in the ${store.kind} store ${store.location}\n`)
      for (const v of experiment.variants) out(`  ${v.name}: ${JSON.stringify(v.overrides)}\n`)
      for (const same of sameAsControl(experiment)) out(`  note: ${same} has the control's overrides (an A/A comparison)\n`)
      out(`Next: benchgate ab run --name ${experiment.name} --samples 1000 (or --budget 30m)\n`)
      return 0
    }
    if (act === 'run') {
      const { parseDuration } = await import('../../ab/definition.ts')
      const { runExperiment } = await import('../../ab/runner.ts')
      const { analyzeExperiment } = await import('../../ab/analyze.ts')
      const stored = load()
      const samples = optionalPositiveInt('--samples', flags.samples)
      const rounds = optionalPositiveInt('--rounds', flags.rounds)
      const budgetMs = flags.budget === undefined ? undefined : parseDuration('--budget', flags.budget)
      const result = await runExperiment(store, name, {
        root,
        target: await configTarget(stored.experiment.variants.map(v => v.overrides)),
        ...(flags.config ? { vitestConfig: flags.config } : {}),
        ...(rounds !== undefined ? { rounds } : {}),
        ...(samples !== undefined ? { samples } : {}),
        ...(budgetMs !== undefined ? { budgetMs } : {}),
        onBatch: (batch, counts) => out(`batch ${batch.seq} ${batch.variant}: stored (new samples: ${Object.entries(counts).map(([v, n]) => `${v} ${n}`).join(', ')})\n`),
      })
      const { experiment, batches } = load()
      const analysis = analyzeExperiment(experiment, batches)
      out(`Collected ${result.batches.length} batches in ${result.cycles} cycle${result.cycles === 1 ? '' : 's'} (stopped: ${result.stopReason}); ${batches.length} batches stored in total\n`)
      out(`Recommendation: ${analysis.recommendation} (benchgate ab status --name ${name} for the details)\n`)
      return 0
    }
    if (act === 'status') {
      const { analyzeExperiment } = await import('../../ab/analyze.ts')
      const { experiment, batches } = load()
      const analysis = analyzeExperiment(experiment, batches)
      if (flags.format === 'json') {
        const { stableStringify } = await import('../../util/json.ts')
        out(stableStringify({ experiment, analysis }))
      }
      else {
        const { renderStatus } = await import('../../ab/render.ts')
        out(renderStatus(experiment, analysis, `${store.kind} store ${store.location}`))
      }
      return 0
    }
    if (act === 'list') {
      const { analyzeExperiment } = await import('../../ab/analyze.ts')
      const rows = store.list().map((e) => {
        const { experiment, batches } = store.load(e.name)!
        return { experiment, analysis: analyzeExperiment(experiment, batches) }
      })
      if (flags.format === 'json') {
        const { stableStringify } = await import('../../util/json.ts')
        out(stableStringify(rows.map(r => ({ name: r.experiment.name, status: r.experiment.status, variants: r.analysis.variants, winner: r.analysis.winner, recommendation: r.analysis.recommendation }))))
      }
      else {
        const { renderList } = await import('../../ab/render.ts')
        out(renderList(rows, `${store.kind} store ${store.location}`))
      }
      return 0
    }
    const target = await configTarget(load().experiment.variants.map(v => v.overrides))
    const { finalizeExperiment } = await import('../../ab/finalize.ts')
    const result = finalizeExperiment(store, name, { root, deployWinner: flags.deployWinner === true, target })
    out(`Finalized experiment ${name} at ${result.experiment.finalizedAt ?? '?'}: no more samples will be added\n`)
    out(`Wrote ${result.resultsPath}\n`)
    out(`Recommendation: ${result.analysis.recommendation}\n`)
    if (result.deployed) out(`${result.deployed.summary.join('\n')}\n`)
    else if (flags.deployWinner) {
      out(`No variant met the deployment criteria; ${target.deploysTo ? `${target.deploysTo} is unchanged` : 'nothing to deploy'}.\n`)
      for (const t of result.analysis.treatments) out(`  ${t.name}: ${t.recommendation}${t.reasons[0] ? ` (${t.reasons[0]})` : ''}\n`)
    }
    return 0
  }
  finally {
    store.close()
  }
}
