// Clustering quality against ground truth: pairwise precision/recall/F1 (over all record pairs placed
// together) and B-cubed (per record, averaged), the two usual entity-resolution measures. Pairwise
// figures weigh big subjects quadratically; B-cubed weighs every record once.

export interface Quality {
  records: number;
  predictedClusters: number;
  trueClusters: number;
  pairwise: { precision: number; recall: number; f1: number; truePairs: number; predictedPairs: number; correctPairs: number };
  bcubed: { precision: number; recall: number; f1: number };
}

/** `predicted[i]` and `truth[i]` label record i; equal labels = same cluster. */
export function measureQuality(predicted: ArrayLike<string | number>, truth: ArrayLike<string | number>): Quality {
  const n = predicted.length;
  const cell = new Map<string, number>();
  const p = new Map<string | number, number>();
  const t = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const a = predicted[i] as string | number;
    const b = truth[i] as string | number;
    p.set(a, (p.get(a) ?? 0) + 1);
    t.set(b, (t.get(b) ?? 0) + 1);
    const k = `${a}\u0000${b}`;
    cell.set(k, (cell.get(k) ?? 0) + 1);
  }
  const pairs = (k: number) => (k * (k - 1)) / 2;
  let correct = 0;
  for (const c of cell.values()) correct += pairs(c);
  let predictedPairs = 0;
  for (const c of p.values()) predictedPairs += pairs(c);
  let truePairs = 0;
  for (const c of t.values()) truePairs += pairs(c);
  let bp = 0;
  let br = 0;
  for (let i = 0; i < n; i++) {
    const a = predicted[i] as string | number;
    const b = truth[i] as string | number;
    const both = cell.get(`${a}\u0000${b}`) ?? 0;
    bp += both / (p.get(a) ?? 1);
    br += both / (t.get(b) ?? 1);
  }
  const f = (x: number, y: number) => (x + y === 0 ? 0 : (2 * x * y) / (x + y));
  const precision = predictedPairs === 0 ? 1 : correct / predictedPairs;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  return {
    records: n,
    predictedClusters: p.size,
    trueClusters: t.size,
    pairwise: { precision, recall, f1: f(precision, recall), truePairs, predictedPairs, correctPairs: correct },
    bcubed: { precision: bp / Math.max(1, n), recall: br / Math.max(1, n), f1: f(bp / Math.max(1, n), br / Math.max(1, n)) },
  };
}
