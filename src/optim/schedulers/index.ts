/**
 * Learning-rate schedulers (PyTorch's `torch.optim.lr_scheduler`): each drives the `lr` option of
 * an optimizer's parameter groups.
 */
export { LRScheduler, type OptimizerLike, type Scheduler, type SchedulerState, type SchedulerValue } from "./scheduler.js";
export { StepLR, MultiStepLR, ExponentialLR, type StepLROptions } from "./step.js";
export { CosineAnnealingLR, type CosineAnnealingLROptions } from "./cosine.js";
export { LinearLR, LinearWarmup, type LinearLROptions, type LinearWarmupOptions } from "./linear.js";
export { SequentialLR } from "./sequential.js";
export { OneCycleLR, type OneCycleLROptions } from "./one-cycle.js";
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from "./plateau.js";
