/** The one-line configuration of pooling layers: always kernelSize and stride, other options when not at their default. */

type Value = number | boolean | null | readonly number[];

function show(v: Value): string {
  if (Array.isArray(v)) return v.every((x) => x === v[0]) ? String(v[0]) : `[${v.join(", ")}]`;
  return String(v);
}

/** entries: [name, value, default]; a default of undefined means "always shown". */
export function poolRepr(entries: readonly (readonly [string, Value, Value | undefined])[]): string {
  return entries
    .filter(([, v, d]) => d === undefined || show(v) !== show(d))
    .map(([name, v]) => `${name}=${show(v)}`)
    .join(", ");
}
