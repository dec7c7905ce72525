import { Sequential, Flatten } from "../nn/container.js";
import { Conv2d } from "../nn/conv.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d, AvgPool2d } from "../nn/pooling.js";
import { ReLU, Tanh } from "../nn/activation.js";

export interface LeNet5Options {
  numClasses?: number;
  inChannels?: number;
  /**
   * "padded" (default): the modern form on 28x28 MNIST — conv 6@5x5 padding 2, ReLU, max pool,
   * conv 16@5x5, ReLU, max pool, 120, 84, classes.
   * "classic": LeCun et al. 1998 on 32x32 input — C1 conv 6@5x5, S2 avg pool, C3 conv 16@5x5,
   * S4 avg pool, C5 conv 120@5x5, F6 84, output; tanh activations.
   */
  variant?: "padded" | "classic";
}

/** LeNet-5 as a Sequential with torchvision-style `features` / `classifier` halves. */
export class LeNet5 extends Sequential {
  constructor(options: LeNet5Options = {}) {
    const classes = options.numClasses ?? 10;
    const c = options.inChannels ?? 1;
    if ((options.variant ?? "padded") === "classic") {
      super({
        features: new Sequential(
          new Conv2d(c, 6, 5), new Tanh(), new AvgPool2d(2),
          new Conv2d(6, 16, 5), new Tanh(), new AvgPool2d(2),
          new Conv2d(16, 120, 5), new Tanh(),
        ),
        classifier: new Sequential(new Flatten(), new Linear(120, 84), new Tanh(), new Linear(84, classes)),
      });
    } else {
      super({
        features: new Sequential(
          new Conv2d(c, 6, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2),
          new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
        ),
        classifier: new Sequential(new Flatten(), new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, classes)),
      });
    }
  }
}
