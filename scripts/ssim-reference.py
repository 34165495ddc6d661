#!/usr/bin/env python3
"""The SSIM reference figures that test/gif/ssim.test.ts compares src/gif/ssim.ts against, computed
by scikit-image (an independent implementation) from the image pairs in test/gif/fixtures/ssim/.

For each case of ssim_reference.json (caseNNN_a.png, caseNNN_b.png: 8-bit, grayscale where
`channels` is 1, RGB where it is 3):

- ssim_uniform7: scikit-image's defaults: 7x7 uniform window, K1 = 0.01, K2 = 0.03,
  data_range = 255, sample covariance (N-1), mean over the valid region;
- ssim_gaussian: Wang et al. 2004: Gaussian window sigma 1.5 (11x11), population covariance.

RGB figures are the mean of the three per-channel SSIMs (channel_axis=2).

Usage (Debian's python3-skimage, scikit-image 0.19.3):

    /usr/bin/python3 scripts/ssim-reference.py            # recompute and rewrite both figures of every case
    /usr/bin/python3 scripts/ssim-reference.py --check    # recompute and compare (to 1e-12), write nothing
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image
from skimage import __version__ as skimage_version
from skimage.metrics import structural_similarity

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = os.path.join(HERE, '..', 'test', 'gif', 'fixtures', 'ssim')
REFERENCE = os.path.join(DIR, 'ssim_reference.json')


def load(name, channels):
    image = Image.open(os.path.join(DIR, name))
    array = np.asarray(image.convert('L' if channels == 1 else 'RGB'), dtype=np.float64)
    return array


def figures(case):
    a = load(case['a'], case['channels'])
    b = load(case['b'], case['channels'])
    rgb = {'channel_axis': 2} if case['channels'] == 3 else {}
    uniform = structural_similarity(a, b, win_size=7, data_range=255, **rgb)
    gaussian = structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255, **rgb)
    return float(uniform), float(gaussian)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--check', action='store_true', help='recompute and compare, write nothing')
    args = parser.parse_args()
    with open(REFERENCE) as f:
        reference = json.load(f)
    worst = 0.0
    for case in reference['cases']:
        uniform, gaussian = figures(case)
        worst = max(worst, abs(uniform - case['ssim_uniform7']), abs(gaussian - case['ssim_gaussian']))
        case['ssim_uniform7'], case['ssim_gaussian'] = uniform, gaussian
    if args.check:
        print(f'{len(reference["cases"])} cases, largest difference from the file {worst:.3g} (scikit-image {skimage_version})')
        sys.exit(0 if worst <= 1e-12 else 1)
    reference['generator'] = f'scikit-image {skimage_version} structural_similarity'
    with open(REFERENCE, 'w') as f:
        json.dump(reference, f, indent=1)
        f.write('\n')
    print(f'wrote {REFERENCE} ({len(reference["cases"])} cases)')


if __name__ == '__main__':
    main()
