#!/usr/bin/env node
/**
 * Builds models/benchgate-msfilter-v1.onnx: a fixed multi-scale filter bank run through the LPIPS
 * pipeline. It is NOT LPIPS and its values are not comparable to LPIPS AlexNet; see
 * docs/perceptual-metric.md.
 *
 * Usage: node scripts/build-perceptual-model.mjs [--out <path>]
 *
 * The output is byte-for-byte deterministic (no timestamps, fixed weights, fixed field order), so a
 * test rebuilds it to a temp path and compares it with the committed file. The ONNX protobuf is
 * written by a tiny encoder below (no onnx-proto / protobufjs dependency).
 */
import { mkdirSync, writeFileSync, renameSync } from 'node:fs'
import { dirname, resolve, join, basename } from 'node:path'
import { fileURLToPath } from 'node:url'

// ---------------------------------------------------------------------------------------------
// Minimal protobuf writer (proto2 wire format, the subset ONNX needs).
// ---------------------------------------------------------------------------------------------

/** Varint of a non-negative safe integer. */
function varint(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`varint: expected a non-negative safe integer, received ${n}`)
  const out = []
  while (n > 127) {
    out.push((n % 128) | 128)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Uint8Array.from(out)
}
const concat = parts => {
  const total = parts.reduce((s, p) => s + p.length, 0)
  const out = new Uint8Array(total)
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}
const tag = (field, wire) => varint(field * 8 + wire)
const pInt = (field, v) => concat([tag(field, 0), varint(v)])
const pBytes = (field, bytes) => concat([tag(field, 2), varint(bytes.length), bytes])
const pStr = (field, s) => pBytes(field, new TextEncoder().encode(s))
const pMsg = (field, parts) => pBytes(field, concat(parts))
const pFloat = (field, f) => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setFloat32(0, f, true)
  return concat([tag(field, 5), b])
}

// ---------------------------------------------------------------------------------------------
// ONNX messages (field numbers from onnx/onnx.proto).
// ---------------------------------------------------------------------------------------------

const FLOAT = 1
const INT64 = 7
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 }

function tensorFloat(name, dims, values) {
  const raw = new Uint8Array(values.length * 4)
  const dv = new DataView(raw.buffer)
  values.forEach((v, i) => dv.setFloat32(i * 4, v, true))
  if (dims.reduce((a, b) => a * b, 1) !== values.length) throw new Error(`tensor ${name}: dims ${dims} do not match ${values.length} values`)
  return [...dims.map(d => pInt(1, d)), pInt(2, FLOAT), pStr(8, name), pBytes(9, raw)]
}
function tensorInt64(name, dims, values) {
  const raw = new Uint8Array(values.length * 8)
  const dv = new DataView(raw.buffer)
  values.forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true))
  return [...dims.map(d => pInt(1, d)), pInt(2, INT64), pStr(8, name), pBytes(9, raw)]
}
function attr(name, value) {
  if (typeof value === 'string') return [pStr(1, name), pStr(4, value), pInt(20, ATTR.STRING)]
  if (Array.isArray(value)) return [pStr(1, name), ...value.map(v => pInt(8, v)), pInt(20, ATTR.INTS)]
  if (Number.isInteger(value)) return [pStr(1, name), pInt(3, value), pInt(20, ATTR.INT)]
  return [pStr(1, name), pFloat(2, value), pInt(20, ATTR.FLOAT)]
}
function node(opType, inputs, outputs, name, attrs = {}) {
  return [
    ...inputs.map(i => pStr(1, i)),
    ...outputs.map(o => pStr(2, o)),
    pStr(3, name),
    pStr(4, opType),
    ...Object.entries(attrs).map(([k, v]) => pMsg(5, attr(k, v))),
  ]
}
/** ValueInfoProto for a float tensor; dims are numbers (fixed) or strings (symbolic). */
function valueInfo(name, dims) {
  const shape = dims.map(d => pMsg(1, [typeof d === 'number' ? pInt(1, d) : pStr(2, d)]))
  const tensorType = [pInt(1, FLOAT), pMsg(2, shape)]
  return [pStr(1, name), pMsg(2, [pMsg(1, tensorType)])]
}

// ---------------------------------------------------------------------------------------------
// The filter bank (all weights are small rationals, so the float32 bytes are exact and stable).
// ---------------------------------------------------------------------------------------------

export const MODEL_NAME = 'benchgate-msfilter-v1'
/** Number of scales: full resolution, then 3 blur + 2x downsample steps. */
export const SCALES = 4
const EPS = 1e-10

/** Colour transforms over (R, G, B) of the [-1, 1] input. */
const LUMA = [0.299, 0.587, 0.114]
const RED_GREEN = [0.5, -0.5, 0]
const BLUE_YELLOW = [-0.25, -0.25, 0.5]

/** 3x3 spatial kernels. Sobel-type oriented derivatives scaled so a unit step responds with 1. */
const BOX = [[1, 1, 1], [1, 1, 1], [1, 1, 1]].map(r => r.map(v => v / 9))
const D0 = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]].map(r => r.map(v => v / 4))
const D90 = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]].map(r => r.map(v => v / 4))
const D45 = [[-2, -1, 0], [-1, 0, 1], [0, 1, 2]].map(r => r.map(v => v / 4))
const D135 = [[0, 1, 2], [-1, 0, 1], [-2, -1, 0]].map(r => r.map(v => v / 4))
const neg = k => k.map(r => r.map(v => -v))

/**
 * The 13 channels of every scale: [name, colour transform, spatial kernel, bias, linear weight].
 * Each derivative appears with both signs so that ReLU keeps both edge polarities
 * (half-wave rectification).
 */
export const CHANNELS = [
  ['luma_level', LUMA, BOX, 1, 0.25],
  ['luma_d0_pos', LUMA, D0, 0, 1], ['luma_d0_neg', LUMA, neg(D0), 0, 1],
  ['luma_d90_pos', LUMA, D90, 0, 1], ['luma_d90_neg', LUMA, neg(D90), 0, 1],
  ['luma_d45_pos', LUMA, D45, 0, 1], ['luma_d45_neg', LUMA, neg(D45), 0, 1],
  ['luma_d135_pos', LUMA, D135, 0, 1], ['luma_d135_neg', LUMA, neg(D135), 0, 1],
  ['red_green_pos', RED_GREEN, BOX, 0, 0.5], ['red_green_neg', RED_GREEN.map(v => -v), BOX, 0, 0.5],
  ['blue_yellow_pos', BLUE_YELLOW, BOX, 0, 0.5], ['blue_yellow_neg', BLUE_YELLOW.map(v => -v), BOX, 0, 0.5],
]
/** Per-scale multiplier of the linear weights. */
export const SCALE_WEIGHTS = [1, 1, 1, 1]

/** 5x5 binomial blur ([1 4 6 4 1] / 16, separable), applied per colour channel before 2x downsampling. */
const BINOMIAL = [1, 4, 6, 4, 1].map(v => v / 16)

function featureWeights() {
  const w = []
  for (const [, colour, kernel] of CHANNELS)
    for (let c = 0; c < 3; c++)
      for (let ky = 0; ky < 3; ky++)
        for (let kx = 0; kx < 3; kx++) w.push(colour[c] * kernel[ky][kx])
  return w
}
function blurWeights() {
  const w = []
  for (let c = 0; c < 3; c++)
    for (let ky = 0; ky < 5; ky++)
      for (let kx = 0; kx < 5; kx++) w.push(BINOMIAL[ky] * BINOMIAL[kx])
  return w
}

/** Returns the ONNX ModelProto bytes. */
export function buildModel() {
  const C = CHANNELS.length
  const nodes = []
  const inits = [
    tensorFloat('feat_w', [C, 3, 3, 3], featureWeights()),
    tensorFloat('feat_b', [C], CHANNELS.map(ch => ch[3])),
    tensorFloat('blur_w', [3, 1, 5, 5], blurWeights()),
    tensorFloat('eps', [], [EPS]),
    tensorInt64('pad1', [8], [0, 0, 1, 1, 0, 0, 1, 1]),
    tensorInt64('pad2', [8], [0, 0, 2, 2, 0, 0, 2, 2]),
    tensorInt64('axis_channel', [1], [1]),
    tensorInt64('axis_first', [1], [0]),
    tensorInt64('index_x', [], [0]),
    tensorInt64('index_y', [], [1]),
  ]
  for (let s = 0; s < SCALES; s++)
    inits.push(tensorFloat(`lin_w_${s}`, [C], CHANNELS.map(ch => ch[4] * SCALE_WEIGHTS[s])))

  nodes.push(node('Concat', ['x', 'y'], ['xy'], 'stack_xy', { axis: 0 }))
  let input = 'xy'
  const layers = []
  for (let s = 0; s < SCALES; s++) {
    const p = `s${s}_`
    if (s > 0) {
      nodes.push(node('Pad', [input, 'pad2'], [`${p}padded_blur`], `${p}pad_blur`, { mode: 'edge' }))
      nodes.push(node('Conv', [`${p}padded_blur`, 'blur_w'], [`${p}in`], `${p}blur_down`, { group: 3, kernel_shape: [5, 5], strides: [2, 2] }))
      input = `${p}in`
    }
    nodes.push(node('Pad', [input, 'pad1'], [`${p}padded`], `${p}pad`, { mode: 'edge' }))
    nodes.push(node('Conv', [`${p}padded`, 'feat_w', 'feat_b'], [`${p}conv`], `${p}filters`, { kernel_shape: [3, 3] }))
    nodes.push(node('Relu', [`${p}conv`], [`${p}feat`], `${p}relu`))
    // Unit-normalise each position's channel vector: f / (||f||_2 + eps).
    nodes.push(node('Mul', [`${p}feat`, `${p}feat`], [`${p}sq`], `${p}square`))
    nodes.push(node('ReduceSum', [`${p}sq`, 'axis_channel'], [`${p}sumsq`], `${p}sum_channels`, { keepdims: 1 }))
    nodes.push(node('Sqrt', [`${p}sumsq`], [`${p}norm`], `${p}sqrt`))
    nodes.push(node('Add', [`${p}norm`, 'eps'], [`${p}norm_eps`], `${p}add_eps`))
    nodes.push(node('Div', [`${p}feat`, `${p}norm_eps`], [`${p}unit`], `${p}normalise`))
    // Squared difference between x and y features, spatial mean per channel, weighted channel sum.
    nodes.push(node('Gather', [`${p}unit`, 'index_x'], [`${p}ux`], `${p}take_x`, { axis: 0 }))
    nodes.push(node('Gather', [`${p}unit`, 'index_y'], [`${p}uy`], `${p}take_y`, { axis: 0 }))
    nodes.push(node('Sub', [`${p}ux`, `${p}uy`], [`${p}diff`], `${p}sub`))
    nodes.push(node('Mul', [`${p}diff`, `${p}diff`], [`${p}diff2`], `${p}diff_square`))
    nodes.push(node('ReduceMean', [`${p}diff2`], [`${p}mean`], `${p}spatial_mean`, { axes: [1, 2], keepdims: 0 }))
    nodes.push(node('Mul', [`${p}mean`, `lin_w_${s}`], [`${p}weighted`], `${p}lin`))
    nodes.push(node('ReduceSum', [`${p}weighted`, 'axis_first'], [`${p}layer`], `${p}sum_weighted`, { keepdims: 0 }))
    layers.push(`${p}layer`)
  }
  nodes.push(node('Sum', layers, ['distance'], 'sum_layers'))

  const graph = [
    ...nodes.map(n => pMsg(1, n)),
    pStr(2, MODEL_NAME),
    ...inits.map(t => pMsg(5, t)),
    pStr(10, 'LPIPS-style pipeline over a fixed multi-scale filter bank. Not LPIPS.'),
    pMsg(11, valueInfo('x', [1, 3, 'H', 'W'])),
    pMsg(11, valueInfo('y', [1, 3, 'H', 'W'])),
    pMsg(12, valueInfo('distance', [])),
  ]
  const model = [
    pInt(1, 7), // ir_version 7 (ONNX 1.8, opset 13)
    pStr(2, 'benchgate'),
    pStr(3, '1'),
    pStr(4, 'dev.benchgate'),
    pInt(5, 1),
    pStr(6, `${MODEL_NAME}: a fixed multi-scale filter bank in the LPIPS pipeline; it is not LPIPS and its values are not comparable to LPIPS AlexNet. Inputs x, y: float [1,3,H,W] in [-1,1]; output distance: scalar, 0 for identical inputs.`),
    pMsg(7, graph),
    pMsg(8, [pStr(1, ''), pInt(2, 13)]),
    pMsg(14, [pStr(1, 'benchgate.model'), pStr(2, MODEL_NAME)]),
  ]
  return concat(model)
}

const DEFAULT_OUT = fileURLToPath(new URL(`../models/${MODEL_NAME}.onnx`, import.meta.url))

function main(argv) {
  let out = DEFAULT_OUT
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = resolve(argv[++i])
    else throw new Error(`build-perceptual-model: unknown argument ${JSON.stringify(argv[i])}; usage: node scripts/build-perceptual-model.mjs [--out <path>]`)
  }
  const bytes = buildModel()
  mkdirSync(dirname(out), { recursive: true })
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`)
  writeFileSync(tmp, bytes)
  renameSync(tmp, out)
  process.stdout.write(`wrote ${out} (${bytes.length} bytes)\n`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try { main(process.argv.slice(2)) }
  catch (error) { process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`); process.exitCode = 1 }
}
