/** A worker of the ceiling measurement (ceiling.ts): warms the loop, waits for "go", spins, reports. */
import { parentPort, workerData } from "node:worker_threads";
import { spin, warmPeak } from "./ceiling-spin.js";

const { bytes, seconds } = workerData as { bytes: Uint8Array<ArrayBuffer>; seconds: number };
const peak = warmPeak(bytes);
parentPort!.once("message", () => parentPort!.postMessage(spin(peak, seconds)));
parentPort!.postMessage("ready");
