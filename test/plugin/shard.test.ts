import { describe, expect, it } from 'vitest'
import { shardByFile, shardRunsTogether } from '../../plugin/shard.ts'

/** Vitest's own sharding, reduced to its rule: specifications sorted by file, cut into `count` slices. */
class SliceSequencer {
  constructor(readonly ctx: { config: { shard: { index: number, count: number } } }) {}
  async shard<S extends { moduleId: string }>(specs: S[]): Promise<S[]> {
    const { index, count } = this.ctx.config.shard
    const size = Math.ceil(specs.length / count)
    return [...specs].sort((a, b) => a.moduleId.localeCompare(b.moduleId)).slice((index - 1) * size, index * size)
  }
}

describe('shardByFile', () => {
  // 5 files, each measured in 5 runs (the project and 4 replicas): 25 specifications
  const specs = ['a', 'b', 'c', 'd', 'e'].flatMap(file => [1, 2, 3, 4, 5].map(run => ({ moduleId: `/root/${file}.bench.ts`, run })))
  const shard = (Sequencer: typeof SliceSequencer, index: number) => new Sequencer({ config: { shard: { index, count: 4 } } }).shard(specs)

  it('vitest\'s own slices can split the runs of a file across shards', async () => {
    const first = await shard(SliceSequencer, 1)
    expect(first.filter(s => s.moduleId === '/root/b.bench.ts').length).toBeGreaterThan(0)
    expect(first.filter(s => s.moduleId === '/root/b.bench.ts').length).toBeLessThan(5)
  })

  it('keeps every run of a file on one shard, and the shards together cover every specification once', async () => {
    const Sharded = shardByFile(SliceSequencer)
    const shards = await Promise.all([1, 2, 3, 4].map(i => shard(Sharded, i)))
    expect(shards.flat().length).toBe(specs.length)
    expect(new Set(shards.flat()).size).toBe(specs.length)
    for (const picked of shards) {
      for (const file of new Set(picked.map(s => s.moduleId))) expect(picked.filter(s => s.moduleId === file)).toHaveLength(5)
    }
    // vitest's slices over one specification per file: 5 files in 4 shards of 2, 2, 1, 0
    expect(shards.map(s => new Set(s.map(x => x.moduleId)).size)).toEqual([2, 2, 1, 0])
  })

  it('wraps a sequencer once, and only when the run is a shard', () => {
    const config = { shard: { index: 1, count: 2 } as unknown, sequence: { sequencer: SliceSequencer as unknown } }
    shardRunsTogether(config)
    const wrapped = config.sequence.sequencer
    expect(wrapped).not.toBe(SliceSequencer)
    shardRunsTogether(config)
    expect(config.sequence.sequencer).toBe(wrapped)
    const plain = { sequence: { sequencer: SliceSequencer as unknown } }
    shardRunsTogether(plain)
    expect(plain.sequence.sequencer).toBe(SliceSequencer)
  })
})
