/**
 * `--shard <index>/<count>` with independent runs. Vitest shards test specifications: one per file
 * and project, sorted by a hash of the file's path and cut into `count` slices. The gate adds a
 * replica project per run, so each file has several specifications with the same hash, and a slice
 * boundary could fall between them: run 1 of a file on shard 2 and its runs 2-5 on shard 3, each a
 * benchmark with too few runs. Sharding by file keeps every run of a file on one shard: vitest's own
 * `shard()` (same hash, same slices) picks the files from one specification per file, and each
 * picked file brings all of its specifications.
 */

/** A test specification, as far as sharding needs it (both majors: `TestSpecification.moduleId`). */
interface Specification {
  moduleId: string
}

/** A Vitest sequencer class (`config.sequence.sequencer`), both majors. */
type SequencerClass = new (...args: any[]) => { shard(files: Specification[]): Promise<Specification[]> }

const WRAPPED = Symbol.for('benchgate.shardByFile')

/** Groups specifications by file, in order of first appearance. */
export function byFile<S extends Specification>(specs: readonly S[]): Map<string, S[]> {
  const files = new Map<string, S[]>()
  for (const spec of specs) {
    const list = files.get(spec.moduleId)
    if (list) list.push(spec)
    else files.set(spec.moduleId, [spec])
  }
  return files
}

/** The sequencer `Base`, sharding by file (see above). Wrapping twice returns the first wrapper. */
export function shardByFile<T extends SequencerClass>(Base: T): T {
  if ((Base as unknown as Record<symbol, boolean>)[WRAPPED]) return Base
  const Sharded = class extends Base {
    override async shard(specs: Specification[]): Promise<Specification[]> {
      const files = byFile(specs)
      const picked = await super.shard([...files.values()].map(list => list[0]!))
      return picked.flatMap(spec => files.get(spec.moduleId) ?? [spec])
    }
  }
  Object.defineProperty(Sharded, WRAPPED, { value: true })
  return Sharded
}

/** When the run is a shard (`config.shard`), makes its sequencer shard by file. */
export function shardRunsTogether(config: { shard?: unknown, sequence: { sequencer?: unknown } }): void {
  if (!config.shard || typeof config.sequence.sequencer !== 'function') return
  config.sequence.sequencer = shardByFile(config.sequence.sequencer as SequencerClass)
}
