/**
 * A perceptual (deep-feature style) image distance run by onnxruntime-node.
 *
 * The pipeline is LPIPS's: RGB scaled to [-1, 1], a feature stack at several scales, per-position
 * unit normalisation of the channel vector, squared difference weighted per channel, spatial mean
 * per layer, sum over layers. The default model, `benchgate-msfilter-v1`, is a fixed multi-scale
 * filter bank built by `scripts/build-perceptual-model.mjs`; it is NOT LPIPS and its values are not
 * comparable to LPIPS AlexNet. A user-supplied ONNX model with the same contract (inputs `x`, `y`
 * float [1,3,H,W] in [-1, 1], one scalar output) can be used instead: see docs/perceptual-metric.md.
 *
 * onnxruntime-node is loaded lazily, on the first `createPerceptualMetric` call.
 */
import { existsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type * as Ort from 'onnxruntime-node'
import { BenchgateError } from '../util/errors.ts'
import { measuringInstructions } from '../measure/mode.ts'
import { assertImage, assertSameSize, type Image } from './image.ts'

/** Name of the built-in model (also its file name without `.onnx`). */
export const BUILTIN_PERCEPTUAL_MODEL = 'benchgate-msfilter-v1'

/** Where the model path can be set, quoted in every model error. */
const MODEL_KEY = 'option modelPath / config key PERCEPTUAL.model_path'

/** Options of {@link createPerceptualMetric}. */
export interface PerceptualMetricOptions {
  /**
   * Path to an ONNX model (relative paths resolve against the current directory).
   * `undefined` or `null` uses the built-in `benchgate-msfilter-v1`.
   */
  modelPath?: string | null
  /**
   * onnxruntime intra-op threads.
   * @default 1
   */
  threads?: number
}

/** A loaded perceptual metric. */
export interface PerceptualMetric {
  /** Absolute path of the loaded model. */
  readonly modelPath: string
  /** True when the built-in `benchgate-msfilter-v1` model is loaded. */
  readonly builtin: boolean
  /**
   * Distance between two same-size images (any of 1/3/4 channels; alpha is ignored, gray is
   * replicated to RGB). Lower is more similar; 0 for identical images with the built-in model.
   */
  distance(a: Image, b: Image): Promise<number>
  /** Releases the onnxruntime session; later `distance` calls reject. */
  close(): Promise<void>
}

/** The subset of a PERCEPTUAL config section this module reads. */
export interface PerceptualConfigSection {
  model_path: string | null
  threads: number
}

/** Maps a `PERCEPTUAL` config section to {@link PerceptualMetricOptions}. */
export function perceptualOptionsFromConfig(section: PerceptualConfigSection): PerceptualMetricOptions {
  return { modelPath: section.model_path, threads: section.threads }
}

/**
 * Finds the committed built-in model: `models/benchgate-msfilter-v1.onnx` in the first ancestor of
 * this module's directory that has it (works from `src/gif/` and from `dist/src/gif/`).
 * @throws {BenchgateError} when no ancestor has it
 */
export function defaultPerceptualModelPath(): string {
  const start = dirname(fileURLToPath(import.meta.url))
  const file = join('models', `${BUILTIN_PERCEPTUAL_MODEL}.onnx`)
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, file)
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) break
  }
  throw new BenchgateError(
    `Built-in perceptual model ${file} not found in any parent of ${start}; rebuild it with `
    + `"node scripts/build-perceptual-model.mjs" or set ${MODEL_KEY} to an ONNX file`,
  )
}

/**
 * Converts an 8-bit image to the model's input layout: float32 CHW RGB in [-1, 1]
 * (`v / 127.5 - 1`). Gray is replicated to the three channels; alpha is dropped.
 */
export function imageToModelInput(img: Image): Float32Array {
  const n = img.width * img.height
  const c = img.channels
  const src = img.data
  const out = new Float32Array(3 * n)
  for (let i = 0, p = 0; i < n; i++, p += c) {
    const r = src[p]!
    const g = c === 1 ? r : src[p + 1]!
    const b = c === 1 ? r : src[p + 2]!
    out[i] = r / 127.5 - 1
    out[n + i] = g / 127.5 - 1
    out[2 * n + i] = b / 127.5 - 1
  }
  return out
}

type OrtModule = typeof Ort

let ortModule: Promise<OrtModule> | undefined

/** Loads onnxruntime-node on first use (never at import time). */
async function loadOrt(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-node').catch((error: unknown) => {
    ortModule = undefined
    throw new BenchgateError(
      `The perceptual metric needs the optional peer dependency onnxruntime-node, which failed to load: ${(error as Error).message}`,
      2,
      { cause: error },
    )
  })
  return ortModule
}

function describeShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.map(d => String(d)).join(',')}]`
}

/**
 * Checks the loaded session against the metric's contract: inputs exactly `x` and `y`, float
 * rank-4 tensors ([1,3,H,W] where dimensions are fixed), and a first output holding one value.
 * @throws {BenchgateError} naming the model file, what was expected and what it has
 */
function validateSession(session: Ort.InferenceSession, path: string): void {
  const inputs = [...session.inputNames].sort()
  if (inputs.length !== 2 || inputs[0] !== 'x' || inputs[1] !== 'y') {
    throw new BenchgateError(
      `Perceptual model ${path} (${MODEL_KEY}): expected exactly the inputs "x" and "y" ([1,3,H,W] in [-1,1]) but it has ${JSON.stringify(session.inputNames)}`,
    )
  }
  if (session.outputNames.length < 1) {
    throw new BenchgateError(`Perceptual model ${path} (${MODEL_KEY}): expected one scalar output but it has none`)
  }
  // inputMetadata / outputMetadata exist in onnxruntime >= 1.22; older versions skip the rank checks.
  const inputMeta = (session as { inputMetadata?: readonly Ort.InferenceSession.ValueMetadata[] }).inputMetadata
  for (const meta of inputMeta ?? []) {
    if (!meta.isTensor || meta.shape.length === 0) continue
    const shape = meta.shape
    const badBatch = typeof shape[0] === 'number' && shape[0] !== 1
    const badChannels = typeof shape[1] === 'number' && shape[1] !== 3
    if (shape.length !== 4 || badBatch || badChannels || meta.type !== 'float32') {
      throw new BenchgateError(
        `Perceptual model ${path} (${MODEL_KEY}): expected input "${meta.name}" to be float32 [1,3,H,W] but it is ${meta.type} ${describeShape(shape)}`,
      )
    }
  }
  const outputMeta = (session as { outputMetadata?: readonly Ort.InferenceSession.ValueMetadata[] }).outputMetadata
  const out = outputMeta?.find(m => m.name === session.outputNames[0])
  if (out?.isTensor) {
    const fixed = out.shape.every(d => typeof d === 'number')
    const size = out.shape.reduce<number>((acc, d) => acc * (typeof d === 'number' ? d : 1), 1)
    if (fixed && size !== 1) {
      throw new BenchgateError(
        `Perceptual model ${path} (${MODEL_KEY}): expected output "${out.name}" to be a scalar (one value) but its shape is ${describeShape(out.shape)}`,
      )
    }
  }
}

function checkThreads(threads: unknown): number {
  if (threads === undefined) return 1
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new BenchgateError(`Perceptual option threads (config key PERCEPTUAL.threads): expected a positive integer but received ${JSON.stringify(threads)}`)
  }
  return threads
}

/** Resolves `modelPath` and checks it is an existing file. */
function resolveModelPath(modelPath: string | null | undefined): { path: string, builtin: boolean } {
  if (modelPath === undefined || modelPath === null) return { path: defaultPerceptualModelPath(), builtin: true }
  if (typeof modelPath !== 'string' || modelPath === '') {
    throw new BenchgateError(`Perceptual model path (${MODEL_KEY}): expected a file path or null but received ${JSON.stringify(modelPath)}`)
  }
  const path = resolve(modelPath)
  let isFile = false
  try {
    isFile = statSync(path).isFile()
  }
  catch {
    isFile = false
  }
  if (!isFile) {
    throw new BenchgateError(
      `Perceptual model file not found: ${path} (${MODEL_KEY}); expected an existing .onnx file, or null for the built-in ${BUILTIN_PERCEPTUAL_MODEL}`,
    )
  }
  return { path, builtin: false }
}

/**
 * Loads a perceptual metric. onnxruntime-node is imported here, lazily, and runs on the CPU
 * execution provider with `threads` intra-op threads (default 1; always 1 under `--measure instructions`).
 *
 * @throws {BenchgateError} for a missing model file (naming the path and `PERCEPTUAL.model_path`),
 *   a file onnxruntime cannot load (naming the file and onnxruntime's message), or a model whose
 *   inputs / outputs do not match the contract.
 */
export async function createPerceptualMetric(options: PerceptualMetricOptions = {}): Promise<PerceptualMetric> {
  const requested = checkThreads(options.threads)
  // instruction mode: one intra-op thread whatever the config, so counts do not depend on the split
  const threads = measuringInstructions() ? 1 : requested
  const { path, builtin } = resolveModelPath(options.modelPath)
  const ort = await loadOrt()
  let session: Ort.InferenceSession
  try {
    session = await ort.InferenceSession.create(path, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      // The built-in graph is small-channel and elementwise-heavy: onnxruntime's NCHWc layout
      // transform ('all') costs more than it saves there (~30 % slower, measured); real CNNs gain.
      graphOptimizationLevel: builtin ? 'extended' : 'all',
    })
  }
  catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]
    throw new BenchgateError(
      `Perceptual model ${path} (${MODEL_KEY}) is not a valid ONNX model: onnxruntime says: ${message}`,
      2,
      { cause: error },
    )
  }
  try {
    validateSession(session, path)
  }
  catch (error) {
    await session.release()
    throw error
  }
  const outputName = session.outputNames[0]!
  let closed = false
  // One run at a time per session: keeps `threads` meaningful and memory bounded.
  let queue: Promise<unknown> = Promise.resolve()

  const run = async (a: Image, b: Image): Promise<number> => {
    if (closed) throw new BenchgateError(`Perceptual metric for ${path} is closed`)
    const dims = [1, 3, a.height, a.width]
    const feeds = {
      x: new ort.Tensor('float32', imageToModelInput(a), dims),
      y: new ort.Tensor('float32', imageToModelInput(b), dims),
    }
    const result = await session.run(feeds)
    const output = result[outputName]
    if (!output || output.size !== 1) {
      throw new BenchgateError(
        `Perceptual model ${path}: expected output "${outputName}" to hold one value but it has ${output ? output.size : 'none'} (dims ${JSON.stringify(output?.dims)})`,
      )
    }
    return Number((output.data as Float32Array | Float64Array)[0])
  }

  return {
    modelPath: path,
    builtin,
    async distance(a: Image, b: Image): Promise<number> {
      assertImage(a, 'a')
      assertImage(b, 'b')
      assertSameSize(a, b)
      const next = queue.then(() => run(a, b))
      queue = next.catch(() => undefined)
      return next
    },
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await queue
      await session.release()
    },
  }
}

const shared = new Map<string, Promise<PerceptualMetric>>()

function sharedKey(options: PerceptualMetricOptions): string {
  const modelPath = options.modelPath === undefined || options.modelPath === null ? null : resolve(options.modelPath)
  return JSON.stringify([modelPath, options.threads ?? 1])
}

/**
 * Convenience: the distance computed by a lazily created, shared metric instance (one per distinct
 * `modelPath` / `threads`). A failed load is not cached, so a later call retries.
 */
export async function perceptual(a: Image, b: Image, options: PerceptualMetricOptions = {}): Promise<number> {
  const key = sharedKey(options)
  let metric = shared.get(key)
  if (!metric) {
    metric = createPerceptualMetric(options)
    shared.set(key, metric)
    metric.catch(() => shared.delete(key))
  }
  return (await metric).distance(a, b)
}

/** Closes and forgets every shared instance created by {@link perceptual}. */
export async function closeSharedPerceptualMetrics(): Promise<void> {
  const all = [...shared.values()]
  shared.clear()
  await Promise.all(all.map(async (p) => {
    try {
      await (await p).close()
    }
    catch {
      // a failed load has nothing to close
    }
  }))
}
