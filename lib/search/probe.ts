/**
 * Linear probes: how well a linear read-out of a set of units predicts a
 * per-character signal, fitted on one set of characters (rows) and scored on
 * another. Dependency-free float64 math; lib/search/probe-units.ts chooses the
 * unit sets and the rows.
 *
 * Features. Each unit's stored bytes q (an affine image of its values,
 * lib/store/quantize.ts), standardized on the training rows: z = (q − μ)/σ,
 * and z = 0 for a unit constant there. After standardizing, the fit is the
 * same for any affine map of a unit's values, so the bytes serve as well as
 * the dequantized values, and one λ means the same for every unit.
 *
 * Ridge (depths, positions: any signal that is not on/off):
 *   minimize (1/n) Σ_i (y_i − b − z_i·w)² + λ|w|²,  λ = RIDGE_LAMBDA
 *   b = ȳ (training mean); (ZᵀZ/n + λI) w = Zᵀ(y − ȳ)/n, solved by Cholesky.
 *   Score: R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ_test)² over the test rows; it is
 *   negative when the read-out does worse than the test part's own mean.
 *
 * Logistic (on/off signals):
 *   minimize (1/n) Σ_i [log(1 + e^{t_i}) − y_i t_i] + (λ/2)|w|²,
 *   t_i = b + z_i·w, λ = LOGISTIC_LAMBDA, b not penalized;
 *   by Newton's method (IRLS): each step solves (H + λI) Δ = g by Cholesky,
 *   halving the step while the objective does not fall. The gradient g and
 *   the objective use every training row; the Hessian H, which costs n·d²
 *   per step against n·d, may use an evenly spaced subset of them
 *   (`hessianRows`): the fixed point (g = 0) is the same, only the path to it
 *   changes.
 *   Score: ROC AUC of t over the test rows (ties count half).
 *
 * The λs are small (0.001 of the unit variance each feature has after
 * standardizing): enough to keep the normal equations positive definite when
 * units are collinear (a c unit and its h are often nearly so), too small to
 * shrink a read-out that is really there.
 */

export const RIDGE_LAMBDA = 1e-3;
export const LOGISTIC_LAMBDA = 1e-3;

/** A linear read-out of standardized features: t = b + Σ_j w_j (x_j − mu_j) / sd_j (sd 0: feature unused). */
export interface ReadOut {
  b: number;
  w: Float64Array;
  mu: Float64Array;
  sd: Float64Array;
}

/** Mean and standard deviation of each column over `rows` (float64). */
export function standardizer(columns: readonly ArrayLike<number>[], rows: ArrayLike<number>): { mu: Float64Array; sd: Float64Array } {
  const d = columns.length, n = rows.length;
  const mu = new Float64Array(d), sd = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const c = columns[j];
    let s = 0;
    for (let i = 0; i < n; i++) s += c[rows[i]];
    const m = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (c[rows[i]] - m) ** 2;
    mu[j] = m;
    // A column that does not move (to rounding) carries nothing: leave it out rather than divide by ~0.
    sd[j] = v / n > 1e-12 * Math.max(1, m * m) ? Math.sqrt(v / n) : 0;
  }
  return { mu, sd };
}

/** The standardized rows, row-major n × d. */
export function designMatrix(columns: readonly ArrayLike<number>[], rows: ArrayLike<number>, mu: Float64Array, sd: Float64Array): Float64Array {
  const d = columns.length, n = rows.length;
  const z = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    if (sd[j] === 0) continue;
    const c = columns[j], m = mu[j], s = sd[j];
    for (let i = 0; i < n; i++) z[i * d + j] = (c[rows[i]] - m) / s;
  }
  return z;
}

/** In place: the lower Cholesky factor L of the symmetric positive definite d × d matrix A (only its lower triangle is read). */
export function cholesky(a: Float64Array, d: number): Float64Array {
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= a[j * d + k] ** 2;
    if (!(s > 0)) throw new Error(`the normal equations are not positive definite (pivot ${j}: ${s})`);
    const ljj = Math.sqrt(s);
    a[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= a[i * d + k] * a[j * d + k];
      a[i * d + j] = t / ljj;
    }
  }
  return a;
}

/** Solves L Lᵀ x = b for x (L from cholesky). */
export function choleskySolve(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < d; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * x[k];
    x[i] = s / l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
    x[i] = s / l[i * d + i];
  }
  return x;
}

/** Lower triangle of Σ_i c_i z_i z_iᵀ / n (c_i = 1 when no weights), z the rows of the n × d matrix. */
function gram(z: Float64Array, n: number, d: number, weights?: Float64Array): Float64Array {
  const g = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const c = weights ? weights[i] : 1;
    if (c === 0) continue;
    const r = i * d;
    for (let j = 0; j < d; j++) {
      const zj = z[r + j] * c;
      if (zj === 0) continue;
      const gj = j * d;
      for (let k = 0; k <= j; k++) g[gj + k] += zj * z[r + k];
    }
  }
  for (let k = 0; k < d * d; k++) g[k] /= n;
  return g;
}

/** Ridge regression of y on the standardized rows z (n × d): b and w as the header states. */
export function fitRidge(z: Float64Array, n: number, d: number, y: ArrayLike<number>, lambda = RIDGE_LAMBDA): { b: number; w: Float64Array } {
  let b = 0;
  for (let i = 0; i < n; i++) b += y[i];
  b /= n;
  const a = gram(z, n, d);
  for (let j = 0; j < d; j++) a[j * d + j] += lambda;
  const rhs = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const e = y[i] - b;
    for (let j = 0, r = i * d; j < d; j++) rhs[j] += z[r + j] * e;
  }
  for (let j = 0; j < d; j++) rhs[j] /= n;
  return { b, w: choleskySolve(cholesky(a, d), d, rhs) };
}

/** log(1 + e^t) without overflow. */
function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

/**
 * L2-regularized logistic regression of y (0/1) on the standardized rows z,
 * by Newton's method with step halving (header). Stops when the largest
 * gradient component is under `tol` or after `maxIter` steps.
 */
export function fitLogistic(
  z: Float64Array,
  n: number,
  d: number,
  y: ArrayLike<number>,
  lambda = LOGISTIC_LAMBDA,
  opts: { maxIter?: number; tol?: number; hessianRows?: number } = {},
): { b: number; w: Float64Array; iterations: number } {
  const maxIter = opts.maxIter ?? 50, tol = opts.tol ?? 1e-9;
  // Every stride-th row for the Hessian (all of them by default).
  const stride = Math.max(1, Math.ceil(n / (opts.hessianRows ?? n)));
  const nh = Math.ceil(n / stride);
  // θ = [b, w]: the intercept first, as column 0 of an augmented matrix of ones.
  const D = d + 1;
  let on = 0;
  for (let i = 0; i < n; i++) on += y[i] ? 1 : 0;
  const theta = new Float64Array(D);
  theta[0] = Math.log((on + 0.5) / (n - on + 0.5)); // the base rate: the optimum when no unit helps
  const t = new Float64Array(n);
  const margins = (th: Float64Array) => {
    for (let i = 0, r = 0; i < n; i++, r += d) {
      let s = th[0];
      for (let j = 0; j < d; j++) s += z[r + j] * th[j + 1];
      t[i] = s;
    }
  };
  const objective = (th: Float64Array) => {
    margins(th);
    let f = 0;
    for (let i = 0; i < n; i++) f += softplus(t[i]) - (y[i] ? t[i] : 0);
    let pen = 0;
    for (let j = 1; j < D; j++) pen += th[j] * th[j];
    return f / n + (lambda / 2) * pen;
  };
  let f = objective(theta);
  const za = new Float64Array(nh * D); // [1, z_i] per Hessian row, so its intercept row comes from the same gram()
  for (let i = 0; i < nh; i++) {
    za[i * D] = 1;
    za.set(z.subarray(i * stride * d, i * stride * d + d), i * D + 1);
  }
  const wts = new Float64Array(nh);
  let it = 0;
  for (; it < maxIter; it++) {
    // t holds the margins of theta here (objective() set them last for the accepted theta).
    const g = new Float64Array(D);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-t[i]));
      if (i % stride === 0) wts[i / stride] = p * (1 - p);
      const e = p - (y[i] ? 1 : 0);
      g[0] += e;
      for (let j = 0, r = i * d; j < d; j++) g[j + 1] += z[r + j] * e;
    }
    let gmax = 0;
    for (let j = 0; j < D; j++) {
      g[j] = g[j] / n + (j > 0 ? lambda * theta[j] : 0);
      gmax = Math.max(gmax, Math.abs(g[j]));
    }
    if (gmax < tol) break;
    const h = gram(za, nh, D, wts);
    for (let j = 0; j < D; j++) h[j * D + j] += j > 0 ? lambda : 1e-12; // the intercept's entry: kept positive if every p saturates
    const step = choleskySolve(cholesky(h, D), D, g);
    let s = 1, next = new Float64Array(D), fNext = Infinity;
    for (let halvings = 0; halvings < 30; halvings++, s /= 2) {
      for (let j = 0; j < D; j++) next[j] = theta[j] - s * step[j];
      fNext = objective(next);
      if (fNext <= f) break;
    }
    if (!(fNext <= f)) {
      margins(theta); // no step lowers the objective: at the optimum to rounding
      break;
    }
    // No stop on a small fall of the objective: with a subsampled Hessian the steps shrink linearly,
    // and the objective flattens (quadratically) well before the parameters settle.
    theta.set(next);
    f = fNext;
  }
  return { b: theta[0], w: theta.subarray(1), iterations: it };
}

/** t_i = b + Σ_j w_j (x_ij − mu_j)/sd_j for each of `rows`, read straight from the columns (no design matrix). */
export function predict(r: ReadOut, columns: readonly ArrayLike<number>[], rows: ArrayLike<number>): Float64Array {
  const t = new Float64Array(rows.length);
  let b = r.b;
  for (let j = 0; j < columns.length; j++) {
    if (r.sd[j] === 0 || r.w[j] === 0) continue;
    const a = r.w[j] / r.sd[j];
    b -= a * r.mu[j];
    const c = columns[j];
    for (let i = 0; i < rows.length; i++) t[i] += a * c[rows[i]];
  }
  for (let i = 0; i < t.length; i++) t[i] += b;
  return t;
}

/** Out-of-sample R²: 1 − SS_res / SS_tot about the scored rows' own mean (NaN when y is constant there). */
export function rSquared(y: ArrayLike<number>, yHat: ArrayLike<number>): number {
  const n = y.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += y[i];
  m /= n;
  let res = 0, tot = 0;
  for (let i = 0; i < n; i++) (res += (y[i] - yHat[i]) ** 2), (tot += (y[i] - m) ** 2);
  return tot > 0 ? 1 - res / tot : NaN;
}

/** ROC AUC of `scores` as a detector of the rows where `on` is non-zero, ties counting half (NaN when one class is empty). */
export function rocAuc(scores: ArrayLike<number>, on: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  for (let i = 0; i < n; i++) if (on[i]) pos++;
  const neg = n - pos;
  if (!pos || !neg) return NaN;
  // Mann–Whitney: the sum of the positives' mid-ranks.
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (on[order[k]]) rankSum += mid;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Fits a read-out of `columns` on the `train` rows of y and scores it on the
 * `test` rows: R² of a ridge fit, or for an on/off y the AUC of a logistic one.
 */
export function probe(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  train: ArrayLike<number>,
  test: ArrayLike<number>,
  binary: boolean,
  opts: { hessianRows?: number; maxIter?: number; tol?: number } = {},
): { score: number; readOut: ReadOut } {
  const { mu, sd } = standardizer(columns, train);
  const d = columns.length, n = train.length;
  const z = designMatrix(columns, train, mu, sd);
  const yTrain = Float64Array.from({ length: n }, (_, i) => y[train[i]]);
  // A probe is scored by AUC, a ranking, which moves nothing at a gradient of 1e-6 (the reference test
  // converges to 1e-9): stopping there halves the Newton steps of a 256-unit fit.
  const fit = binary ? fitLogistic(z, n, d, yTrain, LOGISTIC_LAMBDA, { maxIter: 30, tol: 1e-6, ...opts }) : fitRidge(z, n, d, yTrain);
  const readOut = { b: fit.b, w: fit.w, mu, sd };
  const t = predict(readOut, columns, test);
  const yTest = Float64Array.from({ length: test.length }, (_, i) => y[test[i]]);
  return { score: binary ? rocAuc(t, yTest) : rSquared(yTest, t), readOut };
}
