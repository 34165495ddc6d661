/**
 * A/B experiments over plain override sets: define variants as environment variables and config
 * keys, collect samples of the scenarios under each in fresh processes, analyse them with an
 * always-valid sequential test and deploy the winner. A project's config keys go through its
 * `ConfigTarget` (the default, `envOnlyTarget`, takes environment variables only). See
 * docs/ab-testing.md.
 */
export { analyzeExperiment, formatChange, MIN_TEST_BATCHES, MIN_TEST_SAMPLES, welchDf } from './analyze.ts'
export { armMoments } from './arm.ts'
export type { ArmMoments } from './arm.ts'
export { batchBenchmarks, childEnv, runVitestBatch, vitestEntry } from './child.ts'
export type { BatchRequest, BatchResult, BatchRunner } from './child.ts'
export { CRITERIA, metricKind } from './criteria.ts'
export type { Criterion, MetricKind, MetricRole, TestScale } from './criteria.ts'
export { CONTROL_NAME, defineExperiment, parseDuration, parseOverrides, sameAsControl, validateExperimentName } from './definition.ts'
export type { CreateExperimentOptions } from './definition.ts'
export type { BatchBenchmark, BatchMetric, Experiment, ExperimentFile, OverrideValue, SampleBatch, Variant } from './experiment-types.generated.ts'
export { buildResults, finalizeExperiment, RESULTS_DIR, resultsFileName, validateResults, writeResults } from './finalize.ts'
export type { FinalizeResult } from './finalize.ts'
export { checkOverrides, deployVariant, envOnlyTarget, splitOverrides, variantEnv, variantEnvNames } from './overrides.ts'
export type { ConfigTarget, DeployResult, Overrides } from './overrides.ts'
export { renderList, renderStatus } from './render.ts'
export type { ListRow } from './render.ts'
export type { Comparison, ExperimentAnalysis, ExperimentResults, MetricAnalysis, TreatmentDecision } from './results-types.generated.ts'
export { cycleOrder, runExperiment } from './runner.ts'
export type { RunExperimentOptions, RunExperimentResult } from './runner.ts'
export { alwaysValidPValue, confidenceSequenceHalfWidth, msprtLogLikelihoodRatio, normalToStudent, studentizedMsprt, studentToNormal } from './sequential.ts'
export type { StudentizedMsprt } from './sequential.ts'
export { openStore } from './store.ts'
export type { OpenStoreOptions, StoreKind } from './store.ts'
export type { ExperimentStore, NewBatch, StoredExperiment } from './experiment-store.ts'
