// Movement, im2col/col2im and pooling kernels (float32, SIMD). See src/backend/wasm/window.ts.
