// Reference tensors for the metrics tests as float32 (maps, which must keep float32 identity) or float64 (the rest).
import { tinyClipRef } from "../../helpers/fixturePaths";
import { readFixtureTensor } from "../../helpers/safetensorsFixture";

export interface TestTensor {
  shape: number[];
  data: Float32Array | Float64Array;
}

export function tinyClipRefDir(): string {
  return tinyClipRef;
}

export function readTestTensor(file: string, name: string): TestTensor {
  const t = readFixtureTensor(file, name);
  if (t.data instanceof Float32Array || t.data instanceof Float64Array) return { shape: t.shape, data: t.data };
  if (t.data instanceof BigInt64Array) return { shape: t.shape, data: Float64Array.from(t.data, (v) => Number(v)) };
  return { shape: t.shape, data: Float64Array.from(t.data) };
}
