/**
 * A small map that keeps the values it made for the last `limit` keys: for what an issuer computes again
 * and again from the same input (one office's seal drawing, one license's QR symbol). A value that
 * could not be made is not kept. A value several callers share must not be changed by them.
 */
export function recentValues<K, V>(limit: number): (key: K, make: () => V) => V {
  const kept = new Map<K, V>();
  return (key, make) => {
    if (kept.has(key)) return kept.get(key)!;
    const value = make();
    if (kept.size >= limit) kept.delete(kept.keys().next().value!);
    kept.set(key, value);
    return value;
  };
}
