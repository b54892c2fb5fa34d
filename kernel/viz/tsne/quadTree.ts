/**
 * Barnes–Hut quadtree over 2-D points in flat typed arrays (no per-node objects: thousands of points, rebuilt every
 * iteration). Each node stores its square cell, point count and centre of mass; a leaf holds one point, or several
 * identical points once the cell is too small to split.
 */
export class QuadTree {
  private cx = new Float64Array(0);
  private cy = new Float64Array(0);
  private half = new Float64Array(0);
  private count = new Int32Array(0);
  private massX = new Float64Array(0);
  private massY = new Float64Array(0);
  /** Index of the first of four children, or -1 for a leaf. */
  private child = new Int32Array(0);
  /** For a leaf: the (first) point it holds, or -1 when empty. */
  private point = new Int32Array(0);
  private size = 0;

  constructor(
    private readonly y: Float64Array,
    private readonly n: number,
  ) {
    this.reserve(Math.max(16, 4 * n));
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, y[2 * i]);
      maxX = Math.max(maxX, y[2 * i]);
      minY = Math.min(minY, y[2 * i + 1]);
      maxY = Math.max(maxY, y[2 * i + 1]);
    }
    const half = Math.max(maxX - minX, maxY - minY) / 2 + 1e-5;
    this.newNode((minX + maxX) / 2, (minY + maxY) / 2, half);
    for (let i = 0; i < n; i++) this.insert(i);
  }

  private reserve(capacity: number): void {
    if (capacity <= this.cx.length) return;
    const grow = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      return b;
    };
    this.cx = grow(this.cx);
    this.cy = grow(this.cy);
    this.half = grow(this.half);
    this.count = grow(this.count);
    this.massX = grow(this.massX);
    this.massY = grow(this.massY);
    this.child = grow(this.child);
    this.point = grow(this.point);
  }

  private newNode(cx: number, cy: number, half: number): number {
    if (this.size === this.cx.length) this.reserve(this.size * 2);
    const k = this.size++;
    this.cx[k] = cx;
    this.cy[k] = cy;
    this.half[k] = half;
    this.count[k] = 0;
    this.massX[k] = 0;
    this.massY[k] = 0;
    this.child[k] = -1;
    this.point[k] = -1;
    return k;
  }

  private quadrant(node: number, x: number, y: number): number {
    return this.child[node] + (x >= this.cx[node] ? 1 : 0) + (y >= this.cy[node] ? 2 : 0);
  }

  private insert(i: number): void {
    const x = this.y[2 * i];
    const y = this.y[2 * i + 1];
    let node = 0;
    for (;;) {
      this.massX[node] = (this.massX[node] * this.count[node] + x) / (this.count[node] + 1);
      this.massY[node] = (this.massY[node] * this.count[node] + y) / (this.count[node] + 1);
      this.count[node]++;
      if (this.child[node] >= 0) {
        node = this.quadrant(node, x, y);
        continue;
      }
      if (this.count[node] === 1) {
        this.point[node] = i;
        return;
      }
      const other = this.point[node];
      const same = this.y[2 * other] === x && this.y[2 * other + 1] === y;
      if (same || this.half[node] < 1e-12) return; // duplicates stay together in one leaf
      // Split: four children, move the resident point down, then continue inserting i.
      const h = this.half[node] / 2;
      const first = this.newNode(this.cx[node] - h, this.cy[node] - h, h);
      this.newNode(this.cx[node] + h, this.cy[node] - h, h);
      this.newNode(this.cx[node] - h, this.cy[node] + h, h);
      this.newNode(this.cx[node] + h, this.cy[node] + h, h);
      this.child[node] = first;
      this.point[node] = -1;
      const q = this.quadrant(node, this.y[2 * other], this.y[2 * other + 1]);
      // The resident leaf may hold several identical points: they all move down together.
      this.count[q] = this.count[node] - 1;
      this.massX[q] = this.y[2 * other];
      this.massY[q] = this.y[2 * other + 1];
      this.point[q] = other;
      node = this.quadrant(node, x, y);
    }
  }

  /**
   * Repulsive force on point i (unnormalised Σ q²·(y_i − y_j)) and its share of Z = Σ q, where q = 1/(1 + d²);
   * a cell is summarised by its centre of mass when its width / distance < theta.
   */
  repulsion(i: number, theta: number, out: Float64Array): number {
    const x = this.y[2 * i];
    const y = this.y[2 * i + 1];
    let fx = 0,
      fy = 0,
      z = 0;
    const stack: number[] = [0];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const c = this.count[node];
      if (c === 0) continue;
      const leaf = this.child[node] < 0;
      // A leaf's points all sit exactly on its first point (the running mean could be off by rounding).
      const dx = x - (leaf ? this.y[2 * this.point[node]] : this.massX[node]);
      const dy = y - (leaf ? this.y[2 * this.point[node] + 1] : this.massY[node]);
      const d2 = dx * dx + dy * dy;
      if (leaf || 2 * this.half[node] * (2 * this.half[node]) < theta * theta * d2) {
        // A leaf at distance 0 holds i itself (and any duplicates of it): count only the others, with q = 1.
        const others = leaf && d2 === 0 ? c - 1 : c;
        if (others === 0) continue;
        const q = 1 / (1 + d2);
        z += others * q;
        fx += others * q * q * dx;
        fy += others * q * q * dy;
      } else {
        const f = this.child[node];
        stack.push(f + 3, f + 2, f + 1, f);
      }
    }
    out[0] = fx;
    out[1] = fy;
    return z;
  }
}
