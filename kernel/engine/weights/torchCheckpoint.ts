// PyTorch checkpoints read as data, never executed: the zip format of torch.save (pytorch_model.bin,
// open_clip_pytorch_model.bin; a plain state dict or {"state_dict": …}) and TorchScript archives (OpenAI's
// ViT-L-14-336px.pt). Both hold `<root>/data.pkl`, a pickle whose persistent ids name storages stored as
// `<root>/data/<key>`; tensors are rebuilt from (storage, offset, size, stride). The pickle is read with the
// restricted reader in pickle.ts, which only knows the globals listed here.
import * as fs from "fs";
import { WeightsError } from "./errors";
import { PyDict, PyGlobal, PyObject, PyTuple, PyValue, unpickle, UnpicklePolicy } from "./pickle";
import type { StDtype } from "./safetensors";
import { looksLikeZip, ZipArchive } from "./zipArchive";

const STORAGE_DTYPES: Record<string, StDtype> = {
  FloatStorage: "F32",
  HalfStorage: "F16",
  BFloat16Storage: "BF16",
  DoubleStorage: "F64",
  LongStorage: "I64",
  IntStorage: "I32",
  ShortStorage: "I16",
  CharStorage: "I8",
  ByteStorage: "U8",
  BoolStorage: "BOOL",
};
export const DTYPE_BYTES: Record<StDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

class StorageRef {
  constructor(
    readonly dtype: StDtype,
    readonly key: string,
    readonly numel: number,
  ) {}
}

class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

export interface TorchTensorInfo {
  name: string;
  dtype: StDtype;
  shape: number[];
  stride: number[];
  /** Element offset into the storage. */
  offset: number;
  /** Zip entry holding the storage. */
  entry: string;
}

export type TorchCheckpointKind = "state_dict" | "torchscript";

const REBUILDERS = new Set([
  "_rebuild_tensor",
  "_rebuild_tensor_v2",
  "_rebuild_parameter",
  "_rebuild_parameter_with_state",
]);
// TorchScript's pickler wraps typed lists and tagged values in these pure helpers.
const JIT_PICKLE = new Set([
  "build_intlist",
  "build_doublelist",
  "build_boollist",
  "build_tensorlist",
  "restore_type_tag",
]);

const REFUSAL =
  "Only tensor data, storages, ordered dicts, plain containers and TorchScript module records are read. " +
  "If this is a whole pickled model or a training checkpoint with other objects, save model.state_dict() with torch.save.";

function intList(file: string, v: PyValue, what: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : undefined;
  if (!items || !items.every((x) => typeof x === "number" && Number.isInteger(x))) {
    throw new WeightsError(file, "data.pkl", `tensor ${what} is not a list of integers`);
  }
  return items as number[];
}

function policyFor(file: string): UnpicklePolicy {
  return {
    refusalHint: REFUSAL,
    classify(module, name) {
      if (module === "collections" && name === "OrderedDict") return "builder";
      if (module === "torch._utils" && REBUILDERS.has(name)) return "builder";
      if (module === "torch" && STORAGE_DTYPES[name]) return "marker";
      if (module === "torch" && name === "Size") return "builder";
      if (module === "torch.jit._pickle" && JIT_PICKLE.has(name)) return "builder";
      if (module === "_codecs" && name === "encode") return "builder";
      if (module === "__torch__" || module.startsWith("__torch__.")) return "inert";
      return undefined;
    },
    build(g: PyGlobal, args: PyValue[]): PyValue {
      switch (g.name) {
        case "OrderedDict": {
          const d = new PyDict();
          const pairs = args[0];
          if (Array.isArray(pairs)) for (const p of pairs) if (p instanceof PyTuple) d.set(p.items[0], p.items[1]);
          return d;
        }
        case "_rebuild_tensor":
        case "_rebuild_tensor_v2": {
          const [storage, offset, size, stride] = args;
          if (!(storage instanceof StorageRef) || typeof offset !== "number") {
            throw new WeightsError(file, "data.pkl", `${g.qualified} without a storage`);
          }
          return new TensorRef(storage, offset, intList(file, size, "size"), intList(file, stride, "stride"));
        }
        case "_rebuild_parameter":
        case "_rebuild_parameter_with_state":
          return args[0];
        case "Size":
          return new PyTuple(intList(file, args[0], "size"));
        case "encode":
          return typeof args[0] === "string" ? new Uint8Array(Buffer.from(args[0], "latin1")) : null;
        default: // torch.jit._pickle helpers: the value is the first argument
          return args[0];
      }
    },
    persistentLoad(pid: PyValue): PyValue {
      const t = pid instanceof PyTuple ? pid.items : [];
      const [tag, type, key, , numel] = t;
      if (tag !== "storage" || !(type instanceof PyGlobal) || typeof key !== "string" || typeof numel !== "number") {
        throw new WeightsError(
          file,
          "data.pkl",
          "persistent id is not a ('storage', type, key, location, numel) record",
        );
      }
      return new StorageRef(STORAGE_DTYPES[type.name], key, numel);
    },
  };
}

/** Gives the conversion hint for files this reader cannot take. */
function refuseNonZip(file: string, head: Buffer): never {
  if (head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) {
    throw new WeightsError(
      file,
      undefined,
      "is a legacy (pre-1.6, non-zip) torch.save file; these are read only by running pickle. Convert it once with " +
        "PyTorch: python -c \"import torch; sd=torch.load('IN', map_location='cpu'); torch.save(sd, 'OUT')\" " +
        "(the zip format is the default since torch 1.6), or save it as safetensors.",
    );
  }
  throw new WeightsError(file, undefined, "is neither a zip-format PyTorch checkpoint nor a TorchScript archive");
}

export class TorchCheckpoint {
  private readonly tensors = new Map<string, TorchTensorInfo>();

  private constructor(
    readonly path: string,
    private readonly zip: ZipArchive,
    readonly kind: TorchCheckpointKind,
  ) {}

  static open(file: string): TorchCheckpoint {
    const head = Buffer.alloc(8);
    let fd: number;
    try {
      fd = fs.openSync(file, "r");
    } catch (e) {
      throw new WeightsError(file, undefined, `cannot open: ${(e as Error).message}`);
    }
    try {
      fs.readSync(fd, head, 0, 8, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!looksLikeZip(head)) refuseNonZip(file, head);
    const zip = new ZipArchive(file);
    try {
      return TorchCheckpoint.fromZip(file, zip);
    } catch (e) {
      zip.close();
      throw e;
    }
  }

  private static fromZip(file: string, zip: ZipArchive): TorchCheckpoint {
    const pkl = zip.names().find((n) => /^[^/]+\/data\.pkl$/.test(n));
    if (!pkl) throw new WeightsError(file, undefined, "zip archive has no <name>/data.pkl: not a PyTorch checkpoint");
    const root = pkl.slice(0, -"data.pkl".length);
    const order = zip.entry(`${root}byteorder`) ? zip.read(`${root}byteorder`).toString("latin1").trim() : "little";
    if (order !== "little") throw new WeightsError(file, `${root}byteorder`, `byte order "${order}" is not supported`);
    const kind: TorchCheckpointKind =
      zip.entry(`${root}constants.pkl`) || zip.names().some((n) => n.startsWith(`${root}code/`))
        ? "torchscript"
        : "state_dict";
    const value = unpickle(zip.read(pkl), policyFor(file), file, pkl);
    const ck = new TorchCheckpoint(file, zip, kind);
    const found: [string, TensorRef][] = [];
    if (value instanceof PyObject) collectModule(value, "", found);
    else if (value instanceof PyDict) collectStateDict(file, value, found);
    else throw new WeightsError(file, pkl, "holds neither a state dict nor a TorchScript module");
    // DataParallel checkpoints prefix every name with "module.".
    const strip = found.length > 0 && found.every(([n]) => n.startsWith("module.")) ? "module.".length : 0;
    for (const [name, t] of found) {
      const entry = `${root}data/${t.storage.key}`;
      const e = zip.entry(entry);
      if (!e) throw new WeightsError(file, name, `storage ${entry} is missing from the archive`);
      const dtype = t.storage.dtype;
      if (!dtype) throw new WeightsError(file, name, "unknown storage type");
      if (e.size < t.storage.numel * DTYPE_BYTES[dtype]) {
        throw new WeightsError(
          file,
          name,
          `storage ${entry} has ${e.size} bytes, fewer than its ${t.storage.numel} elements need`,
        );
      }
      ck.tensors.set(name.slice(strip), {
        name: name.slice(strip),
        dtype,
        shape: t.shape,
        stride: t.stride,
        offset: t.offset,
        entry,
      });
    }
    if (ck.tensors.size === 0) throw new WeightsError(file, pkl, "contains no tensors");
    return ck;
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  info(name: string): TorchTensorInfo {
    const t = this.tensors.get(name);
    if (!t) throw new WeightsError(this.path, name, "tensor not found in this checkpoint");
    return t;
  }

  /** The tensor's elements in row-major order as little-endian bytes, in a fresh (aligned) buffer. */
  readRaw(name: string): Uint8Array {
    const t = this.info(name);
    const el = DTYPE_BYTES[t.dtype];
    const numel = t.shape.reduce((a, b) => a * b, 1);
    const out = new Uint8Array(new ArrayBuffer(numel * el));
    if (numel === 0) return out;
    if (isContiguous(t.shape, t.stride)) {
      out.set(this.zip.readRange(t.entry, t.offset * el, numel * el));
      return out;
    }
    // Strided view (e.g. a saved transpose): gather element by element from the extent the view touches.
    let span = 1;
    for (let d = 0; d < t.shape.length; d++) span += (t.shape[d] - 1) * t.stride[d];
    const src = this.zip.readRange(t.entry, t.offset * el, span * el);
    const idx = new Array<number>(t.shape.length).fill(0);
    for (let i = 0; i < numel; i++) {
      let off = 0;
      for (let d = 0; d < idx.length; d++) off += idx[d] * t.stride[d];
      out.set(src.subarray(off * el, off * el + el), i * el);
      for (let d = idx.length - 1; d >= 0; d--) {
        if (++idx[d] < t.shape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  close(): void {
    this.zip.close();
  }
}

function isContiguous(shape: number[], stride: number[]): boolean {
  let expect = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expect) return false;
    expect *= shape[d];
  }
  return true;
}

function collectStateDict(file: string, d: PyDict, out: [string, TensorRef][]): void {
  // Training checkpoints wrap the weights: {"epoch": …, "state_dict": {…}, "optimizer": …}.
  const inner = d.get("state_dict");
  if (inner instanceof PyDict) return collectStateDict(file, inner, out);
  for (const [k, v] of d.entries) if (typeof k === "string" && v instanceof TensorRef) out.push([k, v]);
}

/** TorchScript module records: attributes in BUILD state; parameters, buffers and submodules by attribute name. */
function collectModule(m: PyObject, prefix: string, out: [string, TensorRef][]): void {
  if (!(m.state instanceof PyDict)) return;
  for (const [k, v] of m.state.entries) {
    if (typeof k !== "string") continue;
    if (v instanceof TensorRef) out.push([prefix + k, v]);
    else if (v instanceof PyObject) collectModule(v, `${prefix}${k}.`, out);
  }
}
