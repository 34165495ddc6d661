/**
 * A/B experiments on workload configuration: define variants as config overrides, collect samples
 * of the scenarios under each in fresh processes, analyse them with an always-valid sequential test
 * and deploy the winner into `benchgate.config.json`. See docs/ab-testing.md.
 */
export { analyzeExperiment, formatChange, MIN_TEST_BATCHES, MIN_TEST_SAMPLES, welchDf } from './analyze.ts'
export { armMoments } from './arm.ts'
export type { ArmMoments } from './arm.ts'
export { batchBenchmarks, childEnv, runVitestBatch, vitestEntry } from './child.ts'
export type { BatchRequest, BatchResult, BatchRunner } from './child.ts'
export { CRITERIA, metricKind } from './criteria.ts'
export type { Criterion, MetricKind, MetricRole, TestScale } from './criteria.ts'
export { CONTROL_NAME, defineExperiment, envName, flattenOverrides, parseDuration, parseOverrides, sameAsControl, validateExperimentName, variantEnv } from './definition.ts'
export type { CreateExperimentOptions, Overrides } from './definition.ts'
export type { BatchBenchmark, BatchMetric, Experiment, ExperimentFile, SampleBatch, Variant } from './experiment-types.generated.ts'
export { buildResults, deployOverrides, finalizeExperiment, RESULTS_DIR, resultsFileName, validateResults, writeResults } from './finalize.ts'
export type { DeployResult, FinalizeResult } from './finalize.ts'
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
