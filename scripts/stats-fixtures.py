#!/usr/bin/env python3
"""Reference values for src/stats, computed by an independent tool (scipy 1.10 / numpy).

Run from the repository root:

    /usr/bin/python3 scripts/stats-fixtures.py

It writes test/stats/fixtures/scipy-reference.json, which the tests in test/stats/ read. Inputs are
generated from fixed numpy seeds and stored in the JSON next to the results, so the TypeScript side
never has to reproduce numpy's generator. Holm's adjusted p-values are computed here by the
textbook step-down algorithm (statsmodels is not installed); the t quantiles also get a 40-digit
mpmath value (`ppfMpmath`), because scipy's t.ppf is only accurate to ~1e-10; everything else calls
scipy/numpy.
"""

import json
import os
import sys

import numpy as np
import scipy
from scipy import special, stats

try:  # arbitrary precision, for the t quantiles where scipy's own result is only good to ~1e-10
    import mpmath
except ImportError:  # pragma: no cover
    mpmath = None

try:  # private helper: lets the fixture record which method scipy's 'auto' picked
    from scipy.stats._mannwhitneyu import _mwu_choose_method
except ImportError:  # pragma: no cover
    _mwu_choose_method = None

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'stats', 'fixtures',
                   'scipy-reference.json')


def f(x):
    """A plain Python float (json.dumps writes the shortest repr, which round-trips exactly)."""
    return float(x)


def floats(xs):
    return [f(x) for x in xs]


def summary_cases():
    rng = np.random.RandomState(11)
    samples = [
        [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0],
        [2.5, 2.5, 2.5],
        [10.0, -3.0, 7.5, 0.25, 12.0],
        floats(np.round(rng.lognormal(mean=4.0, sigma=0.1, size=41), 6)),
        floats(np.round(rng.normal(loc=100.0, scale=4.0, size=200), 6)),
    ]
    ps = [0.0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1.0]
    out = []
    for xs in samples:
        a = np.asarray(xs)
        med = np.median(a)
        sd = np.std(a, ddof=1)
        out.append({
            'xs': xs,
            'mean': f(np.mean(a)),
            'median': f(med),
            'var': f(np.var(a, ddof=1)),
            'sd': f(sd),
            'mad': f(np.median(np.abs(a - med))),
            'cv': f(sd / abs(np.mean(a))) if sd != 0 else 0.0,
            'min': f(np.min(a)),
            'max': f(np.max(a)),
            'quantiles': [[p, f(np.quantile(a, p))] for p in ps],  # numpy default: 'linear' (type 7)
        })
    return out


def mwu_cases():
    rng = np.random.RandomState(7)
    big_x = floats(np.round(rng.normal(10.0, 1.0, 60), 4))
    big_y = floats(np.round(rng.normal(10.4, 1.0, 45), 4))
    tied_x = floats(np.round(rng.normal(5.0, 1.0, 30), 1))  # rounding creates many ties
    tied_y = floats(np.round(rng.normal(5.5, 1.0, 25), 1))
    lone_x = floats(np.round(rng.normal(1.0, 0.2, 5), 6))  # n1 = 5, n2 = 20, no ties: auto -> exact
    lone_y = floats(np.round(rng.normal(1.3, 0.2, 20), 6))
    cases = [
        ('small exact, two-sided', [1.1, 2.3, 3.0, 4.2, 5.9], [2.0, 6.1, 7.3, 8.4, 9.0, 10.2], {}),
        ('small exact, less', [1.1, 2.3, 3.0, 4.2, 5.9], [2.0, 6.1, 7.3, 8.4, 9.0, 10.2],
         {'alternative': 'less'}),
        ('small exact, greater', [1.1, 2.3, 3.0, 4.2, 5.9], [2.0, 6.1, 7.3, 8.4, 9.0, 10.2],
         {'alternative': 'greater'}),
        ('complete separation, exact', [1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], {}),
        ('U at the centre, exact (p clipped to 1)', [1.0, 4.0], [2.0, 3.0], {}),
        ('one small sample, auto -> exact', lone_x, lone_y, {}),
        ('one small sample, asymptotic forced', lone_x, lone_y, {'method': 'asymptotic'}),
        ('small with ties, auto -> asymptotic', [1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 3.0, 4.0, 4.0, 6.0, 7.0],
         {}),
        ('small with ties, no continuity', [1.0, 2.0, 2.0, 3.0, 5.0], [2.0, 3.0, 4.0, 4.0, 6.0, 7.0],
         {'use_continuity': False}),
        ('small with ties, exact forced (U truncated)', [1.0, 2.0, 2.0, 3.0, 5.0],
         [2.0, 3.0, 4.0, 4.0, 6.0, 7.0], {'method': 'exact', 'alternative': 'less'}),
        ('large, two-sided', big_x, big_y, {}),
        ('large, less', big_x, big_y, {'alternative': 'less'}),
        ('large, greater', big_x, big_y, {'alternative': 'greater'}),
        ('large, exact forced', big_x[:20], big_y[:15], {'method': 'exact'}),
        ('many ties, two-sided', tied_x, tied_y, {}),
        ('many ties, greater, no continuity', tied_x, tied_y,
         {'alternative': 'greater', 'use_continuity': False}),
    ]
    out = []
    for name, x, y, kw in cases:
        res = stats.mannwhitneyu(x, y, **kw)
        case = {
            'name': name, 'x': x, 'y': y,
            'alternative': kw.get('alternative', 'two-sided'),
            'method': kw.get('method', 'auto'),
            'continuity': kw.get('use_continuity', True),
            'u': f(res.statistic), 'p': f(res.pvalue),
        }
        if _mwu_choose_method is not None and case['method'] == 'auto':
            xy = np.concatenate([x, y])
            case['resolvedMethod'] = _mwu_choose_method(len(x), len(y), xy, 'auto')
        out.append(case)
    return out


def welch_df(x, y):
    v1, v2 = np.var(x, ddof=1), np.var(y, ddof=1)
    n1, n2 = len(x), len(y)
    vn1, vn2 = v1 / n1, v2 / n2
    return (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1))


def ttest_cases():
    rng = np.random.RandomState(3)
    a = floats(np.round(rng.normal(100.0, 3.0, 12), 4))
    b = floats(np.round(rng.normal(103.0, 6.0, 9), 4))
    c = floats(np.round(rng.normal(50.0, 1.0, 40), 4))
    d = floats(np.round(rng.normal(50.2, 2.5, 33), 4))
    welch = []
    for x, y, alt in [(a, b, 'two-sided'), (a, b, 'less'), (a, b, 'greater'), (c, d, 'two-sided'),
                      ([1.0, 2.0, 3.0], [1.5, 9.0, 2.5, 7.0], 'two-sided'), (c, d, 'greater')]:
        res = stats.ttest_ind(x, y, equal_var=False, alternative=alt)
        welch.append({'x': x, 'y': y, 'alternative': alt, 't': f(res.statistic), 'p': f(res.pvalue),
                      'df': f(welch_df(np.asarray(x), np.asarray(y)))})
    one = []
    for xs, mu, alt in [(a, 100.0, 'two-sided'), (a, 98.0, 'less'), (a, 98.0, 'greater'),
                        (c, 50.0, 'two-sided'), ([0.9, 1.1, 1.05, 0.97], 1.0, 'two-sided'),
                        (d, 51.0, 'less')]:
        res = stats.ttest_1samp(xs, mu, alternative=alt)
        one.append({'xs': xs, 'mu': mu, 'alternative': alt, 't': f(res.statistic), 'p': f(res.pvalue),
                    'df': len(xs) - 1})
    return welch, one


def t_cases():
    cdf = []
    for t, df in [(-3.0, 1.0), (0.5, 1.0), (2.0, 2.0), (-1.25, 2.5), (1.7, 3.7), (0.0, 4.0),
                  (-2.2, 7.3), (2.5, 10.0), (-0.3, 15.2), (4.0, 29.5), (-6.0, 5.0), (1.96, 100.0),
                  (-2.576, 1234.5), (12.0, 3.0), (-40.0, 1.5), (1e-8, 9.0), (3.0, 0.5),
                  (-2.0, 1e6)]:
        cdf.append({'t': t, 'df': df, 'cdf': f(stats.t.cdf(t, df))})
    ppf = []
    for p, df in [(0.975, 1.0), (0.025, 2.0), (0.95, 2.5), (0.9, 3.7), (0.5, 4.0), (0.999, 7.3),
                  (0.01, 10.0), (0.7, 15.2), (0.995, 29.5), (1e-6, 5.0), (0.975, 100.0),
                  (0.05, 1234.5), (1e-10, 3.0), (0.6, 1.5), (0.3, 0.8)]:
        case = {'p': p, 'df': df, 'ppf': f(stats.t.ppf(p, df))}
        if mpmath is not None:
            case['ppfMpmath'] = f(t_ppf_mpmath(p, df))
        ppf.append(case)
    return cdf, ppf


def t_ppf_mpmath(p, df):
    """Student t quantile to 40 digits: scipy's t.ppf (cephes stdtrit) has a relative error near 1e-10."""
    mpmath.mp.dps = 40
    p, df = mpmath.mpf(p), mpmath.mpf(df)

    def cdf(t):
        tail = mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
        return 1 - tail if t > 0 else tail

    start = stats.t.ppf(float(p), float(df))
    return mpmath.findroot(lambda t: cdf(t) - p, mpmath.mpf(start))


def norm_cases():
    cdf = [{'x': x, 'cdf': f(stats.norm.cdf(x))}
           for x in [-38.0, -12.5, -6.0, -3.3, -1.0, -0.2, 0.0, 0.5, 0.6744, 1.96, 4.0, 7.5]]
    ppf = [{'p': p, 'ppf': f(stats.norm.ppf(p))}
           for p in [1e-300, 1e-12, 1e-5, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999, 1 - 1e-9]]
    return cdf, ppf


def special_cases():
    beta = [{'x': x, 'a': a, 'b': b, 'value': f(special.betainc(a, b, x))}
            for x, a, b in [(0.3, 2.0, 3.0), (0.9, 0.5, 0.5), (0.01, 5.0, 0.5), (0.99, 50.0, 0.5),
                            (0.5, 10.0, 10.0), (0.2, 1.0, 1.0), (0.75, 0.2, 7.0), (1e-5, 1.5, 30.0),
                            (0.49, 1000.0, 1000.0), (0.3, 20.0, 40.0), (0.9999, 5e5, 0.5)]]
    gamma = [{'x': x, 'value': f(special.gammaln(x))}
             for x in [1e-8, 0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 10.0, 25.5, 171.3, 1e5, -0.5, -2.5]]
    return beta, gamma


def holm(pvalues):
    """Textbook Holm step-down: sort ascending, scale the k-th (0-based) by m - k, running max, cap 1."""
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    order = np.argsort(p, kind='mergesort')
    adjusted = np.empty(m)
    running = 0.0
    for k, i in enumerate(order):
        running = max(running, (m - k) * p[i])
        adjusted[i] = min(1.0, running)
    return floats(adjusted)


def holm_cases():
    vectors = [
        [0.01, 0.04, 0.03, 0.005],
        [0.2, 0.001, 0.04, 0.04, 0.5, 0.013],
        [0.9, 0.3, 0.6, 0.02, 0.7],
    ]
    return [{'p': v, 'adjusted': holm(v)} for v in vectors]


def main():
    welch, one = ttest_cases()
    t_cdf, t_ppf = t_cases()
    n_cdf, n_ppf = norm_cases()
    beta, gamma = special_cases()
    data = {
        'generatedBy': 'scripts/stats-fixtures.py',
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__},
        'summary': summary_cases(),
        'mannwhitneyu': mwu_cases(),
        'ttestIndWelch': welch,
        'ttest1samp': one,
        'tCdf': t_cdf,
        'tPpf': t_ppf,
        'normCdf': n_cdf,
        'normPpf': n_ppf,
        'betainc': beta,
        'gammaln': gamma,
        'holm': holm_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as fh:
        json.dump(data, fh, indent=1)
        fh.write('\n')
    print(f'wrote {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
