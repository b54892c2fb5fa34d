// Loss heads emitted into the graph (engine.md §4.3: the loss lives inside the graph so one run gives loss + gradients).
export { focalLoss, FocalOptions } from "./focal";
export { diceLoss } from "./dice";
export { bceWithLogits, sigmoidPairLoss, softplus } from "./logistic";
