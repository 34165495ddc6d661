import { defineConfig } from 'vitest/config'
import { benchgate } from 'benchgate/plugin'

export default defineConfig({
  plugins: [benchgate()],
})
