// SHA-256 of data/models/demo-clip/model.safetensors, the shipped medad/demo-clip weights. A test checks the file
// against it; change it only together with the weights (retrained with `medad models train-demo`).
export const DEMO_CLIP_SHA256 = "d224609afc4407d3805d526ae56c723227226c113b5c6bd41a16df588d4959c4";
