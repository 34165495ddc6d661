/**
 * benchgate's statistics: pure functions, no I/O, no Vitest. See each module for accuracy and cost.
 */

export type { Alternative } from './alternative.ts'
export { bootstrapRatioOfMedians, bootstrapRatioOfMediansNested, bootstrapSeLogMedian } from './bootstrap.ts'
export type { BootstrapOptions, BootstrapSeOptions, RatioInterval } from './bootstrap.ts'
export { logGamma, normalCdf, normalQuantile, regularizedIncompleteBeta, studentTCdf, studentTQuantile } from './distributions.ts'
export { holm } from './holm.ts'
export { mannWhitneyU } from './mann-whitney.ts'
export type { MannWhitneyMethod, MannWhitneyOptions, MannWhitneyResult } from './mann-whitney.ts'
export { createRng, shuffled } from './random.ts'
export { cv, mad, mean, median, quantile, sd, summarize, variance } from './summary.ts'
export type { Summary } from './summary.ts'
export { oneSampleTTest, welchTTest } from './ttest.ts'
export type { TTestOptions, TTestResult } from './ttest.ts'
