// The step's typed arrays live on SharedArrayBuffers: the compute workers (parallel.ts) read and
// write them in place, each over its own hosts, with no copies in either direction.

type Ctor<T> = { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };

function shared<T>(C: Ctor<T>, n: number): T {
  return new C(new SharedArrayBuffer(Math.max(0, n) * C.BYTES_PER_ELEMENT));
}

export const f64 = (n: number): Float64Array => shared(Float64Array, n);
export const i32 = (n: number): Int32Array => shared(Int32Array, n);
export const u32 = (n: number): Uint32Array => shared(Uint32Array, n);
export const i16 = (n: number): Int16Array => shared(Int16Array, n);
export const u16 = (n: number): Uint16Array => shared(Uint16Array, n);
export const u8 = (n: number): Uint8Array => shared(Uint8Array, n);

/** A shared Int32Array holding `values`. */
export function i32Of(values: ArrayLike<number>): Int32Array {
  const a = i32(values.length);
  a.set(values);
  return a;
}
