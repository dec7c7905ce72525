/**
 * `inspect`: looking inside networks. `summary()` tables a model's layers by a shape-only pass
 * on the memoryless meta backend; `explainConv` / `explainPool` walk through the lectures'
 * output-size arithmetic step by step.
 */
export { summary, type Summary, type SummaryRow, type SummaryTotals, type SummaryOptions } from "./summary.js";
export { formatSummary, humanCount, humanBytes, formatShape } from "./format.js";
export { traceMeta, metaTensor, metaBackend, onMeta, type MetaTrace, type ModuleRecord } from "./trace.js";
export { MetaBackend, MetaStorage, type MetaKind } from "./meta-backend.js";
export { explainConv, explainPool, axisArithmetic, type AxisArithmetic, type Explanation, type ArithmeticOptions, type ConvArithmeticOptions, type Pair } from "./arithmetic.js";
