/**
 * Setting a key that came from the wire. Plain assignment would treat `__proto__` as the
 * prototype; defining every key as a property is safe but slow on the hot path of an answer
 * of 10,000 sites. So only that one name takes the slow road.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
