/**
 * Hands a magic's result to the TypeScript scope of the notebook. The kernel stores the value here and then runs
 * `const <name> = medad.internal.takeMagicResult(<id>) as medad.<Type>;` so the variable is typed in later cells.
 */
const pending = new Map<number, unknown>();
let nextId = 1;

export function storeMagicResult(value: unknown): number {
  const id = nextId++;
  pending.set(id, value);
  return id;
}

export function takeMagicResult(id: number): unknown {
  const value = pending.get(id);
  pending.delete(id);
  return value;
}

/** The other way: a magic that runs generated code (so a result variable of the cell is in scope) gets the value
 * back from that code through a slot. */
const handedBack = new Map<number, unknown>();

export function handBackSlot(): number {
  return nextId++;
}

export function handBack(id: number, value: unknown): void {
  handedBack.set(id, value);
}

export function takeHandBack(id: number): unknown {
  const value = handedBack.get(id);
  handedBack.delete(id);
  return value;
}
