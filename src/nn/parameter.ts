import { Tensor } from "../tensor/tensor.js";
import { keep } from "../tensor/scope.js";

/**
 * A tensor that is part of a module's trainable state. Modules find their parameters by walking
 * their properties for instances of this class, as PyTorch's nn.Parameter.
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, data.shape);
    this.requiresGrad = requiresGrad;
    keep(this); // parameters outlive every scope
  }
}
