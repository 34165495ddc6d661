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

/**
 * The commit that a user-given ref (`--baseline-ref`, `--against`) names in the repository at `cwd`,
 * as a full sha. The ref is resolved with `--end-of-options`, and a ref that starts with `-` is
 * refused first, so that a value such as `--output=FILE` is never read by git as an option.
 * @throws {Error} a one-line message naming `flag` and the ref (the caller wraps it with its exit code)
 */
export function resolveCommit(cwd: string, ref: string, flag: string): string {
  if (ref.trim() === '' || ref.startsWith('-')) throw new Error(`${flag}: expected a git ref (a branch, tag or commit) but received ${JSON.stringify(ref)}`)
  let sha: string
  try {
    sha = execFileSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim()
  }
  catch {
    sha = ''
  }
  if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`${flag}: ${JSON.stringify(ref)} is not a commit in ${cwd}`)
  return sha
}
