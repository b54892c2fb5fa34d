// A restricted pickle reader. Python's pickle runs code: GLOBAL names any importable callable and REDUCE calls it,
// so a checkpoint can run `os.system`. This reader never calls anything: every global must be on the caller's
// allow-list, which maps it to a pure builder over already-read values (tensor rebuilds, OrderedDict) or to an
// inert record (TorchScript module classes). Anything else is refused at the GLOBAL opcode, naming it.
// Opcodes: protocols 0–2 as torch.save and TorchScript write them, plus the protocol-4 framing/memo opcodes.
import { WeightsError } from "./errors";

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PyDict {
  readonly entries: [PyValue, PyValue][] = [];
  set(k: PyValue, v: PyValue): void {
    this.entries.push([k, v]);
  }
  get(k: string): PyValue | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i][0] === k) return this.entries[i][1];
    return undefined;
  }
}

/** A global the allow-list named; only ever a marker, never resolved to code. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An instance of an allowed inert class (e.g. a TorchScript module): class name plus its BUILD state. */
export class PyObject {
  state: PyValue = null;
  constructor(
    readonly cls: PyGlobal,
    readonly args: PyValue[],
  ) {}
}

// Builder results (tensors, storages) are opaque to the reader.
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PyGlobal
  | PyObject
  | object;

export interface UnpicklePolicy {
  /** What a GLOBAL names: "builder" (called by REDUCE with the args), "inert" (instances are PyObject), "marker" (a
   * value only, e.g. a storage type in a persistent id), or undefined to refuse. */
  classify(module: string, name: string): "builder" | "inert" | "marker" | undefined;
  build(g: PyGlobal, args: PyValue[]): PyValue;
  persistentLoad(pid: PyValue): PyValue;
  /** Why globals outside the list are refused, for the error message. */
  refusalHint: string;
}

const MARK = Symbol("mark");
type StackItem = PyValue | typeof MARK;

export function unpickle(data: Uint8Array, policy: UnpicklePolicy, file: string, what: string): PyValue {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let pos = 0;
  const stack: StackItem[] = [];
  const memo = new Map<number, PyValue>();
  const fail = (message: string): never => {
    throw new WeightsError(file, what, message);
  };
  const need = (n: number) => {
    if (pos + n > buf.length) fail(`pickle truncated at byte ${pos}`);
  };
  const u8 = () => (need(1), buf[pos++]);
  const u16 = () => (need(2), (pos += 2), buf.readUInt16LE(pos - 2));
  const u32 = () => (need(4), (pos += 4), buf.readUInt32LE(pos - 4));
  const i32 = () => (need(4), (pos += 4), buf.readInt32LE(pos - 4));
  const bytes = (n: number) => (need(n), (pos += n), buf.subarray(pos - n, pos));
  const line = () => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) fail("pickle truncated inside a text line");
    const s = buf.toString("latin1", pos, end);
    pos = end + 1;
    return s;
  };
  const pop = (): PyValue => {
    if (stack.length === 0) fail(`pickle stack underflow at byte ${pos}`);
    const v = stack.pop()!;
    if (v === MARK) fail(`unexpected MARK at byte ${pos}`);
    return v as PyValue;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail(`pickle stack is empty at byte ${pos}`);
    return v as PyValue;
  };
  const popMark = (): PyValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail(`no MARK on the stack at byte ${pos}`);
    const items = stack.splice(at + 1) as PyValue[];
    stack.pop();
    return items;
  };
  const global = (module: string, name: string): PyGlobal => {
    if (!policy.classify(module, name)) {
      fail(`refusing to load global ${module}.${name}: the file would run or construct it. ${policy.refusalHint}`);
    }
    return new PyGlobal(module, name);
  };
  const call = (callee: PyValue, args: PyValue[]): PyValue => {
    if (!(callee instanceof PyGlobal)) return fail(`REDUCE on a non-global (${typeof callee}) at byte ${pos}`);
    const kind = policy.classify(callee.module, callee.name);
    if (kind === "inert") return new PyObject(callee, args);
    if (kind === "builder") return policy.build(callee, args);
    return fail(`refusing to call ${callee.qualified}`);
  };
  const long = (b: Buffer): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const setItems = (d: PyValue, items: PyValue[]) => {
    if (!(d instanceof PyDict)) fail(`SETITEM(S) on a non-dict at byte ${pos}`);
    for (let i = 0; i + 1 < items.length; i += 2) (d as PyDict).set(items[i], items[i + 1]);
  };
  const append = (l: PyValue, items: PyValue[]) => {
    if (!Array.isArray(l)) fail(`APPEND(S) on a non-list at byte ${pos}`);
    (l as PyValue[]).push(...items);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80:
        u8();
        break; // PROTO
      case 0x95:
        bytes(8);
        break; // FRAME: a size hint only
      case 0x2e:
        return pop(); // STOP
      case 0x28:
        stack.push(MARK);
        break; // MARK
      case 0x30:
        pop();
        break; // POP
      case 0x31:
        popMark();
        break; // POP_MARK
      case 0x32:
        stack.push(top());
        break; // DUP
      case 0x4e:
        stack.push(null);
        break; // NONE
      case 0x88:
        stack.push(true);
        break; // NEWTRUE
      case 0x89:
        stack.push(false);
        break; // NEWFALSE
      case 0x4a:
        stack.push(i32());
        break; // BININT
      case 0x4b:
        stack.push(u8());
        break; // BININT1
      case 0x4d:
        stack.push(u16());
        break; // BININT2
      case 0x8a:
        stack.push(long(bytes(u8())));
        break; // LONG1
      case 0x8b:
        stack.push(long(bytes(u32())));
        break; // LONG4
      case 0x49: {
        // INT (text; "00"/"01" are False/True in protocol 0)
        const s = line();
        stack.push(s === "00" ? false : s === "01" ? true : Number(s));
        break;
      }
      case 0x4c: {
        // LONG (text)
        const v = BigInt(line().replace(/L$/, ""));
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47:
        need(8);
        stack.push(buf.readDoubleBE(pos));
        pos += 8;
        break; // BINFLOAT
      case 0x46:
        stack.push(Number(line()));
        break; // FLOAT
      case 0x58:
        stack.push(bytes(u32()).toString("utf8"));
        break; // BINUNICODE
      case 0x8c:
        stack.push(bytes(u8()).toString("utf8"));
        break; // SHORT_BINUNICODE
      case 0x8d: {
        // BINUNICODE8
        need(8);
        const n = Number(buf.readBigUInt64LE(pos));
        pos += 8;
        stack.push(bytes(n).toString("utf8"));
        break;
      }
      case 0x54:
        stack.push(bytes(i32()).toString("latin1"));
        break; // BINSTRING (py2 str)
      case 0x55:
        stack.push(bytes(u8()).toString("latin1"));
        break; // SHORT_BINSTRING
      case 0x42:
        stack.push(new Uint8Array(bytes(u32())));
        break; // BINBYTES
      case 0x43:
        stack.push(new Uint8Array(bytes(u8())));
        break; // SHORT_BINBYTES
      case 0x29:
        stack.push(new PyTuple([]));
        break; // EMPTY_TUPLE
      case 0x74:
        stack.push(new PyTuple(popMark()));
        break; // TUPLE
      case 0x85:
        stack.push(new PyTuple([pop()]));
        break; // TUPLE1
      case 0x86: {
        const b = pop();
        const a = pop();
        stack.push(new PyTuple([a, b]));
        break;
      } // TUPLE2
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(new PyTuple([a, b, c]));
        break;
      } // TUPLE3
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x6c:
        stack.push(popMark());
        break; // LIST
      case 0x61: {
        const v = pop();
        append(top(), [v]);
        break;
      } // APPEND
      case 0x65: {
        const items = popMark();
        append(top(), items);
        break;
      } // APPENDS
      case 0x7d:
        stack.push(new PyDict());
        break; // EMPTY_DICT
      case 0x64: {
        const d = new PyDict();
        setItems(d, popMark());
        stack.push(d);
        break;
      } // DICT
      case 0x73: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      } // SETITEM
      case 0x75: {
        const items = popMark();
        setItems(top(), items);
        break;
      } // SETITEMS
      case 0x8f:
        stack.push([]);
        break; // EMPTY_SET (read as a list)
      case 0x90: {
        const items = popMark();
        append(top(), items);
        break;
      } // ADDITEMS
      case 0x91:
        stack.push(popMark());
        break; // FROZENSET
      case 0x63: {
        const module = line();
        const name = line();
        stack.push(global(module, name));
        break;
      } // GLOBAL
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL needs two strings");
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callee = pop();
        if (!(args instanceof PyTuple)) fail(`REDUCE arguments are not a tuple at byte ${pos}`);
        stack.push(call(callee, (args as PyTuple).items));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args); only inert classes may be instantiated
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PyGlobal) || policy.classify(cls.module, cls.name) !== "inert") {
          fail(`refusing NEWOBJ of ${cls instanceof PyGlobal ? cls.qualified : typeof cls}`);
        }
        stack.push(new PyObject(cls as PyGlobal, args instanceof PyTuple ? args.items : []));
        break;
      }
      case 0x62: {
        // BUILD: state for the object below; inert records keep it, builders' results ignore it
        const state = pop();
        const obj = top();
        if (obj instanceof PyObject) obj.state = state;
        break;
      }
      case 0x51:
        stack.push(policy.persistentLoad(pop()));
        break; // BINPERSID
      case 0x50:
        stack.push(policy.persistentLoad(line()));
        break; // PERSID
      case 0x70:
        memo.set(Number(line()), top());
        break; // PUT
      case 0x71:
        memo.set(u8(), top());
        break; // BINPUT
      case 0x72:
        memo.set(u32(), top());
        break; // LONG_BINPUT
      case 0x94:
        memo.set(memo.size, top());
        break; // MEMOIZE
      case 0x67:
      case 0x68:
      case 0x6a: {
        // GET, BINGET, LONG_BINGET
        const key = op === 0x67 ? Number(line()) : op === 0x68 ? u8() : u32();
        if (!memo.has(key)) fail(`memo key ${key} is not defined at byte ${pos}`);
        stack.push(memo.get(key)!);
        break;
      }
      default:
        fail(
          `unsupported pickle opcode 0x${op.toString(16).padStart(2, "0")} at byte ${pos - 1} ` +
            "(INST/OBJ/EXT opcodes construct arbitrary objects and are never accepted)",
        );
    }
  }
}
