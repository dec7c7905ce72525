/** `train`: the training loop, the Trainer and its callbacks, checkpoints, and `fit()`. See docs/training.md. */
export { trainEpoch, evaluate, type LossFn, type Stepper, type BatchReport, type EpochResult, type EvalResult } from "./loop.js";
export { Trainer, type TrainerOptions, type FitRunOptions, type TrainableOptimizer } from "./trainer.js";
export { fit, type FitOptions, type FitResult } from "./fit.js";
export { Monitor, type Callback, type CallbackState, type EpochLog, type Mode, type MonitorOptions } from "./callback.js";
export { LRScheduling, type LRSchedulingOptions } from "./callbacks/lr-scheduling.js";
export { EarlyStopping, type EarlyStoppingOptions } from "./callbacks/early-stopping.js";
export { BestModel, type BestModelOptions } from "./callbacks/best-model.js";
export { Checkpoint, type CheckpointOptions } from "./callbacks/checkpoint.js";
export { MetricsLog } from "./callbacks/metrics-log.js";
export { ProgressLogger, epochLine, type ProgressLoggerOptions } from "./callbacks/progress-logger.js";
export { createProgress, type Progress } from "./progress.js";
export { saveCheckpoint, readCheckpoint, hasCheckpoint, CHECKPOINT_FILE, type CheckpointData, type OptimizerStateDict } from "./checkpoint.js";
export { randomSplit, trainValSplit, deriveSeed } from "./split.js";
export { replaceFolderAtomic } from "./atomic.js";
