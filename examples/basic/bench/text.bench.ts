import { bench } from 'benchgate'

const words = Array.from({ length: 2000 }, (_, i) => `word${(i * 7919) % 2000}`)

bench.scenario({
  name: 'sort words',
  tags: ['ci'],
  rounds: 10,
  warmupRounds: 2,
  params: { copies: 20 },
  run: ({ params }) => {
    for (let i = 0; i < params.copies; i++) [...words].sort()
  },
})

bench.scenario<Map<string, number>>({
  name: 'count words',
  tags: ['ci'],
  rounds: 10,
  setup: () => new Map(),
  run: ({ state }) => {
    state.clear()
    for (let i = 0; i < 20; i++) for (const w of words) state.set(w, (state.get(w) ?? 0) + 1)
  },
  metrics: {
    distinct_words: { direction: 'higher', unit: 'words', min: 1000, collect: ({ state }) => state.size },
  },
})

bench('join words', () => {
  words.join(' ')
}, { time: 100 })
