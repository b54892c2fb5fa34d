// Typed graph IR: what the builder produces and the ONNX writer consumes. Deliberately close to ONNX so the writer is
// a direct translation, but with typed tensors and explicit attribute kinds (a JS number cannot say int vs float).

export type DType = "float32" | "float16" | "float64" | "int8" | "uint8" | "int32" | "int64" | "bool";

/** A dimension: a fixed size, or a symbolic name such as "batch" (ONNX dim_param). */
export type Dim = number | string;

export type TensorArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int32Array
  | BigInt64Array
  | Uint16Array;

/** A constant tensor (initializer); `data` is written verbatim as little-endian raw_data. */
export interface TensorData {
  name: string;
  dtype: DType;
  dims: number[];
  data: TensorArray;
}

export interface ValueInfo {
  name: string;
  dtype: DType;
  shape: Dim[];
}

export type Attribute =
  | { kind: "float"; value: number }
  | { kind: "int"; value: number }
  | { kind: "string"; value: string }
  | { kind: "floats"; value: number[] }
  | { kind: "ints"; value: number[] }
  | { kind: "tensor"; value: TensorData };

export interface NodeDef {
  name: string;
  opType: string;
  /** "" = the default ai.onnx domain. */
  domain: string;
  /** "" marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
  attributes: Record<string, Attribute>;
}

export interface Graph {
  name: string;
  nodes: NodeDef[];
  initializers: TensorData[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** Opset versions per domain actually used, e.g. {"": 17, "com.microsoft": 1}. */
  opsets: Record<string, number>;
}

/** Bytes per element, as stored in ONNX raw_data. */
export function dtypeSize(dtype: DType): number {
  switch (dtype) {
    case "float64":
    case "int64":
      return 8;
    case "float32":
    case "int32":
      return 4;
    case "float16":
      return 2;
    case "int8":
    case "uint8":
    case "bool":
      return 1;
  }
}

export function numElements(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** ONNX TensorProto.DataType codes (the IR mirrors ONNX, so the mapping lives with the types). */
export function onnxDataType(dtype: DType): number {
  switch (dtype) {
    case "float32":
      return 1;
    case "uint8":
      return 2;
    case "int8":
      return 3;
    case "int32":
      return 6;
    case "int64":
      return 7;
    case "bool":
      return 9;
    case "float16":
      return 10;
    case "float64":
      return 11;
  }
}
