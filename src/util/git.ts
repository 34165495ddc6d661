import { execFileSync } from 'node:child_process'

/** The current commit and branch of the repository at `cwd`, when git knows them. */
export function gitInfo(cwd: string): { commit?: string, branch?: string } {
  const run = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim() || undefined
    }
    catch {
      return undefined
    }
  }
  const out: { commit?: string, branch?: string } = {}
  const commit = process.env.GITHUB_SHA || run(['rev-parse', 'HEAD'])
  const branch = process.env.GITHUB_HEAD_REF || process.env.GITHUB_REF_NAME || run(['rev-parse', '--abbrev-ref', 'HEAD'])
  if (commit) out.commit = commit
  if (branch && branch !== 'HEAD') out.branch = branch
  return out
}
