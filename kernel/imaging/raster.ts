/**
 * A decoded image held interleaved (row-major, channels last). 8-bit sources stay `Uint8Array` so resizing can
 * reproduce PIL's integer path bit for bit; 16-bit sources become `Float32Array` samples in [0, 1].
 */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array | Float32Array;
}

/** A [channels, height, width] float32 tensor, the layout torchvision's ToTensor produces. */
export interface ChwTensor {
  readonly dims: readonly [number, number, number];
  readonly data: Float32Array;
}

export function isEightBit(r: Raster): r is Raster & { data: Uint8Array } {
  return r.data instanceof Uint8Array;
}
