/** Recurrent layers: cells, sequence layers, the peephole LSTM cell. */
export { RNNCell, LSTMCell, GRUCell, type RNNCellOptions } from "./cells.js";
export { PeepholeLSTMCell } from "./peephole.js";
export { RNN, LSTM, GRU, type RecurrentOptions, type RNNOptions, type LSTMOptions, type RecurrentRunOptions, type RecurrentResult } from "./sequence.js";
export type { RecurrentNonlinearity } from "./steps.js";
