/**
 * Typed errors. Every message names where the problem is (an op, a layer path, a file), what was
 * expected and what was found, so a user can fix their code without reading ours.
 */

/** Base class: catch this to catch anything Tessera throws on purpose. */
export class TesseraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit an op or a layer: the message names both shapes. */
export class ShapeError extends TesseraError {}

/** A dtype an op cannot take (for example a float op on integer labels). */
export class DTypeError extends TesseraError {}

/** A hyper-parameter or argument outside its allowed range; the message states the range. */
export class ValueError extends TesseraError {}

/** A file that cannot be read as what it claims to be: truncated, corrupt, wrong format. */
export class DataFormatError extends TesseraError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Autograd misuse: backward on a tensor that needs no grad, a non-scalar without a gradient, ... */
export class AutogradError extends TesseraError {}
