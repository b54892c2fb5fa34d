// Minimal protobuf wire-format encoder for writing ONNX models without dependencies.
// Messages are built as lists of byte chunks so that large payloads (weights) are referenced, not copied, until the
// single final concatenation in `toBytes()`.

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

/** Appends the varint encoding of a non-negative integer or any int64 (negative → 10-byte two's complement). */
function pushVarint(out: number[], value: number | bigint): void {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new RangeError(`varint: ${value} is not an integer`);
    if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
      // Division instead of bit ops: JS bit operators truncate to 32 bits.
      while (value >= 0x80) {
        out.push(value % 0x80 | 0x80);
        value = Math.floor(value / 0x80);
      }
      out.push(value);
      return;
    }
    value = BigInt(value);
  }
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

export function varintBytes(value: number | bigint): Uint8Array {
  const out: number[] = [];
  pushVarint(out, value);
  return Uint8Array.from(out);
}

const utf8 = new TextEncoder();

/** A protobuf message under construction. */
export class ProtoMessage {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private flushedLength = 0;

  get length(): number {
    return this.flushedLength + this.pending.length;
  }

  private key(field: number, wire: number): void {
    pushVarint(this.pending, field * 8 + wire);
  }

  private flush(): void {
    if (this.pending.length > 0) {
      this.chunks.push(Uint8Array.from(this.pending));
      this.flushedLength += this.pending.length;
      this.pending = [];
    }
  }

  private appendChunk(bytes: Uint8Array): void {
    this.flush();
    if (bytes.length > 0) {
      this.chunks.push(bytes);
      this.flushedLength += bytes.length;
    }
  }

  varint(field: number, value: number | bigint): this {
    this.key(field, WIRE_VARINT);
    pushVarint(this.pending, value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, WIRE_I32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.pending.push(x);
    return this;
  }

  /** Length-delimited bytes; the array is kept by reference (not copied) until toBytes(). */
  bytes(field: number, value: Uint8Array): this {
    this.key(field, WIRE_LEN);
    pushVarint(this.pending, value.length);
    if (value.length < 64) for (const x of value) this.pending.push(x);
    else this.appendChunk(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, value: ProtoMessage): this {
    this.key(field, WIRE_LEN);
    pushVarint(this.pending, value.length);
    value.flush();
    for (const c of value.chunks) this.appendChunk(c);
    return this;
  }

  /** Packed repeated varints (proto2 parsers accept packed and unpacked alike). */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const body: number[] = [];
    for (const v of values) pushVarint(body, v);
    this.key(field, WIRE_LEN);
    pushVarint(this.pending, body.length);
    for (const x of body) this.pending.push(x);
    return this;
  }

  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  toBytes(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.flushedLength);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
