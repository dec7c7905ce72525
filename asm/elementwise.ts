// Elementwise and reduction kernels (float32, SIMD). See src/backend/wasm/elementwise.ts.
