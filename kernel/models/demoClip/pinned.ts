// SHA-256 of data/models/demo-clip/model.safetensors, the shipped medad/demo-clip weights. A test checks the file
// against it; change it only together with the weights (retrained with `medad models train-demo`).
export const DEMO_CLIP_SHA256 = "d33cd32e34eb74217139d15b3048aac063368c67cb5eab8879ad4658ae6a9f12";
