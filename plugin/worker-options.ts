import { inject } from 'vitest'
import { PROVIDE_KEY, type WorkerOptions } from './protocol.ts'

/**
 * The options the plugin provided to this worker (`provide`/`inject`): undefined in a project the
 * plugin did not configure, and outside a worker, where `inject` throws.
 */
export function injectedWorkerOptions(): WorkerOptions | undefined {
  try {
    return inject(PROVIDE_KEY)
  }
  catch {
    return undefined
  }
}
