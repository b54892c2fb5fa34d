// Optimisers for the small trainable tensors (adapters, prompt vectors); gradients come from autodiff graphs.
export { Adam, AdamOptions, AdamState, AdamW } from "./adam";
export { adamStateFromTensors, adamStateToTensors } from "./adamTensors";
