/**
 * Loading the kernels: pick the relaxed-SIMD build when this engine accepts it (Node 20 needs a
 * V8 flag set before compiling), else the plain SIMD build; instantiate on a shared memory.
 */
import { RELAXED_SIMD_WASM, SIMD_WASM } from "./kernels.generated.js";

export interface KernelExports {
  gemm_f32(a: number, b: number, c: number, m: number, n: number, k: number, transA: number, transB: number, scratch: number, jBegin: number, jEnd: number, packedA: number): void;
  gemm_pack_a(a: number, m: number, k: number, transA: number, transB: number, dst: number): number;
  gemm_packed_a_floats(m: number, k: number): number;
  GEMM_SCRATCH_FLOATS: WebAssembly.Global;
  heapBase(): number;
  fill_zero(ptr: number, bytes: number): void;
  fill_f32(ptr: number, n: number, value: number): void;
}

export interface LoadedKernels {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: KernelExports;
  relaxed: boolean;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Node exposes the V8 flag switch; browsers decide relaxed SIMD for themselves. */
function enableRelaxedSimdInNode(): void {
  const proc = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const v8 = proc?.getBuiltinModule?.("node:v8") as { setFlagsFromString(flags: string): void } | undefined;
  v8?.setFlagsFromString("--experimental-wasm-relaxed-simd");
}

let cached: { module: WebAssembly.Module; relaxed: boolean } | null = null;

export function compileKernels(preferRelaxed = true): { module: WebAssembly.Module; relaxed: boolean } {
  if (cached) return cached;
  const relaxedBytes = decode(RELAXED_SIMD_WASM);
  let relaxed = false;
  if (preferRelaxed) {
    if (!WebAssembly.validate(relaxedBytes)) enableRelaxedSimdInNode();
    relaxed = WebAssembly.validate(relaxedBytes);
  }
  const bytes = relaxed ? relaxedBytes : decode(SIMD_WASM);
  if (!WebAssembly.validate(bytes)) throw new Error("this JavaScript engine cannot run WebAssembly 128-bit SIMD");
  cached = { module: new WebAssembly.Module(bytes), relaxed };
  return cached;
}

/** Instantiates the kernels on `memory` (a new shared memory when omitted). */
export function instantiateKernels(memory?: WebAssembly.Memory): LoadedKernels {
  const { module, relaxed } = compileKernels();
  const mem = memory ?? new WebAssembly.Memory({ initial: 256, maximum: 32768, shared: true });
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory: mem,
      abort: () => {
        throw new Error("wasm kernel aborted");
      },
    },
  });
  return { module, memory: mem, exports: instance.exports as unknown as KernelExports, relaxed };
}
