/**
 * `PIL.Image.resize` for RGB / L rasters. Bilinear and bicubic run PIL's two passes (horizontal, then vertical);
 * on 8-bit data each pass rounds to uint8 exactly as PIL does, so results equal PIL's pixel for pixel. Float
 * data (16-bit sources, [0, 1]) is filtered in double precision without rounding but clipped to [0, 1] after each
 * pass, as the 8-bit path clips to 0..255 (PIL itself would first cut such images to 8 bits).
 * Nearest follows PIL's pixel-centre rule: input index = floor((i + 0.5) * in / out), accumulated as PIL does.
 */
import { axisWeights, AxisWeights, fixedPointWeights, PRECISION_BITS, ResampleFilter } from "./resampleCoefficients";
import { Raster } from "./raster";

export type ResizeFilter = ResampleFilter | "nearest";

export function resize(img: Raster, width: number, height: number, filter: ResizeFilter): Raster {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`resize target must be positive integers, got ${width}x${height}`);
  }
  if (img.width === width && img.height === height) return img; // PIL copies the image unchanged
  if (filter === "nearest") return resizeNearest(img, width, height);
  let out = img;
  // PIL skips a pass whose axis keeps its size.
  if (width !== img.width) out = horizontalPass(out, width, axisWeights(img.width, width, filter));
  if (height !== img.height) out = verticalPass(out, height, axisWeights(img.height, height, filter));
  return out;
}

type Sample = (
  src: Uint8Array | Float32Array,
  index: number,
  weightsAt: number,
  count: number,
  stride: number,
) => number;

function makeKernel(
  img: Raster,
  axis: AxisWeights,
): { run: Sample; Out: Uint8ArrayConstructor | Float32ArrayConstructor } {
  if (img.data instanceof Uint8Array) {
    const fixed = fixedPointWeights(axis);
    const half = 2 ** (PRECISION_BITS - 1);
    const unit = 2 ** PRECISION_BITS;
    return {
      Out: Uint8Array,
      run: (src, index, at, count, stride) => {
        let acc = half; // rounds the final shift to nearest
        for (let k = 0; k < count; k++) acc += src[index + k * stride] * fixed[at + k];
        const v = Math.floor(acc / unit); // arithmetic shift right, then PIL's clip to 0..255
        return v < 0 ? 0 : v > 255 ? 255 : v;
      },
    };
  }
  return {
    Out: Float32Array,
    run: (src, index, at, count, stride) => {
      let acc = 0;
      for (let k = 0; k < count; k++) acc += src[index + k * stride] * axis.weights[at + k];
      // Clip like PIL's 8-bit passes do (bicubic overshoots at edges), so 16-bit sources track the 8-bit reference.
      return acc < 0 ? 0 : acc > 1 ? 1 : acc;
    },
  };
}

function horizontalPass(img: Raster, width: number, axis: AxisWeights): Raster {
  const { run, Out } = makeKernel(img, axis);
  const ch = img.channels;
  const out = new Out(width * img.height * ch);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < ch; c++) {
        const src = (y * img.width + axis.first[x]) * ch + c;
        out[(y * width + x) * ch + c] = run(img.data, src, x * axis.taps, axis.count[x], ch);
      }
    }
  }
  return { width, height: img.height, channels: ch, data: out };
}

function verticalPass(img: Raster, height: number, axis: AxisWeights): Raster {
  const { run, Out } = makeKernel(img, axis);
  const ch = img.channels;
  const rowStride = img.width * ch;
  const out = new Out(img.width * height * ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < img.width; x++) {
      for (let c = 0; c < ch; c++) {
        const src = axis.first[y] * rowStride + x * ch + c;
        out[(y * img.width + x) * ch + c] = run(img.data, src, y * axis.taps, axis.count[y], rowStride);
      }
    }
  }
  return { width: img.width, height, channels: ch, data: out };
}

/** PIL's nearest index table: start at half a step and add the step, in double precision, as PIL does. */
function nearestIndices(inSize: number, outSize: number): Int32Array {
  const step = inSize / outSize;
  const idx = new Int32Array(outSize);
  let pos = step * 0.5;
  for (let i = 0; i < outSize; i++) {
    idx[i] = Math.min(inSize - 1, Math.max(0, Math.trunc(pos)));
    pos += step;
  }
  return idx;
}

function resizeNearest(img: Raster, width: number, height: number): Raster {
  const xs = nearestIndices(img.width, width);
  const ys = nearestIndices(img.height, height);
  const ch = img.channels;
  const out = new (img.data instanceof Uint8Array ? Uint8Array : Float32Array)(width * height * ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = (ys[y] * img.width + xs[x]) * ch;
      for (let c = 0; c < ch; c++) out[(y * width + x) * ch + c] = img.data[src + c];
    }
  }
  return { width, height, channels: ch, data: out };
}
