// Device selection. onnxruntime-node ships the CPU provider; the CUDA provider is a separate download (install
// script with ONNXRUNTIME_NODE_INSTALL=cuda12), so "cuda" must fail with instructions when its library is missing.
import * as fs from "fs";
import * as path from "path";

export type Device = "auto" | "cpu" | "cuda";

/** Returns null when CUDA can be used, else the reason it cannot. */
export type CudaProbe = () => string | null;

export class DeviceError extends Error {}

/** Looks for the CUDA execution-provider library in onnxruntime-node's binary folder. */
export const probeOrtCuda: CudaProbe = () => {
  if (process.platform !== "linux" && process.platform !== "win32")
    return `CUDA is not supported by onnxruntime-node on ${process.platform}`;
  let pkgDir: string;
  try {
    pkgDir = path.dirname(require.resolve("onnxruntime-node/package.json"));
  } catch {
    return "onnxruntime-node is not installed";
  }
  const binDir = path.join(pkgDir, "bin", "napi-v6", process.platform, process.arch);
  const lib = process.platform === "win32" ? "onnxruntime_providers_cuda.dll" : "libonnxruntime_providers_cuda.so";
  if (!fs.existsSync(path.join(binDir, lib)))
    return `the CUDA execution provider (${lib}) is not installed in ${binDir}`;
  return null;
};

export function resolveDevice(device: Device, probe: CudaProbe = probeOrtCuda): "cpu" | "cuda" {
  switch (device) {
    case "cpu":
      return "cpu";
    case "cuda": {
      const why = probe();
      if (why !== null) {
        throw new DeviceError(
          `device "cuda" was requested but ${why}. Install it on a machine with CUDA 12 and network access ` +
            `(ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js), or use device "cpu" / "auto".`,
        );
      }
      return "cuda";
    }
    case "auto":
      return probe() === null ? "cuda" : "cpu";
    default:
      throw new DeviceError(`unknown device "${String(device)}": expected "auto", "cpu" or "cuda"`);
  }
}
