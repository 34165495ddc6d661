import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { readFileSync } from 'node:fs'
import jsonc from 'jsonc-parser'
import { BenchgateError } from './errors.ts'

// ajv-formats is CommonJS; under NodeNext its default import is the module namespace.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv

let shared: Ajv | undefined

function ajv(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: false, strict: true })
    addFormats(shared)
  }
  return shared
}

/** Renders an ajv error as `<path>: <message>`, with the path in JSON-pointer form (`/entries/x/metrics`). */
export function formatSchemaError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath
  let message = error.message ?? 'is invalid'
  if (error.keyword === 'additionalProperties')
    message = `has unknown property "${String(error.params.additionalProperty)}"`
  else if (error.keyword === 'enum')
    message = `must be one of ${(error.params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`
  else if (error.keyword === 'const')
    message = `must be ${JSON.stringify(error.params.allowedValue)}`
  return `${path}: ${message}`
}

/** A compiled schema: `assert` throws a one-line {@link BenchgateError} naming the source and the JSON path. */
export interface SchemaValidator<T> {
  (data: unknown): data is T
  assert: (data: unknown, source: string) => T
}

/**
 * A validator for a JSON Schema, compiled once, on its first use: a process that never reads or
 * writes a format does not pay for compiling its schema (ajv's compile is most of a command's
 * start-up). `references`: the schemas (with an `$id`) that it refers to by `$id`, registered first
 * unless they already are.
 */
export function compileSchema<T>(schema: object, options: { references?: readonly object[] } = {}): SchemaValidator<T> {
  let compiled: ValidateFunction<T> | undefined
  const validate = (): ValidateFunction<T> => compiled ??= compileNow<T>(schema, options.references ?? [])
  const check = ((data: unknown) => validate()(data)) as SchemaValidator<T>
  check.assert = (data, source) => {
    const v = validate()
    if (v(data)) return data
    const first = v.errors?.[0]
    throw new BenchgateError(`${source}: invalid at ${first ? formatSchemaError(first) : '/: does not match the schema'}`)
  }
  return check
}

function compileNow<T>(schema: object, references: readonly object[]): ValidateFunction<T> {
  const instance = ajv()
  for (const reference of references) {
    const id = (reference as { $id?: unknown }).$id
    if (typeof id === 'string' && !instance.getSchema(id)) instance.addSchema(reference)
  }
  return instance.compile<T>(schema)
}

/** Parses JSON text; a syntax error becomes one line naming the source, line and column. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text)
  }
  catch (error) {
    const message = (error as Error).message
    const pos = /position (\d+)/.exec(message)
    let where = ''
    if (pos) {
      const offset = Number(pos[1])
      const before = text.slice(0, offset)
      const line = before.split('\n').length
      const column = offset - before.lastIndexOf('\n')
      where = ` at line ${line}, column ${column}`
    }
    throw new BenchgateError(`${source}: malformed JSON${where} (${message.replace(/^Unexpected/, 'unexpected')})`)
  }
}

/** A key that appears twice in one object of a JSON text. */
export interface DuplicateKey {
  key: string
  /** JSON pointer of the object that holds it (`/entries`). */
  path: string
  /** 1-based lines of the second and the first occurrence. */
  line: number
  firstLine: number
}

function pointer(path: ReadonlyArray<string | number>): string {
  return path.length ? `/${path.map(p => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}` : '/'
}

/**
 * The first key that appears twice in one object of `text` (JSON.parse keeps the last one without a
 * word: a baseline after a bad merge would be used with one of two entries silently dropped).
 */
export function duplicateKey(text: string): DuplicateKey | undefined {
  const stack: Array<Map<string, number>> = []
  let found: DuplicateKey | undefined
  jsonc.visit(text, {
    onObjectBegin: () => {
      stack.push(new Map())
      return found === undefined
    },
    onObjectEnd: () => { stack.pop() },
    onObjectProperty: (property, _offset, _length, startLine, _startCharacter, pathSupplier) => {
      const keys = stack.at(-1)
      if (!keys || found) return
      const first = keys.get(property)
      if (first !== undefined) found = { key: property, path: pointer(pathSupplier()), line: startLine + 1, firstLine: first + 1 }
      else keys.set(property, startLine)
    },
  })
  return found
}

/** Options of {@link readJsonFile}. */
export interface ReadJsonOptions {
  /** The `schemaVersion` this benchgate reads: a higher one is named as written by a newer benchgate. */
  schemaVersion?: number
}

/**
 * Reads and parses a JSON file, then validates it; every failure is one line naming the file. A key
 * that appears twice in one object is refused (naming the key and its lines), and so, with
 * `schemaVersion`, is a file from a newer benchgate (saying so).
 */
export function readJsonFile<T>(path: string, validator: SchemaValidator<T>, options: ReadJsonOptions = {}): T {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  }
  catch (error) {
    throw new BenchgateError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  const data = parseJson(text, path)
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion
  if (options.schemaVersion !== undefined && typeof version === 'number' && version > options.schemaVersion)
    throw new BenchgateError(`${path}: schemaVersion ${version} was written by a newer benchgate (this one reads schemaVersion ${options.schemaVersion}): upgrade benchgate`)
  const duplicate = duplicateKey(text)
  if (duplicate)
    throw new BenchgateError(`${path}: duplicate key ${JSON.stringify(duplicate.key)} in ${duplicate.path} at line ${duplicate.line} (first at line ${duplicate.firstLine}): a bad merge? keep one of the two`)
  return validator.assert(data, path)
}
