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
