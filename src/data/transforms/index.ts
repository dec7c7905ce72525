/**
 * `data.transforms`: image augmentation and normalisation, per sample, seeded (torchvision's
 * transforms, plus the lectures' log-uniform scaling, stretch, and Simard's elastic distortion).
 * See docs/transforms.md.
 */
export { Transform, type ImageShape } from "./transform.js";
export { GeometricTransform, RandomHorizontalFlip, RandomVerticalFlip, type RandomOptions } from "./geometric.js";
export { RandomAffine, RandomRotation, affineInverse, appendAffine, type AffineParams, type RandomAffineOptions } from "./affine.js";
export { RandomCrop, type RandomCropOptions } from "./crop.js";
export { ElasticDistortion } from "./elastic.js";
export { Normalize } from "./normalize.js";
export { Compose } from "./compose.js";
export { TransformedDataset } from "./transformed-dataset.js";
export { Warp } from "./warp.js";
export * as functional from "./functional.js";
