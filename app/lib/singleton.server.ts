// One value per process, kept on globalThis so that `remix dev` rebuilds reuse it instead of making another.
const store = globalThis as { __rosterSingletons?: Map<string, unknown> };
store.__rosterSingletons ??= new Map();
const values = store.__rosterSingletons;

/** The process's one `name`, made by `create` the first time it is asked for. */
export function singleton<T>(name: string, create: () => T): T {
  if (!values.has(name)) values.set(name, create());
  return values.get(name) as T;
}
