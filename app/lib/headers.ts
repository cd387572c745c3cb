// Remix drops action headers (Retry-After, a Set-Cookie on a json reply) from document responses unless a route passes them on.
import type { HeadersFunction } from "@remix-run/node";

export const keepActionHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers(loaderHeaders);
  actionHeaders.forEach((value, name) => {
    headers.set(name, value);
  });
  return headers;
};
