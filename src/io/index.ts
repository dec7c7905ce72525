/** `io`: weights and models on disk. */
export { encodeSafetensors, decodeSafetensors, type DecodedSafetensors } from "./safetensors.js";
export { saveSafetensors, loadSafetensors, saveModel, loadModel, writeFileAtomic, MODEL_FILE, WEIGHTS_FILE, type LoadedModel } from "./files.js";
