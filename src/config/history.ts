/**
 * Where the run history lives and whether the plugin records to it. Light: no SQLite here, so the
 * plugin and the CLI can resolve the options without loading better-sqlite3.
 */

import { isAbsolute, resolve } from 'node:path'
import { BenchgateError } from '../util/errors.ts'

/** The history file inside a project, when nothing else is configured. */
export const DEFAULT_HISTORY_PATH = '.benchgate/history.db'

/** The plugin option: `true` (the default), `false`, or where to keep the database. */
export type HistoryOption = boolean | { path?: string }

/** Run-history settings with the defaults and the environment applied. */
export interface ResolvedHistoryOptions {
  /** False after `history: false` or `BENCHGATE_HISTORY=off`. */
  enabled: boolean
  /** The database file; a relative path is relative to the project root. */
  path: string
  /** Why recording is off. */
  reason?: string
  /**
   * True when the user asked for history (`history: true` or `{ path }`, `BENCHGATE_HISTORY=on`,
   * `BENCHGATE_HISTORY_DB`): then a missing better-sqlite3 is reported; by default it is not.
   */
  explicit?: boolean
}

const OFF = ['0', 'false', 'off', 'no']
const ON = ['1', 'true', 'on', 'yes']

/**
 * Resolves the `history` plugin option. `BENCHGATE_HISTORY_DB` sets the path and turns recording on
 * (the environment wins over the config, as for the other `BENCHGATE_*` variables);
 * `BENCHGATE_HISTORY=off|0|false|no` turns it off. Errors name the option or variable.
 */
export function resolveHistoryOptions(option: HistoryOption | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedHistoryOptions {
  if (option !== undefined && typeof option !== 'boolean' && (option === null || typeof option !== 'object' || Array.isArray(option) || (option.path !== undefined && (typeof option.path !== 'string' || option.path === ''))))
    throw new BenchgateError(`benchgate option history: expected true, false or { path: string } but received ${JSON.stringify(option)}`)
  const flag = env.BENCHGATE_HISTORY?.trim().toLowerCase()
  if (flag && !OFF.includes(flag) && !ON.includes(flag))
    throw new BenchgateError(`BENCHGATE_HISTORY: expected on or off but received ${JSON.stringify(env.BENCHGATE_HISTORY)}`)
  const envPath = env.BENCHGATE_HISTORY_DB || undefined
  const path = envPath ?? (typeof option === 'object' ? option.path : undefined) ?? DEFAULT_HISTORY_PATH
  if (flag && OFF.includes(flag)) return { enabled: false, path, reason: `BENCHGATE_HISTORY=${env.BENCHGATE_HISTORY}` }
  if (option === false && !envPath && !(flag && ON.includes(flag))) return { enabled: false, path, reason: 'history: false' }
  const explicit = option !== undefined || envPath !== undefined || (flag !== undefined && ON.includes(flag))
  return { enabled: true, path, explicit }
}

/**
 * The database the CLI uses: `--history-db`, else `BENCHGATE_HISTORY_DB`, else
 * `.benchgate/history.db`, relative paths resolved against `root` (the current directory by default).
 */
export function historyDbPath(flag: string | undefined, root: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && (typeof flag !== 'string' || flag === '')) throw new BenchgateError(`--history-db: expected a file path but received ${JSON.stringify(flag)}`)
  const path = flag ?? (env.BENCHGATE_HISTORY_DB || DEFAULT_HISTORY_PATH)
  return isAbsolute(path) ? path : resolve(root, path)
}
