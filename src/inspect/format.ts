/**
 * Text rendering of a summary: an aligned table with human units (1.2M parameters, 3.4 GMACs,
 * 12.5 MB) and the totals below it, exact counts beside the rounded ones.
 */
import type { Summary, SummaryRow } from "./summary.js";

/** 34944 → "34.9K", 138357544 → "138.4M", 999 → "999" (SI steps of 1000). */
export function humanCount(n: number): string {
  const units: [number, string][] = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "K"]];
  for (const [size, unit] of units) {
    if (Math.abs(n) >= size) {
      const v = n / size;
      return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${unit}`;
    }
  }
  return String(n);
}

/** Bytes in binary units labelled as torchsummary and Keras do: 1 MB = 2^20 bytes. */
export function humanBytes(bytes: number): string {
  const units: [number, string][] = [[2 ** 30, "GB"], [2 ** 20, "MB"], [2 ** 10, "KB"]];
  for (const [size, unit] of units) if (bytes >= size) return `${(bytes / size).toFixed(2)} ${unit}`;
  return `${bytes} B`;
}

export const formatShape = (shape: readonly number[] | null): string => (shape ? `[${shape.join(", ")}]` : "--");

const exact = (n: number): string => n.toLocaleString("en-US");

/**
 * The summary as a table: one line per row (containers indented by depth when listed), then
 * the totals.
 */
export function formatSummary(s: Summary): string {
  const nested = s.rows.some((r) => !r.leaf);
  const frozen = s.rows.some((r) => r.nonTrainable > 0);
  const header = ["Layer", "Type", "Output shape", "Params", ...(frozen ? ["Trainable"] : []), "MACs", "Act. mem"];
  const cells = s.rows.map((r: SummaryRow) => [
    (nested ? "  ".repeat(Math.max(0, r.depth - 1)) : "") + r.name,
    r.calls > 1 ? `${r.type} x${r.calls}` : r.type,
    formatShape(r.outputShape),
    r.params ? humanCount(r.params) : "0",
    ...(frozen ? [humanCount(r.trainable)] : []),
    r.macs ? humanCount(r.macs) : "0",
    r.activationBytes ? humanBytes(r.activationBytes) : "0",
  ]);
  const right = new Set([3, 4, 5, 6].filter((i) => i < header.length));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (right.has(i) ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ").trimEnd();
  const rule = "-".repeat(widths.reduce((a, w) => a + w + 2, -2));
  const t = s.totals;
  const lines = [
    `${s.model}: input ${formatShape(s.inputShape)} -> output ${formatShape(s.outputShape)}`,
    rule,
    line(header),
    rule,
    ...cells.map(line),
    rule,
    `Total params:         ${exact(t.params)} (${humanCount(t.params)})`,
    `Trainable params:     ${exact(t.trainable)}`,
    `Non-trainable params: ${exact(t.nonTrainable)}`,
    ...(t.buffers ? [`Buffers:              ${exact(t.buffers)} (running statistics; not parameters)`] : []),
    `MACs:                 ${exact(t.macs)} (${humanCount(t.macs).replace(/([KMGT]?)$/, " $1")}MACs)`,
    rule,
    `Input size:           ${humanBytes(t.inputBytes)}`,
    `Activations:          ${humanBytes(t.activationBytes)}`,
    `Parameters:           ${humanBytes(t.paramBytes)}${t.bufferBytes ? ` (+ ${humanBytes(t.bufferBytes)} buffers)` : ""}`,
    `Estimated total:      ${humanBytes(t.totalBytes)}`,
    rule,
  ];
  return lines.join("\n") + "\n";
}
