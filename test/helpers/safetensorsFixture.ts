// Reads one tensor of a reference fixture with the engine's safetensors reader, keeping the stored dtype
// (float32 maps must stay float32 for exact comparisons; token ids stay integers).
import { SafetensorsFile } from "../../kernel/engine/weights/safetensors";

export interface FixtureTensor {
  dtype: string;
  shape: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
}

const views: Record<string, (b: ArrayBuffer) => FixtureTensor["data"]> = {
  F32: (b) => new Float32Array(b),
  F64: (b) => new Float64Array(b),
  I32: (b) => new Int32Array(b),
  I64: (b) => new BigInt64Array(b),
  U8: (b) => new Uint8Array(b),
};

export function readFixtureTensor(file: string, name: string): FixtureTensor {
  const st = SafetensorsFile.open(file);
  try {
    const { dtype, shape } = st.info(name);
    const view = views[dtype];
    if (!view) throw new Error(`${file}: tensor '${name}' has dtype ${dtype}, not supported by the test reader`);
    const raw = st.readRaw(name);
    return {
      dtype,
      shape: [...shape],
      data: view(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer),
    };
  } finally {
    st.close();
  }
}
