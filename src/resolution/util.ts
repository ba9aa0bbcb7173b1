// Small collection helpers shared by the merge modules.

export function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
