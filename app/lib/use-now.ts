// The current time for relative labels: the server's `now` for the first render (so hydration matches), then ticking.
import { useEffect, useState } from "react";
import { MINUTE } from "./time";

export function useNow(serverNow: number, intervalMs = MINUTE): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    setNow(serverNow);
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [serverNow, intervalMs]);
  return now;
}

/** False during the server render and hydration, true afterwards: for output that depends on the viewer's machine. */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
