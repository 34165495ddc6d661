#!/usr/bin/env python3
"""An independent MS-SSIM (Wang, Simoncelli, Bovik 2003) in numpy + scipy.ndimage, and the fixtures
that test/gif/ms-ssim.test.ts compares src/gif/ms-ssim.ts against.

Written from the paper and Wang's reference MATLAB code (msssim.m / ssim_index_new.m), not from the
TypeScript:

- 11x11 Gaussian window, sigma 1.5, normalised; statistics over the 'valid' region only;
- population (co)variances; C1 = (0.01 L)^2, C2 = (0.03 L)^2, L = 255;
- between scales: 2x2 mean filter with symmetric borders, then every second pixel
  (odd sides: the last row / column is paired with itself, output ceil(n / 2));
- MS-SSIM = prod_{j<M} mcs_j^w_j * mssim_M^w_M with w = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333);
- a negative mean cs / ssim is clamped to 0 (tf.image.ssim_multiscale, pytorch-msssim);
- fewer than 5 scales when the coarsest image would be under 11 px: the first M weights,
  renormalised to sum 1.

Usage (Debian Python with numpy, scipy and Pillow):

    /usr/bin/python3 scripts/ms-ssim-reference.py            # rewrite the fixtures
    /usr/bin/python3 scripts/ms-ssim-reference.py --check    # recompute and compare, write nothing

Fixtures: test/gif/fixtures/ms-ssim/pairN_{a,b}.png (8-bit grayscale) and reference.json.
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage

WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])
WIN = 11
SIGMA = 1.5
K1, K2, L = 0.01, 0.03, 255.0
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'gif', 'fixtures', 'ms-ssim')


def gaussian_window(size=WIN, sigma=SIGMA):
    ax = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-(ax ** 2) / (2 * sigma ** 2))
    w = np.outer(g, g)
    return w / w.sum()


def filter_valid(img, window):
    """Weighted local means at every position where the window fits inside the image."""
    full = ndimage.correlate(img, window, mode='constant', cval=0.0)
    r = window.shape[0] // 2
    return full[r:img.shape[0] - r, r:img.shape[1] - r]


def ssim_cs(x, y):
    w = gaussian_window()
    c1, c2 = (K1 * L) ** 2, (K2 * L) ** 2
    mu_x, mu_y = filter_valid(x, w), filter_valid(y, w)
    sxx = filter_valid(x * x, w) - mu_x ** 2
    syy = filter_valid(y * y, w) - mu_y ** 2
    sxy = filter_valid(x * y, w) - mu_x * mu_y
    cs_map = (2 * sxy + c2) / (sxx + syy + c2)
    ssim_map = (2 * mu_x * mu_y + c1) / (mu_x ** 2 + mu_y ** 2 + c1) * cs_map
    return float(ssim_map.mean()), float(cs_map.mean())


def downsample(img):
    h, w = img.shape
    padded = np.pad(img, ((0, h % 2), (0, w % 2)), mode='symmetric')
    return (padded[0::2, 0::2] + padded[1::2, 0::2] + padded[0::2, 1::2] + padded[1::2, 1::2]) / 4.0


def scales_for(shape):
    side = min(shape)
    if side < WIN:
        raise ValueError(f'image {shape} is smaller than the {WIN}x{WIN} window')
    m = 1
    while m < len(WEIGHTS) and -(-side // 2) >= WIN:
        side = -(-side // 2)
        m += 1
    return m


def ms_ssim(a, b):
    x, y = a.astype(np.float64), b.astype(np.float64)
    m = scales_for(x.shape)
    weights = WEIGHTS[:m] / WEIGHTS[:m].sum()
    cs_list, ssim_list = [], []
    for j in range(m):
        s, cs = ssim_cs(x, y)
        ssim_list.append(s)
        cs_list.append(cs)
        if j < m - 1:
            x, y = downsample(x), downsample(y)
    terms = np.array(cs_list[:-1] + [ssim_list[-1]])
    value = float(np.prod(np.maximum(terms, 0.0) ** weights))
    return {'msSsim': value, 'scales': m, 'cs': cs_list, 'ssim': ssim_list}


def make_pairs():
    """Three deterministic grayscale pairs: 5 scales, odd sizes, and the fewer-scales fallback."""
    rng = np.random.default_rng(20031109)
    pairs = []

    # 1: 256x256 smooth pattern vs the same with Gaussian noise (5 scales).
    yy, xx = np.mgrid[0:256, 0:256].astype(np.float64)
    a = 128 + 70 * np.sin(xx / 17.0) * np.cos(yy / 23.0) + 30 * np.sin((xx + yy) / 41.0)
    b = a + rng.normal(0, 12, a.shape)
    pairs.append(('pair1', a, b, '256x256 smooth pattern vs + Gaussian noise sigma 12'))

    # 2: 203 wide x 181 high (odd sides, still 5 scales): rings and a box, vs a blurred copy.
    yy, xx = np.mgrid[0:181, 0:203].astype(np.float64)
    a = 120 + 90 * np.sin(np.hypot(xx - 90, yy - 80) / 6.0)
    a[40:90, 120:180] = 230
    b = ndimage.uniform_filter(a, size=5, mode='nearest') + rng.normal(0, 3, a.shape)
    pairs.append(('pair2', a, b, '203x181 rings + box vs 5x5 box blur + noise sigma 3'))

    # 3: 120 wide x 100 high (4 scales: fallback with renormalised weights): checker over a
    #    gradient vs a posterised (8 levels), slightly shifted copy.
    yy, xx = np.mgrid[0:100, 0:120].astype(np.float64)
    a = 40 + 1.2 * xx + 60 * (((xx // 12) + (yy // 12)) % 2)
    shifted = np.roll(a, 1, axis=1)
    b = np.floor(shifted / 32) * 32 + 16
    pairs.append(('pair3', a, b, '120x100 checker + gradient vs shifted by 1 px and posterised to 8 levels'))

    out = []
    for name, a, b, what in pairs:
        a8 = np.clip(np.round(a), 0, 255).astype(np.uint8)
        b8 = np.clip(np.round(b), 0, 255).astype(np.uint8)
        out.append((name, a8, b8, what))
    return out


def main():
    parser = argparse.ArgumentParser(description='Independent MS-SSIM reference and fixtures.')
    parser.add_argument('--check', action='store_true', help='compare with the stored fixtures, write nothing')
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for name, a, b, what in make_pairs():
        result = ms_ssim(a, b)
        identical = ms_ssim(a, a)['msSsim']
        assert abs(identical - 1) < 1e-12, identical
        case = {'name': name, 'a': f'{name}_a.png', 'b': f'{name}_b.png', 'width': int(a.shape[1]),
                'height': int(a.shape[0]), 'description': what, **result}
        cases.append(case)
        if not args.check:
            Image.fromarray(a, mode='L').save(os.path.join(OUT, case['a']), optimize=True)
            Image.fromarray(b, mode='L').save(os.path.join(OUT, case['b']), optimize=True)
    doc = {'generator': 'scripts/ms-ssim-reference.py (numpy %s, scipy.ndimage)' % np.__version__,
           'weights': WEIGHTS.tolist(), 'cases': cases}
    path = os.path.join(OUT, 'reference.json')
    if args.check:
        stored = json.load(open(path))
        worst = max(abs(s['msSsim'] - c['msSsim']) for s, c in zip(stored['cases'], cases))
        print(f'max abs difference vs stored reference: {worst:.3e}')
        sys.exit(0 if worst < 1e-12 else 1)
    with open(path, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    for c in cases:
        print(f"{c['name']}: {c['width']}x{c['height']} scales {c['scales']} ms-ssim {c['msSsim']:.6f}")


if __name__ == '__main__':
    main()
