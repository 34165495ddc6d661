#!/usr/bin/env python3
"""Times scikit-image's structural_similarity on a 512x512 grayscale pair.

The speed reference for benchgate's own SSIM: bench/gif-speed.bench.ts measures the TypeScript side
on a pair built from the same formula (its noise comes from its own generator, so the pixels differ,
not the amount of work: both implementations do the same operations whatever the values). Two settings, both data_range=255:

- uniform:  the scikit-image defaults (7x7 uniform window, sample covariance);
- gaussian: gaussian_weights=True, sigma=1.5, use_sample_covariance=False (Wang et al. 2004).

Each setting is timed with timeit: `--repeats` repeats of `--number` calls, and the report gives the
median and the minimum per call in milliseconds. Run with the Debian Python that has scikit-image:

    /usr/bin/python3 scripts/skimage-ssim-timing.py [--repeats 15] [--number 5] [--json]
"""
import argparse
import json
import statistics
import timeit

import numpy as np
import skimage
from skimage.metrics import structural_similarity

SIZE = 512


def make_pair(size: int = SIZE):
    """A smooth pattern plus uniform noise in [-16, 16), twice with different noise: the bench's recipe."""
    rng = np.random.default_rng(12345)
    yy, xx = np.mgrid[0:size, 0:size]
    base = 128 + 100 * np.sin(xx / 20.0) * np.cos(yy / 31.0)
    a = np.clip(np.round(base + rng.integers(-16, 16, base.shape)), 0, 255).astype(np.uint8)
    b = np.clip(np.round(base + rng.integers(-16, 16, base.shape)), 0, 255).astype(np.uint8)
    return a, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeats', type=int, default=15, help='timeit repeats (default 15)')
    parser.add_argument('--number', type=int, default=5, help='calls per repeat (default 5)')
    parser.add_argument('--json', action='store_true', help='print one JSON object instead of text')
    args = parser.parse_args()

    a, b = make_pair()
    settings = {
        'uniform': dict(data_range=255),
        'gaussian': dict(data_range=255, gaussian_weights=True, sigma=1.5, use_sample_covariance=False),
    }
    results = {}
    for name, kwargs in settings.items():
        call = lambda kwargs=kwargs: structural_similarity(a, b, **kwargs)  # noqa: E731
        value = call()
        call()  # warm-up
        runs = timeit.repeat(call, repeat=args.repeats, number=args.number)
        per_call = [t / args.number * 1000 for t in runs]
        results[name] = {
            'ssim': value,
            'median_ms': statistics.median(per_call),
            'min_ms': min(per_call),
            'repeats': args.repeats,
            'number': args.number,
        }

    if args.json:
        print(json.dumps({'skimage': skimage.__version__, 'size': SIZE, 'results': results}, indent=1))
        return
    print(f'scikit-image {skimage.__version__}, {SIZE}x{SIZE} grayscale uint8 pair')
    for name, r in results.items():
        print(f"  {name:9s} median {r['median_ms']:7.2f} ms  min {r['min_ms']:7.2f} ms  "
              f"(ssim {r['ssim']:.6f}; {r['repeats']} repeats x {r['number']})")


if __name__ == '__main__':
    main()
