import { cpus, release } from 'node:os'
import type { Environment } from './types.generated.ts'

export type { Environment }

/** Versions the caller knows (the plugin reads them from the running Vitest). */
export interface FingerprintVersions {
  vitest: string
  benchgate: string
  tinybench?: string
}

/** The machine and toolchain a measurement was taken on. */
export function environmentFingerprint(versions: FingerprintVersions): Environment {
  const cpu = cpus()
  const env: Environment = {
    cpuModel: (cpu[0]?.model ?? 'unknown').trim().replace(/\s+/g, ' '),
    cores: Math.max(1, cpu.length),
    os: `${process.platform}-${process.arch} ${release()}`,
    node: process.version,
    vitest: versions.vitest,
    benchgate: versions.benchgate,
  }
  if (versions.tinybench) env.tinybench = versions.tinybench
  return env
}

/** Fields that make two measurements incomparable when they differ (the OS release and tool patch versions do not). */
const MACHINE_FIELDS = ['cpuModel', 'cores'] as const

/**
 * Lists the differences that matter between a baseline's environment and the current one:
 * another CPU or core count (another machine), another Node or Vitest major, another tinybench.
 */
export function environmentDifferences(baseline: Environment, current: Environment): string[] {
  const out: string[] = []
  for (const field of MACHINE_FIELDS) {
    if (baseline[field] !== current[field]) out.push(`${field}: ${baseline[field]} -> ${current[field]}`)
  }
  const major = (v: string) => v.replace(/^v/, '').split('.')[0]
  if (major(baseline.node) !== major(current.node)) out.push(`node: ${baseline.node} -> ${current.node}`)
  if (major(baseline.vitest) !== major(current.vitest))
    out.push(`vitest: ${baseline.vitest} -> ${current.vitest} (another Vitest major runs another tinybench, and tinybench versions measure differently)`)
  if (baseline.tinybench && current.tinybench && baseline.tinybench !== current.tinybench)
    out.push(`tinybench: ${baseline.tinybench} -> ${current.tinybench} (tinybench versions measure differently)`)
  return out
}
