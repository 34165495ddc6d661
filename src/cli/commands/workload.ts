import type { CAC } from 'cac'
import { BenchgateError } from '../../util/errors.ts'

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)

/** `benchgate cache ...` and `benchgate config ...`: the GifLab workload's caches and configuration. */
export function registerWorkload(cli: CAC): void {
  cli.command('cache <action> [...gifs]', 'Workload caches: status | clear --type frame|validation|all | warm <gif...> | export-stats')
    .option('--type <type>', 'With clear: frame, validation or all', { default: 'all' })
    .example('benchgate cache status')
    .example('benchgate cache clear --type frame')
    .example('benchgate cache warm fixtures/*.gif')
    .action(async (action: string, gifs: string[], flags: { type: string }) => {
      const { resolveWorkloadConfig } = await import('../../config/workload.ts')
      const commands = await import('../../gif/cache-commands.ts')
      const config = resolveWorkloadConfig()
      switch (action) {
        case 'status':
          print(await commands.cacheStatus(config))
          return 0
        case 'clear': {
          if (!['frame', 'validation', 'all'].includes(flags.type))
            throw new BenchgateError(`--type: expected frame, validation or all but received ${JSON.stringify(flags.type)}`)
          print(await commands.cacheClear(config, flags.type as 'frame' | 'validation' | 'all'))
          return 0
        }
        case 'warm': {
          if (gifs.length === 0) throw new BenchgateError('cache warm: expected at least one GIF file, e.g. benchgate cache warm fixtures/*.gif')
          const { decodeGif } = await import('../../gif/io.ts')
          const result = await commands.cacheWarm(config, gifs, (buffer, options) => decodeGif(buffer, options))
          print(result)
          if (!result.persistent) process.stderr.write('benchgate: the frame cache has no disk tier (FRAME_CACHE.disk_enabled=false): the warmed entries end with this process\n')
          return 0
        }
        case 'export-stats':
          print(await commands.cacheExportStats(config))
          return 0
        default:
          throw new BenchgateError(`cache: unknown action "${action}" (expected status, clear, warm or export-stats)`)
      }
    })

  cli.command('config <action> [name]', 'Workload configuration: current | load-profile <default|low_memory|high_throughput>')
    .option('--keep-overrides', 'With load-profile: keep the overrides already in benchgate.config.json')
    .example('benchgate config current')
    .example('benchgate config load-profile low_memory')
    .action(async (action: string, name: string | undefined, flags: { keepOverrides?: boolean }) => {
      const workload = await import('../../config/workload.ts')
      if (action === 'current') {
        print(workload.configCurrent())
        return 0
      }
      if (action === 'load-profile') {
        if (!name) throw new BenchgateError('config load-profile: expected a profile name (default, low_memory, high_throughput)')
        const result = workload.configLoadProfile(name, { keepOverrides: flags.keepOverrides ?? false })
        process.stdout.write(`${result.summary.join('\n')}\n`)
        return 0
      }
      throw new BenchgateError(`config: unknown action "${action}" (expected current or load-profile)`)
    })
}
