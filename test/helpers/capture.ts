import { vi } from 'vitest'
import { main } from '../../src/cli/main.ts'

/** What an in-process CLI call printed, and its exit code. */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs the benchgate CLI in this process (`benchgate <args>`) and captures what it writes to
 * stdout and stderr (and, with `console`, what it logs: console.log and console.info go to stdout).
 */
export async function runCli(args: readonly string[], options: { console?: boolean } = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const spies: Array<{ mockRestore: () => void }> = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true }),
  ]
  if (options.console) {
    spies.push(
      vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => { stdout += `${parts.join(' ')}\n` }),
      vi.spyOn(console, 'info').mockImplementation((...parts: unknown[]) => { stdout += `${parts.join(' ')}\n` }),
    )
  }
  try {
    const code = await main(['node', 'benchgate', ...args], '0.1.0')
    return { code, stdout, stderr }
  }
  finally {
    for (const spy of spies) spy.mockRestore()
  }
}
