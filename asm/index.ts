// Tessera's WebAssembly kernels. Every export works on raw byte offsets into the one shared
// memory the JavaScript side allocates tensors in; nothing here allocates.
export { gemm_f32, gemm_pack_a, gemm_packed_a_floats, GEMM_SCRATCH_FLOATS } from "./gemm";
export { conv2d_f32, conv2d_backward_input_f32, conv2d_backward_weight_f32, sum_partials_f32 } from "./conv";
export * from "./elementwise";
export * from "./window";
export * from "./optim";
export * from "./memory";

/** Where static data ends: the JavaScript allocator starts its heap above this. */
export function heapBase(): usize {
  return __heap_base;
}
