/* eslint-disable */
/**
 * GENERATED from src/config/workload.schema.json by scripts/generate-types.mjs. Do not edit by hand:
 * change the schema and run `npm run generate:types`.
 */

/**
 * Configuration of the GIF quality-validation workload: caches, frame sampling, the perceptual metric and SSIM settings. Every key is read by src/gif. Resolved as defaults <- profile <- benchgate.config.json <- BENCHGATE_CONFIG_<SECTION>__<KEY> <- explicit overrides.
 */
export interface WorkloadConfig {
  FRAME_CACHE: FrameCacheConfig
  VALIDATION_CACHE: ValidationCacheConfig
  FRAME_SAMPLING: FrameSamplingConfig
  PERCEPTUAL: PerceptualConfig
  METRICS: MetricsConfig
}
/**
 * Decoded-frame cache, keyed by the GIF's content hash and the decode options.
 */
export interface FrameCacheConfig {
  /**
   * false makes the cache a pass-through that only counts misses.
   */
  enabled: boolean
  /**
   * In-memory LRU bound in MiB (sum of frame bytes).
   */
  memory_limit_mb: number
  /**
   * Keep a gzip file per entry on disk so the cache outlives the process.
   */
  disk_enabled: boolean
  /**
   * Directory of the disk tier; null means .benchgate/cache/frame in the current directory.
   */
  disk_path: string | null
  /**
   * Disk tier bound in MiB (compressed bytes); least recently used files are removed first.
   */
  disk_limit_mb: number
  /**
   * Entries older than this are dropped, in memory and on disk.
   */
  ttl_seconds: number
}
/**
 * Metric-result cache, keyed by both frames' hashes, the metric name and its configuration.
 */
export interface ValidationCacheConfig {
  /**
   * false makes the cache a pass-through that only counts misses.
   */
  enabled: boolean
  /**
   * In-memory LRU bound in MiB (JSON size of the results).
   */
  memory_limit_mb: number
  /**
   * Keep a gzip file per entry on disk so the cache outlives the process.
   */
  disk_enabled: boolean
  /**
   * Directory of the disk tier; null means .benchgate/cache/validation in the current directory.
   */
  disk_path: string | null
  /**
   * Disk tier bound in MiB (compressed bytes); least recently used files are removed first.
   */
  disk_limit_mb: number
  /**
   * Entries older than this are dropped, in memory and on disk.
   */
  ttl_seconds: number
}
/**
 * Which frames the metrics look at.
 */
export interface FrameSamplingConfig {
  /**
   * false evaluates every frame (strategy full).
   */
  enabled: boolean
  /**
   * Sampling strategy.
   */
  strategy: 'full' | 'uniform' | 'adaptive' | 'scene-aware'
  /**
   * uniform: fraction of frames kept (n = max(2, floor(N * rate))); adaptive: the minimum rate.
   */
  rate: number
  /**
   * GIFs with fewer frames are not sampled.
   */
  min_frames_for_sampling: number
  /**
   * adaptive: mean absolute difference (0-1, on a 32x32 gray thumbnail) since the last picked frame that picks a frame.
   */
  change_threshold: number
  /**
   * adaptive: the maximum fraction of frames kept.
   */
  max_rate: number
  /**
   * scene-aware: histogram difference (0-1, half the L1 distance of normalised luma histograms) that marks a cut.
   */
  scene_threshold: number
  /**
   * scene-aware: frames kept on each side of a cut.
   */
  scene_window: number
  /**
   * scene-aware: frames kept per scene at least (evenly spaced, first and last included).
   */
  min_frames_per_scene: number
}
/**
 * The perceptual (LPIPS-pipeline) metric.
 */
export interface PerceptualConfig {
  /**
   * false skips the perceptual metric.
   */
  enabled: boolean
  /**
   * ONNX model file (inputs x, y [1,3,H,W] in [-1,1], scalar output); null = the built-in benchgate-msfilter-v1.
   */
  model_path: string | null
  /**
   * onnxruntime intra-op threads.
   */
  threads: number
}
/**
 * SSIM / MS-SSIM settings.
 */
export interface MetricsConfig {
  /**
   * SSIM window: uniform 7x7 (scikit-image's default, what GifLab used) or Gaussian 11x11, sigma 1.5 (Wang et al.).
   */
  window: 'uniform7' | 'gaussian'
  /**
   * At most this many frame pairs per GIF are compared (evenly spaced).
   */
  max_frames: number
}
