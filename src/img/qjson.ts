// qemu-img prints JSON through QEMU's QDict, whose iteration order is its hash-bucket order
// (tdb_hash % 512), not insertion order. Emitting keys in that order makes our output
// byte-identical to qemu-img's for the same values, which keeps diffs against it readable.

export type QValue = string | number | boolean | QValue[] | { [key: string]: QValue | undefined };

function tdbHash(name: string): number {
  let v = Math.imul(0x238f13af, name.length) >>> 0;
  for (let i = 0; i < name.length; i++) v = (v + ((name.charCodeAt(i) << ((i * 5) % 24)) >>> 0)) >>> 0;
  return (Math.imul(1103515243, v) + 12345) >>> 0;
}

function bucket(key: string): number {
  return tdbHash(key) % 512;
}

function keysInQDictOrder(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  // Same bucket: QLIST_INSERT_HEAD puts the later-inserted key first.
  const index = new Map(keys.map((k, i) => [k, i]));
  return keys.sort((a, b) => bucket(a) - bucket(b) || index.get(b)! - index.get(a)!);
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** qobject_to_json_pretty: 4-space indent, "key": value. */
export function toQemuJson(value: QValue, indent = 0): string {
  const pad = ' '.repeat(indent + 4);
  const end = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[\n' + end + ']';
    return '[\n' + value.map((v) => pad + toQemuJson(v, indent + 4)).join(',\n') + '\n' + end + ']';
  }
  if (typeof value === 'object') {
    const keys = keysInQDictOrder(value);
    if (keys.length === 0) return '{\n' + end + '}';
    return '{\n' + keys.map((k) => `${pad}${quote(k)}: ${toQemuJson(value[k]!, indent + 4)}`).join(',\n') + '\n' + end + '}';
  }
  if (typeof value === 'string') return quote(value);
  return String(value);
}
