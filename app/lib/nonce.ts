// The per-render CSP nonce: entry.server makes one per document and sends it in the header; root.tsx puts it on scripts.
import { createContext, useContext } from "react";

/** Undefined in the browser: a nonce only matters in the HTML the server sends (browsers hide it from the DOM). */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
