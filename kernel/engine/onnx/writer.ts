// Dependency-free ONNX writer: IR Graph → ModelProto bytes (IR version 8). Field numbers from onnx/onnx.proto.
// Initializers go out as raw_data straight from views of their typed arrays (one copy, in the final concatenation).
// Protobuf messages cannot exceed 2 GiB, so when the weights would not fit, the largest initializers are moved into
// an external-data blob (TensorProto.data_location = EXTERNAL) that the runtime places next to the model file.
import * as os from "os";
import { Attribute, Graph, NodeDef, TensorData, ValueInfo, onnxDataType } from "../ir/types";
import { ProtoMessage } from "./protobuf";

export const IR_VERSION = 8;
/** Protobuf's hard limit (2^31 − 1 bytes); ORT refuses larger in-memory models. */
export const PROTOBUF_LIMIT = 2 ** 31 - 1;

export interface WriteOptions {
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  /** Largest ModelProto allowed before weights move to external data (default: 2 GiB − 64 MiB headroom). */
  maxProtoBytes?: number;
  /** File name the model will reference for external data (relative to the model file). */
  externalDataLocation?: string;
}

export interface EncodedModel {
  model: Uint8Array;
  /** Present when some initializers were written as external data; must sit next to the model as `location`. */
  externalData?: { location: string; bytes: Uint8Array; tensors: string[] };
}

const EXTERNAL_ALIGN = 64;

function rawBytes(t: TensorData): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

function encodeTensor(t: TensorData, external?: { location: string; offset: number }): ProtoMessage {
  const m = new ProtoMessage();
  for (const d of t.dims) m.varint(1, d); // dims (unpacked; proto2 parsers accept both)
  m.varint(2, onnxDataType(t.dtype));
  m.string(8, t.name);
  if (external) {
    const entry = (k: string, v: string) => new ProtoMessage().string(1, k).string(2, v);
    m.message(13, entry("location", external.location));
    m.message(13, entry("offset", String(external.offset)));
    m.message(13, entry("length", String(t.data.byteLength)));
    m.varint(14, 1); // data_location = EXTERNAL
  } else {
    m.bytes(9, rawBytes(t));
  }
  return m;
}

function encodeAttribute(name: string, a: Attribute): ProtoMessage {
  const m = new ProtoMessage().string(1, name);
  switch (a.kind) {
    case "float":
      m.float(2, a.value).varint(20, 1);
      break;
    case "int":
      m.varint(3, a.value).varint(20, 2);
      break;
    case "string":
      m.string(4, a.value).varint(20, 3);
      break;
    case "tensor":
      m.message(5, encodeTensor(a.value)).varint(20, 4);
      break;
    case "floats":
      m.packedFloats(7, a.value).varint(20, 6);
      break;
    case "ints":
      m.packedVarints(8, a.value).varint(20, 7);
      break;
  }
  return m;
}

function encodeNode(n: NodeDef): ProtoMessage {
  const m = new ProtoMessage();
  for (const i of n.inputs) m.string(1, i);
  for (const o of n.outputs) m.string(2, o);
  m.string(3, n.name).string(4, n.opType);
  for (const [k, a] of Object.entries(n.attributes)) m.message(5, encodeAttribute(k, a));
  if (n.domain !== "") m.string(7, n.domain);
  return m;
}

function encodeValueInfo(v: ValueInfo): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of v.shape) {
    const dim = new ProtoMessage();
    if (typeof d === "number") dim.varint(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoMessage().varint(1, onnxDataType(v.dtype)).message(2, shape);
  const type = new ProtoMessage().message(1, tensorType);
  return new ProtoMessage().string(1, v.name).message(2, type);
}

/** Chooses which initializers go external: largest first until the inline rest fits under the limit. */
function planExternal(graph: Graph, maxProtoBytes: number): Set<string> {
  const total = graph.initializers.reduce((s, t) => s + t.data.byteLength, 0);
  // Everything but raw weights (names, nodes, dims) is small; 16 MiB covers it with a wide margin.
  const overhead = 16 * 2 ** 20;
  const external = new Set<string>();
  let inline = total;
  if (inline + overhead <= maxProtoBytes) return external;
  const bySize = [...graph.initializers].sort((a, b) => b.data.byteLength - a.data.byteLength);
  for (const t of bySize) {
    if (inline + overhead <= maxProtoBytes) break;
    external.add(t.name);
    inline -= t.data.byteLength;
  }
  return external;
}

export function encodeModel(graph: Graph, options: WriteOptions = {}): EncodedModel {
  if (os.endianness() !== "LE") throw new Error("ONNX raw_data is little-endian; big-endian hosts are not supported");
  const maxProto = Math.min(options.maxProtoBytes ?? PROTOBUF_LIMIT - 64 * 2 ** 20, PROTOBUF_LIMIT);
  const location = options.externalDataLocation ?? "weights.bin";
  const externalNames = planExternal(graph, maxProto);

  const g = new ProtoMessage();
  for (const n of graph.nodes) g.message(1, encodeNode(n));
  g.string(2, graph.name);
  const blobParts: Uint8Array[] = [];
  let blobLength = 0;
  for (const t of graph.initializers) {
    if (externalNames.has(t.name)) {
      const pad = (EXTERNAL_ALIGN - (blobLength % EXTERNAL_ALIGN)) % EXTERNAL_ALIGN;
      if (pad > 0) blobParts.push(new Uint8Array(pad));
      blobLength += pad;
      g.message(5, encodeTensor(t, { location, offset: blobLength }));
      blobParts.push(rawBytes(t));
      blobLength += t.data.byteLength;
    } else {
      g.message(5, encodeTensor(t));
    }
  }
  for (const v of graph.inputs) g.message(11, encodeValueInfo(v));
  for (const v of graph.outputs) g.message(12, encodeValueInfo(v));

  const model = new ProtoMessage().varint(1, IR_VERSION);
  model.string(2, options.producerName ?? "medad-lab");
  if (options.producerVersion) model.string(3, options.producerVersion);
  if (options.docString) model.string(6, options.docString);
  model.message(7, g);
  for (const [domain, version] of Object.entries(graph.opsets)) {
    model.message(8, new ProtoMessage().string(1, domain).varint(2, version));
  }
  if (model.length > PROTOBUF_LIMIT) {
    throw new Error(
      `ONNX model "${graph.name}" is ${model.length} bytes without its weights, over the 2 GiB protobuf limit`,
    );
  }
  const out: EncodedModel = { model: model.toBytes() };
  if (externalNames.size > 0) {
    const bytes = new Uint8Array(blobLength);
    let at = 0;
    for (const p of blobParts) {
      bytes.set(p, at);
      at += p.length;
    }
    out.externalData = { location, bytes, tensors: [...externalNames] };
  }
  return out;
}
