// Test-only protobuf decoder: enough to check that the writer put each value under the right ONNX field number.
export type Field = { wire: number; varint?: bigint; bytes?: Uint8Array; fixed32?: number };

export function decode(buf: Uint8Array): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let i = 0;
  const varint = (): bigint => {
    let r = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new Error("truncated varint");
      r |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return r;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let f: Field;
    if (wire === 0) f = { wire, varint: varint() };
    else if (wire === 2) {
      const n = Number(varint());
      if (i + n > buf.length) throw new Error("truncated bytes");
      f = { wire, bytes: buf.subarray(i, i + n) };
      i += n;
    } else if (wire === 5) {
      f = { wire, fixed32: new DataView(buf.buffer, buf.byteOffset + i, 4).getFloat32(0, true) };
      i += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
    if (!out.has(field)) out.set(field, []);
    out.get(field)!.push(f);
  }
  return out;
}

export const str = (f: Field | undefined) => new TextDecoder().decode(f?.bytes);
